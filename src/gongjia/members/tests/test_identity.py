"""A worker's account and identity: self-registration, the link to the member record."""

import pytest
from django.core.exceptions import ValidationError

from gongjia.accounts.models import User
from gongjia.members import identity
from gongjia.members.models import Member
from gongjia.members.testing import id_number
from gongjia.platform import todos

PASSWORD = "Gongjia-test-2026!"


def _member(tree, n, *, name="张三", mobile="13900000001"):
    from gongjia.members import actions
    from gongjia.platform.scope import SYSTEM

    return actions.register(
        acting_user=SYSTEM,
        union=tree.union_a,
        name=name,
        id_number=id_number(n),
        mobile=mobile,
        join_date="2020-01-05",
    )


def _form(n, **extra):
    return {
        "full_name": "张三",
        "id_number": id_number(n),
        "mobile": "13900000001",
        "username": f"worker{n}",
        "password": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def test_registering_with_the_name_and_mobile_on_record_links_the_member_at_once(tree, client):
    m = _member(tree, 1)
    r = client.post("/portal/register/", _form(1))
    assert r.status_code == 302
    m.refresh_from_db()
    user = User.objects.get(username="worker1")
    assert m.user == user and user.id_number == id_number(1)
    assert [a.role for a in user.role_assignments()] == ["worker"]
    card = client.get("/portal/member/").content.decode()
    assert m.member_number in card


def test_a_link_that_does_not_match_waits_for_the_union(tree, client, make_user, login_client):
    m = _member(tree, 2, mobile="13900000009")  # the union has another mobile number
    assert client.post("/portal/register/", _form(2)).status_code == 302
    m.refresh_from_db()
    assert m.user is None
    officer = make_user("union_officer", tree.union_a)
    assert todos.registry()["members.accounts_to_link"].func(officer) == 1
    outsider = make_user("union_officer", tree.union_b)
    assert todos.registry()["members.accounts_to_link"].func(outsider) == 0
    office = login_client(officer)
    page = office.get(f"/admin/members/member/{m.pk}/change/").content.decode()
    assert f"/admin/members/member/{m.pk}/link-account/" in page
    office.post(f"/admin/members/member/{m.pk}/link-account/")
    m.refresh_from_db()
    assert m.user.username == "worker2"
    with pytest.raises(ValidationError):
        identity.link_account(m, acting_user=officer)  # once


def test_one_account_per_identity_and_the_identity_is_set_once(tree, client):
    assert client.post("/portal/register/", _form(3)).status_code == 302
    client.logout()
    r = client.post("/portal/register/", _form(3, username="someoneelse"))
    assert r.status_code == 200 and "已有账户" in r.content.decode()
    assert not User.objects.filter(username="someoneelse").exists()
    user = User.objects.get(username="worker3")
    with pytest.raises(ValidationError):
        identity.declare_identity(
            user, full_name="李四", id_number=id_number(4), mobile="13900000004"
        )


def test_bad_input_names_each_field_and_creates_nothing(tree, client):
    r = client.post(
        "/portal/register/", _form(5, full_name="张" * 300, id_number="123", mobile="12")
    )
    html = r.content.decode()
    assert r.status_code == 200 and not User.objects.filter(username="worker5").exists()
    assert html.count('class="error"') >= 3
    assert Member.objects.count() == 0


def test_two_registrations_at_once_make_one_account(tree, monkeypatch):
    """The database holds one account per ID number: a second registration that passed the
    check before the first was written is refused with the same words, and makes nothing."""
    identity.register_worker(
        username="first",
        password=PASSWORD,
        full_name="张三",
        id_number=id_number(5),
        mobile="13900000005",
    )
    real = User.objects.filter

    def blind(*args, **kwargs):  # the second one's check ran before the first was written
        qs = real(*args, **kwargs)
        return qs.none() if "id_number_bidx" in kwargs else qs

    monkeypatch.setattr(User.objects, "filter", blind)
    with pytest.raises(ValidationError, match="已有账户"):
        identity.register_worker(
            username="second",
            password=PASSWORD,
            full_name="张三",
            id_number=id_number(5),
            mobile="13900000005",
        )
    monkeypatch.undo()
    assert not User.objects.filter(username="second").exists()
    assert User.objects.filter(username="first").exists()
