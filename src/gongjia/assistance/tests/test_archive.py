"""Household archives: one per household, the computed category with its record, the filing
procedure with the separate consent, exit and relapse, indicators, the back office."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongjia.assistance import actions
from gongjia.assistance.models import Household, HouseholdMember
from gongjia.assistance.testing import archive
from gongjia.assistance.workflows import household_workflow
from gongjia.members.testing import id_number
from gongjia.platform import kpis
from gongjia.platform.scope import SYSTEM

D = dt.date


def household(tree, *, acting_user=SYSTEM, ids=(1, 2), unit=None):
    return actions.open_household(
        acting_user=acting_user,
        unit=unit or tree.union_a,
        head_name="王困难",
        address="城厢街道人民路 8 号",
        primary_cause="illness",
        members=[
            {
                "name": "王困难",
                "relationship": "self",
                "id_number": id_number(ids[0]),
                "work": "employed",
            },
            {
                "name": "王小妹",
                "relationship": "child",
                "id_number": id_number(ids[1]),
                "work": "student",
            },
        ],
    )


def test_one_archive_per_household(tree, make_user):
    h = household(tree)
    assert h.number.startswith("KN") and h.members.count() == 2
    assert h.members.get(relationship="self").birth_date == D(1981, 1, 1)
    with pytest.raises(ValidationError, match=h.number):
        household(tree, ids=(3, 2))  # the child is already in an archive
    officer_b = make_user("town_officer", tree.town_b)
    with pytest.raises(ValidationError) as e:
        household(tree, ids=(2, 4), unit=tree.union_b, acting_user=officer_b)
    assert h.number not in str(e.value)  # not named outside the officer's scope
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says so too
        other = Household.objects.create(
            unit=tree.union_a, number="X1", head_name="x", address="x", primary_cause="other"
        )
        HouseholdMember.objects.create(
            household=other, name="x", relationship="self", id_number=id_number(1), work="employed"
        )


def test_the_category_is_computed_kept_and_overridden_only_with_a_reason(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    h = household(tree)
    with pytest.raises(ValidationError, match="consent"):  # income is sensitive
        actions.record_finances(
            h, acting_user=officer, year=2024, income_fen=1, rigid_fen=0, members_living=1
        )
    actions.record_authorisation(h, acting_user=officer)
    d = actions.record_finances(
        h, acting_user=officer, year=2024, income_fen=4_000_000, rigid_fen=500_000, members_living=3
    )
    assert (h.category, d.computed) == ("deep", "deep")  # 35,000 < 12 × 3 × 1,240 yuan
    assert d.record["inputs"]["income_fen"] == 4_000_000
    assert d.record["parameters"]["minimum_living_standard_fen"] == 124_000
    with pytest.raises(ValidationError):
        actions.override_category(h, acting_user=officer, category="relative", reason="")
    actions.override_category(
        h, acting_user=officer, category="relative", reason="年底新增一人就业"
    )
    h.refresh_from_db()
    assert (h.category, h.category_overridden) == ("relative", True)
    assert h.decisions.first().override_reason == "年底新增一人就业"


def test_the_filing_procedure_with_consent_notice_exit_and_relapse(tree, make_user):
    base = make_user("union_officer", tree.union_a)
    officer = make_user("town_officer", tree.town_a)
    colleague = make_user("town_officer", tree.town_a)
    h = household(tree)
    actions.household_step(h, "check", acting_user=base)
    with pytest.raises(ValidationError, match="consent|同意|授权"):
        actions.household_step(h, "visit", acting_user=base)
    actions.record_authorisation(h, acting_user=base)
    actions.household_step(h, "visit", acting_user=base)
    with pytest.raises(PermissionDenied):  # the confirmation is the higher union's
        actions.household_step(h, "confirm", acting_user=base)
    for step in ("confirm", "economic_ok"):
        actions.household_step(h, step, acting_user=officer)
    actions.household_step(h, "start_notice", acting_user=officer, on=D(2026, 9, 28))
    assert h.notice_until == D(2026, 10, 10)  # 5 working days: National Day, a make-up Saturday
    with pytest.raises(ValidationError):  # no category yet
        actions.household_step(h, "archive", acting_user=colleague, on=D(2026, 10, 12))
    actions.record_finances(
        h, acting_user=officer, year=2025, income_fen=6_000_000, rigid_fen=0, members_living=3
    )
    with pytest.raises(ValidationError):  # the notice still runs
        actions.household_step(h, "archive", acting_user=colleague, on=D(2026, 10, 10))
    with pytest.raises(ValidationError, match="以外的人员|someone other"):  # who prepared it
        actions.household_step(h, "archive", acting_user=officer, on=D(2026, 10, 12))
    actions.household_step(h, "archive", acting_user=colleague, on=D(2026, 10, 12))
    assert (h.status, h.category, h.archived_on) == ("archived", "relative", D(2026, 10, 12))
    assert h.members.get(relationship="self").risk.grade  # graded when archived
    with pytest.raises(ValidationError):
        actions.household_step(h, "exit", acting_user=officer)  # a reason is required
    actions.household_step(
        h, "exit", acting_user=officer, on=D(2027, 3, 1), values={"exit_reason": "recovered"}
    )
    assert h.keep_until == D(2037, 3, 1)
    actions.household_step(h, "relapse", acting_user=officer, note="再次失业")
    assert h.status == "archived" and Household.objects.count() == 1  # the same archive


def test_scope_and_indicators(tree, make_user):
    officer_b = make_user("town_officer", tree.town_b)
    with pytest.raises(PermissionDenied):
        household(tree, acting_user=officer_b)
    h = archive(
        household(tree), acting_user=make_user("town_officer", tree.town_a), on=D(2026, 3, 2)
    )
    admin = make_user("district_admin", tree.district)
    v = {k["key"]: k["value"] for k in kpis.evaluate(admin, keys=None)}
    assert v["assistance.archived_households"] == {h.category: 1}
    assert v["assistance.employed_members"] == 1
    v = {k["key"]: k["value"] for k in kpis.evaluate(officer_b)}
    assert v["assistance.archived_households"] == {} and v["assistance.employed_members"] == 0


def test_a_household_is_filed_in_the_back_office(tree, make_user, login_client):
    client = login_client(make_user("town_officer", tree.town_a))
    form = {
        "unit": tree.union_a.pk,
        "head_name": "李困难",
        "address": "人民路 9 号",
        "primary_cause": "unemployment",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "李困难",
        "members-0-relationship": "self",
        "members-0-id_number_input": id_number(9),
        "members-0-work": "unemployed",
        **{
            f"{p}-{k}": "0"
            for p in ("finances", "decisions")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    r = client.post("/admin/assistance/household/add/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    h = Household.objects.get(head_name="李困难")
    assert h.members.get().id_number == id_number(9)
    page = client.get(f"/admin/assistance/household/{h.pk}/change/").content.decode()
    assert id_number(9) not in page  # shown masked


def test_households_api_is_scoped_and_masked(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    payload = {
        "unit_code": "A-1",
        "head_name": "赵困难",
        "address": "人民路 10 号",
        "primary_cause": "illness",
        "bank_account": "6222020200112233445",
        "consent_method": "written",
        "members": [
            {
                "name": "赵困难",
                "relationship": "self",
                "id_number": id_number(5),
                "work": "employed",
            }
        ],
    }
    without = {k: v for k, v in payload.items() if k != "consent_method"}
    r = client.post("/api/v1/assistance/households", without, content_type="application/json")
    assert r.status_code == 400 and "consent" in r.json()["errors"]  # a bank account is sensitive
    r = client.post("/api/v1/assistance/households", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["bank_account_masked"].endswith("3445") and "6222" not in body["bank_account_masked"]
    )
    assert id_number(5) not in r.content.decode()
    r = client.post("/api/v1/assistance/households", payload, content_type="application/json")
    assert r.status_code == 400 and "members" in r.json()["errors"]  # the same person again
    hid = body["id"]
    steps = client.get(f"/api/v1/assistance/households/{hid}/transitions").json()
    assert "check" in {s["name"] for s in steps}
    r = client.post(
        f"/api/v1/assistance/households/{hid}/transitions",
        {"name": "check"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "checked"
    # The home visit waits for the signed authorisation, and says so as the page does.
    listed = client.get(f"/api/v1/assistance/households/{hid}/transitions").json()
    steps = {s["name"]: s for s in listed}
    assert steps["visit"]["available"] is False
    assert "授权" in " ".join(steps["visit"]["blocked_by"])
    assert steps["send_back"]["available"] is True and steps["send_back"]["note_required"]
    r = client.post(
        f"/api/v1/assistance/households/{hid}/transitions",
        {"name": "visit"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "授权" in r.json()["message"]
    client.force_login(
        make_user("town_officer", tree.town_b), backend="gongjia.accounts.backends.RoleBackend"
    )
    assert client.get(f"/api/v1/assistance/households/{hid}").status_code == 404
    assert client.get("/api/v1/assistance/households").json()["count"] == 0


def test_the_worker_sees_their_own_file_in_the_portal(tree, make_user, client):
    worker = make_user("worker", tree.union_a)
    worker.id_number = id_number(1)
    worker.save()
    h = household(tree)
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/portal/assistance/").content.decode()
    assert h.number in page and "王小妹" in page and id_number(1) not in page
    # What the file waits for, from the workflow's own declaration, with what it still needs.
    assert "接下来" in page and "基层工会已审核" in page
    household_workflow.run(h, "check", acting_user=SYSTEM)
    page = client.get("/portal/assistance/").content.decode()
    assert "入户调查" in page and "还需要" in page and "授权" in page
    assert "不予建档" not in page  # a refusal is not a step the worker waits for
    other = make_user("worker", tree.union_a)
    client.force_login(other, backend="gongjia.accounts.backends.RoleBackend")
    assert h.number not in client.get("/portal/assistance/").content.decode()


def test_sensitive_data_only_after_the_separate_consent(tree, make_user):
    from gongjia.platform.models import Consent

    officer = make_user("town_officer", tree.town_a)
    fields = dict(
        acting_user=officer,
        unit=tree.union_a,
        head_name="李困难",
        address="人民路 3 号",
        primary_cause="illness",
        bank_account="6222020200112233445",
        members=[
            {
                "name": "李困难",
                "relationship": "self",
                "id_number": id_number(31),
                "work": "employed",
                "health": "慢性肾病",
            },
        ],
    )
    with pytest.raises(ValidationError, match="consent"):
        actions.open_household(**fields)
    assert not Household.objects.exists()
    h = actions.open_household(**fields, consent_method="written")
    c = Consent.objects.get(object_id=str(h.pk))
    assert (c.purpose, c.separate, c.recorded_by) == (actions.APPLICATION_PURPOSE, True, officer)
    assert h.members.get().health == "慢性肾病" and h.bank_account.endswith("3445")
    assert actions.has_consent(h)


def test_the_worker_applies_in_the_portal_with_the_separate_consent(tree, make_user, client):
    from gongjia.platform.models import Consent, Notification

    worker = make_user("worker", tree.union_a)
    worker.id_number, worker.full_name = id_number(41), "周困难"
    worker.save()
    officer = make_user("union_officer", tree.union_a)
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    assert b"/portal/assistance/apply/" in client.get("/portal/assistance/").content
    form = {
        "address": "城厢街道人民路 12 号",
        "primary_cause": "illness",
        "work": "employed",
        "employer_name": "甲公司",
        "health": "妻子尿毒症透析",
        "bank_account": "6222 0202 0011 2299",
        "m0_name": "周妻",
        "m0_relationship": "spouse",
        "m0_id_number": id_number(42),
        "m0_work": "unable",
    }
    r = client.post("/portal/assistance/apply/", form)  # no consent ticked
    assert r.status_code == 200 and not Household.objects.exists()
    r = client.post("/portal/assistance/apply/", {**form, "m0_id_number": "123", "consent": "on"})
    assert r.status_code == 200 and not Household.objects.exists()  # a bad ID is named
    r = client.post("/portal/assistance/apply/", {**form, "consent": "on"})
    assert r.status_code == 302
    h = Household.objects.get()
    assert (h.applicant, h.unit, h.head_name, h.members.count()) == (
        worker,
        tree.union_a,
        "周困难",
        2,
    )
    assert h.bank_account == "6222020200112299"
    assert h.members.get(relationship="self").health == "妻子尿毒症透析"
    c = Consent.objects.get(object_id=str(h.pk))
    assert (c.method, c.separate, c.recorded_by) == ("electronic", True, worker)
    assert Notification.objects.filter(recipient=officer, title__contains=h.number).exists()
    page = client.get("/portal/assistance/").content.decode()
    assert h.number in page and "6222020200112299" not in page
    # Someone already in an archive is refused without naming the archive.
    other = make_user("worker", tree.union_a)
    other.id_number, other.full_name = id_number(43), "吴困难"
    other.save()
    client.force_login(other, backend="gongjia.accounts.backends.RoleBackend")
    r = client.post("/portal/assistance/apply/", {**form, "consent": "on"})
    assert r.status_code == 200 and h.number.encode() not in r.content
    assert Household.objects.count() == 1


def test_consent_finances_and_override_from_the_household_page(tree, make_user, login_client):
    from django.urls import reverse

    officer = make_user("town_officer", tree.town_a)
    h = household(tree)
    c = login_client(officer)
    page = c.get(reverse("admin:assistance_household_change", args=[h.pk])).content.decode()
    assert "/authorisation/" in page
    url = reverse("admin:assistance_household_finances", args=[h.pk])
    form = {"year": "2025", "income": "40,000.50", "rigid": "5000", "members_living": "3"}
    c.post(url, form)
    assert not h.finances.exists()  # no consent yet: nothing stored
    c.post(reverse("admin:assistance_household_authorisation", args=[h.pk]))
    assert actions.has_consent(h)
    for bad in ({**form, "income": "12.345"}, {**form, "income": "-1"}, {**form, "year": "2019"}):
        c.post(url, bad)
    assert not h.finances.exists()
    c.post(url, {**form, "accident_event": "事" * 31})  # too long: refused, not cut
    assert not h.finances.exists()
    c.post(url, form)
    f = h.finances.get()
    assert (f.income_fen, f.rigid_fen) == (4_000_050, 500_000)
    h.refresh_from_db()
    assert h.category == "deep"  # 35,000.50 < 12 × 3 × 1,240
    page = c.get(reverse("admin:assistance_household_change", args=[h.pk])).content.decode()
    assert "44,640.00" in page and "35,000.50" in page  # the computation, shown
    c.post(
        reverse("admin:assistance_household_override", args=[h.pk]),
        {"category": "relative", "reason": "年底新增一人就业"},
    )
    h.refresh_from_db()
    assert (h.category, h.category_overridden) == ("relative", True)


def test_the_public_notice_shows_name_unit_and_category_only(tree, make_user, login_client):
    from django.urls import reverse

    officer = make_user("town_officer", tree.town_a)
    h = household(tree)
    actions.record_authorisation(h, acting_user=officer)
    actions.record_finances(
        h, acting_user=officer, year=2025, income_fen=3_000_000, rigid_fen=0, members_living=3
    )
    base = make_user("union_officer", tree.union_a)
    for step in ("check", "visit"):
        actions.household_step(h, step, acting_user=base)
    for step in ("confirm", "economic_ok", "start_notice"):
        actions.household_step(h, step, acting_user=officer)
    c = login_client(officer)
    page = c.get(reverse("admin:assistance_household_public_notice")).content.decode()
    assert "王困难" in page and "甲公司工会" in page and "3000000" not in page
    assert id_number(1) not in page and h.number not in page
    other = login_client(make_user("town_officer", tree.town_b))
    assert (
        "王困难"
        not in other.get(reverse("admin:assistance_household_public_notice")).content.decode()
    )


def test_a_checked_household_with_only_the_application_consent_is_shown_how_to_go_on(
    tree, make_user, login_client
):
    """The home visit needs the signed authorisation: the page says so beside the step and
    offers to record it, even though the application's own consent is on record."""
    from django.urls import reverse

    officer = make_user("union_officer", tree.union_a)  # the base union checks and visits
    h = household(tree)
    actions.record_application_consent(h, acting_user=officer)
    actions.household_step(h, "check", acting_user=officer)
    c = login_client(officer)
    url = reverse("admin:assistance_household_change", args=[h.pk])
    page = c.get(url).content.decode()
    visit = reverse("admin:assistance_household_transition", args=[h.pk, "visit"])
    assert f'action="{visit}"' not in page
    assert 'id="blocked-steps"' in page and "暂不能执行" in page and "授权书" in page
    authorise = reverse("admin:assistance_household_authorisation", args=[h.pk])
    assert f'action="{authorise}"' in page
    c.post(authorise)
    page = c.get(url).content.decode()
    assert f'action="{visit}"' in page and 'id="blocked-steps"' not in page
    c.post(visit, {"note": ""})
    h.refresh_from_db()
    assert h.status == Household.Status.VISITED


def test_the_base_check_and_the_higher_confirmation_are_two_peoples(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    other = make_user("town_officer", tree.town_a)
    h = household(tree)
    actions.record_authorisation(h, acting_user=officer)
    for step in ("check", "visit"):
        actions.household_step(h, step, acting_user=officer)
    confirm = household_workflow.get("confirm")
    reasons = " ".join(household_workflow.blockers(h, confirm, officer))
    assert "“上级工会已复核”" in reasons and "“已入户调查并签署授权书”" in reasons
    assert not household_workflow.blockers(h, confirm, other)
    with pytest.raises(ValidationError):
        actions.household_step(h, "confirm", acting_user=officer)
    actions.household_step(h, "confirm", acting_user=other)
    assert h.status == Household.Status.CONFIRMED
