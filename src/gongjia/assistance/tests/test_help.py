"""Help on record: exclusions and the migrant-worker conditions, assistance records (file first,
guardian consent), one-to-one pairing with overdue visits, annual reviews and follow-up calls."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from gongjia.assistance import actions
from gongjia.assistance.models import CheckUp, Household, Pairing
from gongjia.assistance.sweeps import alert_overdue_visits
from gongjia.assistance.testing import archive
from gongjia.members.testing import id_number, make_member
from gongjia.platform import kpis
from gongjia.platform.models import Notification

D = dt.date
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer(tree, make_user):
    return make_user("town_officer", tree.town_a)


def household(tree, officer, n=1, **fields):
    return actions.open_household(
        acting_user=officer,
        unit=tree.union_a,
        head_name=f"钱困难{n}",
        address="城厢街道人民路 5 号",
        primary_cause="illness",
        members=[
            {
                "name": f"钱困难{n}",
                "relationship": "self",
                "id_number": id_number(80 + n),
                "work": "employed",
            },
            {
                "name": f"钱小{n}",
                "relationship": "child",
                "id_number": _child_id(n),
                "work": "student",
            },
        ],
        **fields,
    )


def _child_id(n):
    from gongjia.platform import validators

    body = f"3301092016060{n % 10}00{n % 10}"
    return body + validators.id_check_char(body)


def test_an_exclusion_blocks_the_archive(tree, officer, make_user):
    colleague = make_user("town_officer", tree.town_a)  # who archives: not who prepared it
    h = household(tree, officer, exclusions=["two_homes"])
    with pytest.raises(ValidationError, match="Exclusion: Owns two or more homes"):  # English only
        archive(h, acting_user=officer, on=D(2026, 3, 2))
    assert Household.objects.get(pk=h.pk).status == "notice"
    with pytest.raises(ValidationError, match="Unknown exclusions"):
        actions.update_household(h, acting_user=officer, exclusions=["yacht"])
    actions.update_household(h, acting_user=officer, exclusions=[])
    actions.household_step(h, "archive", acting_user=colleague, on=h.notice_until + dt.timedelta(1))
    assert h.status == "archived"


def test_migrant_worker_conditions(tree, officer, make_user):
    colleague = make_user("town_officer", tree.town_a)  # who archives: not who prepared it
    h = household(tree, officer, migrant=True, employed_since=TODAY - dt.timedelta(days=200))
    with pytest.raises(ValidationError) as e:
        archive(h, acting_user=officer, on=D(2026, 3, 2))
    text = " ".join(e.value.messages)
    assert "union member" in text and "12 months" in text
    head = h.members.get(relationship="self")
    head.member = make_member(tree, tree.town_a)
    head.save(update_fields=["member"])
    actions.update_household(h, acting_user=officer, employed_since=D(2024, 1, 1))
    actions.household_step(h, "archive", acting_user=colleague, on=h.notice_until + dt.timedelta(1))
    assert h.status == "archived"


def test_file_first_then_help_and_the_guardians_consent(tree, officer):
    h = household(tree, officer)
    with pytest.raises(ValidationError, match="File first"):
        actions.record_assistance(h, acting_user=officer, kind="living", given_on=TODAY)
    archive(h, acting_user=officer, on=D(2026, 3, 2))
    r = actions.record_assistance(
        h,
        acting_user=officer,
        kind="seasonal",
        given_on=TODAY,
        amount_fen=50_000,
        campaign="2026 春节送温暖",
        item="慰问金",
        signed=True,
    )
    assert r.household == h and h.assistance.count() == 1
    child = h.members.get(relationship="child")  # born 2016: under 14
    with pytest.raises(ValidationError, match="guardian"):
        actions.record_assistance(
            h,
            acting_user=officer,
            kind="education",
            given_on=TODAY,
            beneficiary=child,
            amount_fen=100_000,
            note="小学学费",
        )
    actions.record_guardian_consent(h, acting_user=officer, guardian="钱困难1")
    r = actions.record_assistance(
        h,
        acting_user=officer,
        kind="education",
        given_on=TODAY,
        beneficiary=child,
        amount_fen=100_000,
        note="小学学费",
    )
    assert r.note == "小学学费"
    other = household(tree, officer, n=2)
    with pytest.raises(ValidationError, match="member of this household"):
        actions.record_assistance(
            h,
            acting_user=officer,
            kind="medical",
            given_on=TODAY,
            beneficiary=other.members.first(),
        )
    with pytest.raises(ValidationError):
        actions.record_assistance(
            h, acting_user=officer, kind="medical", given_on=TODAY, amount_fen=-1
        )


def test_pairing_visits_and_overdue_alerts(tree, officer, make_user):
    h = archive(household(tree, officer), acting_user=officer, on=D(2026, 3, 2))
    helper = make_user("union_officer", tree.union_a)
    start = TODAY - dt.timedelta(days=40)
    p = actions.pair(h, acting_user=officer, helper=helper, helper_unit=tree.union_a, on=start)
    assert p.next_visit_on == start + dt.timedelta(days=30)
    with pytest.raises(ValidationError, match="already has a helper"):
        actions.pair(h, acting_user=officer, helper=officer, helper_unit=tree.town_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(
            household=h,
            helper=officer,
            helper_unit=tree.town_a,
            started_on=TODAY,
            visit_every_days=30,
            next_visit_on=TODAY,
        )
    admin = make_user("district_admin", tree.district)
    assert kpis.evaluate(admin, keys=["assistance.visits_overdue"])[0]["value"] == 1
    assert alert_overdue_visits() == 1
    assert alert_overdue_visits() == 0  # once per missed visit
    assert Notification.objects.filter(recipient=helper, title__contains=h.number).count() == 1
    with pytest.raises(ValidationError, match="before it happens"):
        actions.log_visit(p, acting_user=helper, visited_on=TODAY + dt.timedelta(days=1))
    actions.log_visit(
        p, acting_user=helper, visited_on=TODAY - dt.timedelta(days=1), notes="家中老人住院"
    )
    p.refresh_from_db()
    assert p.next_visit_on == TODAY + dt.timedelta(days=29)
    assert p.visits.get().notes == "家中老人住院"
    assert kpis.evaluate(admin, keys=["assistance.visits_overdue"])[0]["value"] == 0


def test_annual_review_exit_follow_ups_and_relapse(tree, officer, make_user):
    h = archive(household(tree, officer), acting_user=officer, on=D(2026, 3, 2))
    helper = make_user("union_officer", tree.union_a)
    actions.pair(h, acting_user=officer, helper=helper, helper_unit=tree.union_a)
    assert actions.open_annual_reviews(2026) == 1
    assert actions.open_annual_reviews(2026) == 0
    review = CheckUp.objects.get(household=h, kind="review")
    assert review.due_on == D(2026, 12, 31)
    with pytest.raises(ValidationError):
        actions.complete_checkup(review, acting_user=officer, outcome="relapse")
    with pytest.raises(ValidationError, match="300"):  # a long note is refused, never cut
        actions.complete_checkup(review, acting_user=officer, outcome="exit", note="长" * 301)
    review.refresh_from_db()
    assert review.done_on is None
    on = D(2026, 11, 20)
    actions.complete_checkup(
        review,
        acting_user=officer,
        outcome="exit",
        exit_reason="recovered",
        note="两人稳定就业",
        on=on,
    )
    h.refresh_from_db()
    assert (h.status, h.exit_reason, h.keep_until) == ("exited", "recovered", D(2036, 11, 20))
    assert h.pairings.get().ended_on == on
    calls = list(CheckUp.objects.filter(household=h, kind="follow_up").order_by("due_on"))
    assert [c.due_on for c in calls] == [D(2027, 2, 20), D(2027, 11, 20)]
    admin = make_user("district_admin", tree.district)
    assert kpis.evaluate(admin, 2026, keys=["assistance.exited"])[0]["value"] == 1
    with pytest.raises(ValidationError, match="already done"):
        actions.complete_checkup(review, acting_user=officer, outcome="continue")
    actions.complete_checkup(
        calls[0], acting_user=officer, outcome="relapse", note="再次失业", on=D(2027, 2, 21)
    )
    h.refresh_from_db()
    assert h.status == "archived" and h.exited_on is None
    assert not CheckUp.objects.filter(household=h, kind="follow_up", done_on=None).exists()
    assert CheckUp.objects.get(pk=calls[0].pk).outcome == "relapse"


def test_back_office_pages(tree, officer, login_client, make_user):
    from django.urls import reverse

    h = archive(household(tree, officer), acting_user=officer, on=D(2026, 3, 2))
    c = login_client(officer)
    form = {
        "household": h.pk,
        "kind": "medical",
        "given_on": "2026-05-06",
        "amount_fen": "300000",
        "item": "住院费用",
        "note_input": "肾病住院",
    }
    assert c.post(reverse("admin:assistance_assistancerecord_add"), form).status_code == 302
    r = h.assistance.get()
    assert r.note == "肾病住院" and r.recorded_by == officer
    page = c.get(reverse("admin:assistance_assistancerecord_change", args=[r.pk]))
    assert "肾病住院".encode() not in page.content  # masked on the page
    other = household(tree, officer, n=3)
    form["household"] = other.pk
    page = c.post(reverse("admin:assistance_assistancerecord_add"), form)
    assert page.status_code == 200 and b"errorlist" in page.content  # not archived: refused
    r = c.post(
        reverse("admin:assistance_pairing_add"),
        {
            "household": h.pk,
            "helper": officer.pk,
            "helper_unit": tree.union_a.pk,
            "visit_every_days": "",
            "visits-TOTAL_FORMS": "0",
            "visits-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302
    p = h.pairings.get()
    assert p.visit_every_days == 30
    c.post(
        reverse("admin:assistance_pairing_visit", args=[p.pk]),
        {"visited_on": TODAY.isoformat(), "kind": "phone", "notes": "电话了解就业"},
    )
    assert p.visits.get().kind == "phone"
    helper = make_user("union_officer", tree.union_a)  # may only view assistance records
    Pairing.objects.filter(pk=p.pk).update(helper=helper)
    c.force_login(helper, backend="gongjia.accounts.backends.RoleBackend")
    c.post(
        reverse("admin:assistance_pairing_visit", args=[p.pk]),
        {"visited_on": TODAY.isoformat(), "kind": "home", "notes": "入户"},
    )
    assert p.visits.count() == 2  # the helper logs their own visit
    c.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    actions.open_annual_reviews(TODAY.year)
    review = CheckUp.objects.get(household=h)
    url = reverse("admin:assistance_checkup_change", args=[review.pk])
    page = c.post(url, {"outcome": "exit", "note": ""})
    assert page.status_code == 200 and b"errorlist" in page.content  # a reason for leaving
    assert (
        c.post(url, {"outcome": "exit", "exit_reason": "recovered", "note": "就业稳定"}).status_code
        == 302
    )
    h.refresh_from_db()
    assert h.status == "exited" and CheckUp.objects.get(pk=review.pk).outcome == "exit"
    assert c.get(url).status_code == 200


def test_exports_are_de_identified(tree, officer, make_user, login_client):
    import io

    import python_calamine
    from django.urls import reverse

    from gongjia.assistance.models import AssistanceRecord, RiskGrade
    from gongjia.assistance.risk import grade_member

    h = archive(household(tree, officer), acting_user=officer, on=D(2026, 3, 2))
    actions.record_assistance(h, acting_user=officer, kind="living", given_on=TODAY)
    grade_member(h.members.get(relationship="self"))
    c = login_client(make_user("district_admin", tree.district))
    for model in (Household, AssistanceRecord, RiskGrade):
        name = model._meta.model_name
        r = c.post(
            reverse(f"admin:assistance_{name}_changelist"),
            {"action": "export_xlsx", "_selected_action": [model.objects.first().pk]},
        )
        assert r["Content-Type"].startswith("application/vnd"), name
        text = str(
            python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(r.content))
            .get_sheet_by_index(0)
            .to_python()
        )
        assert h.number in text and "钱困难" not in text, name


def test_back_office_household_with_bank_account_and_exclusions(tree, officer, login_client):
    from django.urls import reverse

    c = login_client(officer)

    def management(prefix, total=0):
        return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}

    form = {
        "unit": tree.union_a.pk,
        "head_name": "孙困难",
        "address": "城厢街道 1 号",
        "primary_cause": "illness",
        "bank_account_input": "6222 0202 0011 2233",
        "consent_signed": "on",
        "lives_in_city": "on",
        "members-0-name": "孙困难",
        "members-0-relationship": "self",
        "members-0-work": "employed",
        "members-0-id_number_input": id_number(95),
        **management("members", 1),
        **management("finances"),
        **management("decisions"),
    }
    for bad in (dict(form, bank_account_input="12ab"), dict(form, consent_signed="")):
        r = c.post(reverse("admin:assistance_household_add"), bad)
        assert r.status_code == 200 and b"errorlist" in r.content
    assert not Household.objects.exists()
    r = c.post(reverse("admin:assistance_household_add"), form)
    assert r.status_code == 302
    h = Household.objects.get()
    assert h.bank_account == "6222020200112233"
    page = c.get(reverse("admin:assistance_household_change", args=[h.pk]))
    assert b"6222020200112233" not in page.content
    assert b"two_homes" in page.content  # the exclusions to tick


def test_a_volunteer_logs_visits_from_the_portal(tree, officer, make_user, client):
    h = archive(household(tree, officer), acting_user=officer, on=D(2026, 3, 2))
    volunteer = make_user("worker", tree.union_a)  # no back-office account
    p = actions.pair(
        h,
        acting_user=officer,
        helper=volunteer,
        helper_unit=tree.union_a,
        on=TODAY - dt.timedelta(days=40),
    )
    client.force_login(volunteer, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/portal/assistance/pairings/").content.decode()
    assert h.number in page and h.head_name in page
    url = f"/portal/assistance/pairings/{p.pk}/visit/"
    r = client.post(url, {"visited_on": (TODAY + dt.timedelta(days=2)).isoformat(), "kind": "home"})
    assert r.status_code == 200 and not p.visits.exists()  # a future date is refused
    r = client.post(url, {"visited_on": TODAY.isoformat(), "kind": "home", "notes": "母亲住院"})
    assert r.status_code == 302 and p.visits.get().notes == "母亲住院"
    p.refresh_from_db()
    assert p.next_visit_on == TODAY + dt.timedelta(days=30)
    other = make_user("worker", tree.union_a)
    client.force_login(other, backend="gongjia.accounts.backends.RoleBackend")
    assert client.get(url).status_code == 404  # only the helper
    assert h.number not in client.get("/portal/assistance/pairings/").content.decode()
