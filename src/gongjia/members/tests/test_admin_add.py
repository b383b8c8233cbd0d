"""Adding a member in the back office, as the district and as a union officer would."""

import pytest

from gongjia.members.models import Member
from gongjia.members.testing import id_number


def _form(union, **extra):
    return {
        "name": "张三",
        "id_number": id_number(1),
        "union": union.pk,
        "mobile": "13800000001",
        "join_date": "2020-01-05",
        "category": "other",
        "skill_level": "0",
        "education": "",
        "political_status": "",
        "highest_certificate": "",
        **extra,
    }


@pytest.mark.parametrize("role", ["district_admin", "union_officer"])
def test_a_new_member_is_added_with_the_union_chosen_on_the_form(
    tree, make_user, login_client, role
):
    officer = make_user(role, tree.district if role == "district_admin" else tree.union_a)
    client = login_client(officer)
    page = client.get("/admin/members/member/add/").content.decode()
    assert 'name="union"' in page  # chosen, not a read-only dash
    assert "姓名" in page
    r = client.post("/admin/members/member/add/", _form(tree.union_a))
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Member.objects.get()
    assert (m.name, m.union, m.status) == ("张三", tree.union_a, Member.Status.ACTIVE)
    assert m.id_number == id_number(1)


def test_a_refused_save_writes_nothing_and_shows_the_form_again_with_the_reason(
    tree, make_user, login_client
):
    client = login_client(make_user("district_admin", tree.district))
    assert client.post("/admin/members/member/add/", _form(tree.union_a)).status_code == 302
    # The same person again: the action refuses; the form comes back filled in, nothing lost.
    r = client.post("/admin/members/member/add/", _form(tree.union_b, name="张三二"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "已在" in html and "甲公司工会" in html  # the union the person is registered with
    assert 'value="张三二"' in html
    assert Member.objects.count() == 1
