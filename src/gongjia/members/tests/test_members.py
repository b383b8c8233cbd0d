import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from conftest import PASSWORD, sign_in
from gongjia.members import actions
from gongjia.members.models import Founding, Member, MembershipChange
from gongjia.members.testing import id_number, make_member
from gongjia.orgs.models import OrgUnit
from gongjia.platform import kpis
from gongjia.platform.models import AuditEvent


def test_register_derives_sex_and_birth_and_refuses_duplicates_within_scope(tree, make_user):
    officer_a = make_user("union_officer", tree.union_a)
    m = actions.register(
        acting_user=officer_a,
        union=tree.union_a,
        name="王芳",
        id_number="11010519491231002x",
        mobile="138 1234 5678",
    )
    assert m.sex == "F" and m.birth_date == dt.date(1949, 12, 31)
    assert m.mobile == "13812345678" and m.status == Member.Status.ACTIVE
    assert m.changes.get().kind == MembershipChange.Kind.JOIN
    with pytest.raises(ValidationError) as e:
        actions.register(
            acting_user=officer_a, union=tree.union_a, name="王芳", id_number="11010519491231002X"
        )
    assert tree.union_a.name in str(e.value)  # the officer may see where the person is
    officer_b = make_user("town_officer", tree.town_b)
    with pytest.raises(ValidationError) as e:
        actions.register(
            acting_user=officer_b, union=tree.union_b, name="王芳", id_number="11010519491231002X"
        )
    assert tree.union_a.name not in str(e.value)  # but not across towns
    with pytest.raises(PermissionDenied):
        actions.register(
            acting_user=officer_a, union=tree.union_b, name="李四", id_number=id_number(7)
        )


def test_one_record_per_person_is_guaranteed_by_the_database(tree):
    m = make_member(tree, tree.town_a)
    clone = Member(
        name="x",
        id_number=m.id_number,
        sex="M",
        birth_date=m.birth_date,
        union=tree.union_b,
        member_number="X1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_membership_lifecycle_from_portal_application(tree, make_user, login_client):
    worker = make_user("worker", tree.union_a)
    client = login_client(worker)
    assert client.get("/portal/member/").status_code == 302
    page = client.get("/portal/member/apply/").content.decode()
    assert 'id="needs-identity"' in page and "/portal/identity/" in page
    r = client.post(
        "/portal/identity/",
        {"full_name": "赵六", "id_number": id_number(11), "mobile": "13900001111"},
    )
    assert r.status_code == 302
    r = client.post(
        "/portal/member/apply/",
        {
            # A name and ID number sent with the form are not the application's: the account's are.
            "name": "钱七",
            "id_number": id_number(12),
            "mobile": "13900001111",
            "union_code": "A-1",
            "category": "operator",
        },
    )
    assert r.status_code == 302
    member = Member.objects.get(user=worker)
    assert member.status == Member.Status.APPLIED
    assert (member.name, member.id_number) == ("赵六", id_number(11))
    officer = make_user("union_officer", tree.union_a)
    actions.transition(member, "approve", acting_user=officer)
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE and member.join_date
    card = client.get("/portal/member/").content.decode()
    assert member.member_number in card and "<svg" in card
    with pytest.raises(ValidationError):
        actions.transition(member, "withdraw", acting_user=officer, note="")
    actions.transition(member, "withdraw", acting_user=officer, note="离职")
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN and member.withdrawal_reason == "离职"
    actions.transition(member, "reinstate", acting_user=officer, note="返岗")
    kinds = list(member.changes.order_by("id").values_list("kind", flat=True))
    assert kinds == ["join", "withdraw", "reinstate"]
    steps = AuditEvent.objects.filter(kind="transition", object_id=str(member.pk))
    assert steps.count() == 4  # apply, approve, withdraw, reinstate


def test_transfer_keeps_history(tree, make_user):
    m = make_member(tree, tree.town_a)
    admin = make_user("district_admin", tree.district)
    actions.transfer(m, tree.union_b, acting_user=admin, note="调动")
    m.refresh_from_db()
    assert m.union == tree.union_b
    t = m.changes.get(kind="transfer")
    assert t.from_union == tree.union_a and t.to_union == tree.union_b
    officer_a = make_user("town_officer", tree.town_a)
    with pytest.raises(PermissionDenied):
        actions.transfer(m, tree.union_a, acting_user=officer_a)


def test_a_transfer_into_another_town_waits_for_the_receiving_union(tree, make_user, client):
    """Town A cannot push a member into town B: the member stays in sight until town B's
    union accepts, or is told why it refuses."""
    from gongjia.members.models import TransferRequest
    from gongjia.platform.models import Notification

    m = make_member(tree, tree.town_a)
    officer_a = make_user("town_officer", tree.town_a)
    officer_b = make_user("union_officer", tree.union_b)
    req = actions.transfer(m, tree.union_b, acting_user=officer_a, note="调入乙公司")
    assert isinstance(req, TransferRequest) and req.status == "pending"
    m.refresh_from_db()
    assert m.union == tree.union_a  # still where it was, and still in town A's sight
    assert Notification.objects.filter(recipient=officer_b, title__contains=m.name).exists()
    with pytest.raises(ValidationError):
        actions.transfer(m, tree.union_b, acting_user=officer_a)  # one request at a time
    with pytest.raises(PermissionDenied):
        actions.decide_transfer(req, "accept", acting_user=officer_a)  # not the sender's call
    with pytest.raises(ValidationError):
        actions.decide_transfer(req, "refuse", acting_user=officer_b)  # a reason is needed
    actions.decide_transfer(req, "refuse", acting_user=officer_b, note="本人未在本单位就业")
    m.refresh_from_db()
    assert m.union == tree.union_a and not m.changes.filter(kind="transfer").exists()

    again = actions.transfer(m, tree.union_b, acting_user=officer_a)
    token = sign_in(client, officer_b.username)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/v1/members/transfers?status=pending", **h).json()
    assert [r["id"] for r in listing] == [again.pk]
    r = client.post(
        f"/api/v1/members/transfers/{again.pk}/decision",
        {"name": "accept"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    m.refresh_from_db()
    assert m.union == tree.union_b and m.changes.filter(kind="transfer").count() == 1


def test_the_api_answers_202_for_a_transfer_request(tree, make_user, client):
    m = make_member(tree, tree.town_a)
    make_user("town_officer", tree.town_a, username="sender")
    token = sign_in(client, "sender")
    r = client.post(
        f"/api/v1/members/{m.pk}/transfer",
        {"to_union_code": "B-1"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 202 and r.json()["status_label"] == "等待接收工会确认"


def test_founding_steps_create_the_union_and_move_the_indicators(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    before = kpis.evaluate(officer, year=2020, keys=["members.new_unions"])[0]["value"]
    f = actions.open_founding(
        acting_user=officer,
        federation=tree.town_a,
        name="机器人小镇联合工会",
        field=Founding.Field.PARK,
        kind="joint_union",
        started_on=dt.date(2020, 3, 2),
    )
    with pytest.raises(ValidationError):
        actions.founding_step(f, "elect", acting_user=officer)  # needs date and chair
    actions.update_founding(
        f, acting_user=officer, elected_on=dt.date(2020, 4, 1), chair_name="陈明"
    )
    actions.founding_step(f, "elect", acting_user=officer)
    actions.founding_step(f, "submit", acting_user=officer)
    with pytest.raises(ValidationError):
        actions.founding_step(f, "establish", acting_user=officer)
    actions.founding_step(
        f,
        "establish",
        acting_user=officer,
        values={
            "approved_on": dt.date(2020, 5, 1),
            "approval_document": "萧工〔2020〕12号",
            "unit_code": "A-ROBOT",
        },
    )
    f.refresh_from_db()
    assert f.status == Founding.Status.ESTABLISHED and f.unit.code == "A-ROBOT"
    assert f.unit.kind == "joint_union" and f.unit.founded_on == dt.date(2020, 5, 1)
    assert OrgUnit.objects.get(code="A-ROBOT").path.startswith(tree.town_a.path)
    values = {k["key"]: k["value"] for k in kpis.evaluate(officer, year=2020)}
    assert values["members.new_unions"] == before + 1
    assert values["members.new_unions_by_field"]["park"] == 1


def test_indicators_count_from_records(tree, make_user):
    from gongjia.orgs.testing import make_unit

    big = make_unit(tree, tree.town_a)
    OrgUnit.objects.filter(pk=big.pk).update(founded_on=dt.date(2020, 6, 1))
    # 100 members bulk-created: the blind index is filled by bulk_create too.
    Member.objects.bulk_create(
        [
            Member(
                name=f"工人{i}",
                id_number=id_number(2000 + i),
                sex="M",
                birth_date=dt.date(1990, 1, 1),
                union=big,
                member_number=f"B{i}",
                join_date=dt.date(2020, 7, 1),
            )
            for i in range(100)
        ]
    )
    make_member(tree, tree.town_b)
    admin = make_user("district_admin", tree.district)
    officer_b = make_user("town_officer", tree.town_b)
    v = {k["key"]: k["value"] for k in kpis.evaluate(admin, year=2020)}
    assert v["members.new_members"] == 101
    assert v["members.new_unions_100plus"] == 1
    assert v["members.new_unions_100plus_members"] == 100
    assert v["members.total"] == 101
    vb = {k["key"]: k["value"] for k in kpis.evaluate(officer_b, year=2020)}
    assert vb["members.new_members"] == 1 and vb["members.new_unions_100plus"] == 0
    assert Member.objects.filter(id_number_bidx="").count() == 0


def test_members_api(tree, make_user, client):
    from gongjia.members.testing import make_member as mm

    m = mm(tree, tree.town_a)
    mm(tree, tree.town_b)
    make_user("union_officer", tree.union_a, username="uo")
    token = sign_in(client, "uo", PASSWORD)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/v1/members", **h).json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["id_number_masked"].startswith("330") and "*" in item["id_number_masked"]
    assert m.id_number not in str(listing)
    found = client.get(f"/api/v1/members?id_number={m.id_number.lower()}", **h).json()
    assert found["count"] == 1
    r = client.post(
        "/api/v1/members",
        {"name": "新人", "id_number": "123", "union_code": "A-1"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 400 and "id_number" in r.json()["errors"]
    r = client.post(
        "/api/v1/members",
        {"name": "新人", "id_number": id_number(901), "union_code": "A-1", "mobile": "13700000000"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201
    new_id = r.json()["id"]
    r = client.patch(
        f"/api/v1/members/{new_id}", {"skill_level": 4}, content_type="application/json", **h
    )
    assert r.json()["skill_level"] == 4
    r = client.post(
        f"/api/v1/members/{m.pk}/reveal", {"purpose": "核对"}, content_type="application/json", **h
    )
    assert r.status_code == 200 and r.json()["id_number"] == m.id_number
    assert AuditEvent.objects.filter(kind="reveal", object_id=str(m.pk)).exists()
    r = client.get(f"/api/v1/members/{m.pk}/transitions", **h).json()
    assert [t["name"] for t in r] == ["withdraw"]
    r = client.post(
        f"/api/v1/members/{m.pk}/transitions",
        {"name": "withdraw", "note": "退休"},
        content_type="application/json",
        **h,
    )
    assert r.json()["status"] == "withdrawn"
    other = Member.objects.exclude(union=tree.union_a).get()
    assert client.get(f"/api/v1/members/{other.pk}", **h).status_code == 404


def test_foundings_api(tree, make_user, client):
    make_user("town_officer", tree.town_a, username="to")
    token = sign_in(client, "to", PASSWORD)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    r = client.post(
        "/api/v1/members/foundings",
        {
            "name": "金融小镇工会",
            "field": "park",
            "federation_code": "A",
            "started_on": "2020-02-01",
            "unit_code": "A-FIN",
        },
        **h,
    )
    assert r.status_code == 201
    fid = r.json()["id"]
    r = client.post(f"/api/v1/members/foundings/{fid}/transitions", {"name": "elect"}, **h)
    assert r.status_code == 400 and "elected_on" in r.json()["errors"]
    client.patch(
        f"/api/v1/members/foundings/{fid}", {"elected_on": "2020-03-01", "chair_name": "周杰"}, **h
    )
    client.post(f"/api/v1/members/foundings/{fid}/transitions", {"name": "elect"}, **h)
    client.post(f"/api/v1/members/foundings/{fid}/transitions", {"name": "submit"}, **h)
    client.patch(
        f"/api/v1/members/foundings/{fid}",
        {"approved_on": "2020-04-01", "approval_document": "萧工〔2020〕3号"},
        **h,
    )
    r = client.post(f"/api/v1/members/foundings/{fid}/transitions", {"name": "establish"}, **h)
    assert r.status_code == 200 and r.json()["established_unit_code"] == "A-FIN"
    r = client.get("/api/v1/members/foundings?status=established", **h).json()
    assert r["count"] == 1


def test_member_list_query_count_is_pinned(tree, make_user, login_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_client(make_user("town_officer", tree.town_a))
    for _ in range(3):
        make_member(tree, tree.town_a)
    client.get("/admin/members/member/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/members/member/").status_code == 200
    for _ in range(12):
        make_member(tree, tree.town_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/members/member/?under=A").status_code == 200
    assert len(many) <= len(few) + 1  # the branch filter looks its unit up once; no per-row query
    assert len(few) <= 12


def test_founding_references_that_do_not_exist_are_refused_not_dropped(tree, make_user, client):
    make_user("town_officer", tree.town_a, username="to2")
    token = sign_in(client, "to2", PASSWORD)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    base = {"name": "x", "field": "park", "federation_code": "A", "started_on": "2020-02-01"}
    r = client.post("/api/v1/members/foundings", {**base, "region_code": "999"}, **h)
    assert r.status_code == 400 and "region_code" in r.json()["errors"]
    r = client.post("/api/v1/members/foundings", {**base, "enterprise_id": tree.ent_b.pk}, **h)
    assert r.status_code == 400 and "enterprise_id" in r.json()["errors"]
    assert not Founding.objects.exists()
