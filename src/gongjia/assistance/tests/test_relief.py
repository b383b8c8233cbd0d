"""Relief: dated policies, four eyes, a ledger that pays each month once, reversals as new
entries, the budget and the yearly cap, bank batches; concurrency on PostgreSQL."""

import datetime as dt
import io
import re
import threading

import pytest
import python_calamine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from gongjia.assistance import actions, relief
from gongjia.assistance.models import ReliefApplication, ReliefFund, ReliefPayment
from gongjia.assistance.testing import archive
from gongjia.members.testing import id_number
from gongjia.platform.models import AuditEvent

D = dt.date


@pytest.fixture(autouse=True)
def english():
    # The messages are asserted in English; their Chinese is checked with the catalogue.
    with translation.override("en"):
        yield


def archived(tree, officer, n=1):
    h = actions.open_household(
        acting_user=officer,
        unit=tree.union_a,
        head_name=f"赵困难{n}",
        address="城厢街道人民路 9 号",
        primary_cause="unemployment",
        bank_account="6222020200112233445",
        consent_method="written",
        members=[
            {
                "name": f"赵困难{n}",
                "relationship": "self",
                "id_number": id_number(40 + n),
                "work": "unemployed",
            },
            {
                "name": f"赵妻{n}",
                "relationship": "spouse",
                "id_number": id_number(60 + n),
                "work": "employed",
            },
        ],
    )
    return archive(h, acting_user=officer, on=D(2026, 3, 2))


@pytest.fixture
def officers(tree, make_user):
    return make_user("town_officer", tree.town_a), make_user("town_officer", tree.town_a)


def apply(h, officer, first="2026-04", periods=3):
    return relief.apply(
        h,
        acting_user=officer,
        policy="unemployment",
        first_period=first,
        periods=periods,
        reason="主要劳动力失业，家庭无收入",
        beneficiary=h.members.get(relationship="self"),
    )


def test_approved_by_another_officer_pays_each_month(tree, officers):
    preparer, approver = officers
    h = archived(tree, preparer)
    a = apply(h, preparer)
    assert (a.amount_fen, a.status, a.fund_source) == (80_000, "submitted", "职工困难帮扶资金")
    with pytest.raises(ValidationError, match="other than"):
        relief.approve(a, acting_user=preparer)
    entries = relief.approve(a, acting_user=approver)
    assert [e.period for e in entries] == ["2026-04", "2026-05", "2026-06"]
    a.refresh_from_db()
    assert (a.status, a.decided_by) == ("approved", approver)
    assert ReliefFund.objects.get(year=2026).paid_fen == 240_000
    assert AuditEvent.objects.filter(action="approve", object_id=str(a.pk)).exists()
    # The database refuses an approval by the preparer, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefApplication.objects.filter(pk=a.pk).update(decided_by=preparer)


def test_policy_rules_are_checked(tree, officers):
    preparer, _approver = officers
    h = archived(tree, preparer)
    with pytest.raises(ValidationError) as e:
        relief.apply(
            h,
            acting_user=preparer,
            policy="unemployment",
            first_period="2026-04",
            periods=7,
            reason="x",
            beneficiary=h.members.get(relationship="spouse"),
        )
    assert set(e.value.message_dict) == {"periods", "reason", "household"}
    assert "not unemployed" in e.value.message_dict["household"][0]
    with pytest.raises(ValidationError, match="year-month"):
        relief.apply(
            h,
            acting_user=preparer,
            policy="unemployment",
            first_period="2026-3x",
            periods=1,
            reason="失业无收入",
        )
    with pytest.raises(ValidationError, match="no relief policy"):
        relief.apply(
            h,
            acting_user=preparer,
            policy="nothing",
            first_period="2026-04",
            periods=1,
            reason="失业无收入",
        )
    # Before 2024 the policy paid 600 yuan a month: the amount is the one in force.
    assert apply(h, preparer, first="2023-11", periods=1).amount_fen == 60_000


def test_a_month_is_paid_once_and_a_reversal_is_a_new_entry(tree, officers, make_user):
    preparer, approver = officers
    h = archived(tree, preparer)
    relief.approve(apply(h, preparer), acting_user=approver)
    second = apply(h, preparer, first="2026-06", periods=2)
    with pytest.raises(ValidationError, match="2026-06"):
        relief.approve(second, acting_user=approver)
    assert ReliefPayment.objects.filter(household=h).count() == 3
    june = ReliefPayment.objects.get(household=h, period="2026-06")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefPayment.objects.create(
            household=h,
            application=second,
            policy="unemployment",
            period="2026-06",
            year=2026,
            kind="payment",
            amount_fen=80_000,
            fund_source="x",
            entered_by=approver,
        )
    with pytest.raises(ValueError):
        june.amount_fen = 1
        june.save()
    with pytest.raises(PermissionDenied):
        relief.reverse(june, acting_user=make_user("town_officer", tree.town_b), reason="银行退回")
    r = relief.reverse(june, acting_user=approver, reason="银行退回：账号有误")
    assert (r.amount_fen, r.reverses, r.kind) == (-80_000, june, "reversal")
    june.refresh_from_db()
    assert june.amount_fen == 80_000  # the original line is untouched
    assert ReliefFund.objects.get(year=2026).paid_fen == 160_000
    with pytest.raises(ValidationError, match="already been reversed"):
        relief.reverse(june, acting_user=approver, reason="再次冲正")
    with pytest.raises(ValidationError, match="cannot itself"):
        relief.reverse(r, acting_user=approver, reason="冲正的冲正")
    # June may now be paid again, as the next attempt; July with it.
    entries = relief.approve(apply(h, preparer, first="2026-06", periods=2), acting_user=approver)
    assert [(e.period, e.attempt) for e in entries] == [("2026-06", 1), ("2026-07", 0)]
    assert ReliefFund.objects.get(year=2026).paid_fen == 320_000


def test_yearly_cap_and_budget(tree, officers, monkeypatch):
    preparer, approver = officers
    h = archived(tree, preparer)
    relief.approve(apply(h, preparer, first="2026-01", periods=6), acting_user=approver)
    with pytest.raises(ValidationError, match="yearly cap"):
        relief.approve(apply(h, preparer, first="2026-07", periods=1), acting_user=approver)
    relief.approve(apply(h, preparer, first="2027-01", periods=1), acting_user=approver)
    other = archived(tree, preparer, n=2)
    monkeypatch.setattr(relief, "budget", lambda year: 560_000)  # 480,000 already paid in 2026
    with pytest.raises(ValidationError, match="800.00"):
        relief.approve(apply(other, preparer, first="2026-05", periods=2), acting_user=approver)
    assert ReliefFund.objects.get(year=2026).paid_fen == 480_000
    relief.approve(apply(other, preparer, first="2026-05", periods=1), acting_user=approver)
    assert ReliefFund.objects.get(year=2026).left_fen == 0
    with pytest.raises(IntegrityError), transaction.atomic():  # the last guard
        ReliefFund.objects.filter(year=2026).update(paid_fen=560_001)


def test_bank_batch_spreadsheet(tree, officers, make_user):
    preparer, approver = officers
    h = archived(tree, preparer)
    relief.approve(apply(h, preparer, periods=2), acting_user=approver)
    batch = relief.make_batch(acting_user=approver, unit=tree.town_a)
    assert (batch.entries, batch.total_fen) == (2, 160_000)
    with pytest.raises(ValidationError, match="no payments waiting"):
        relief.make_batch(acting_user=approver, unit=tree.town_a)
    with pytest.raises(ValidationError):
        relief.batch_xlsx(batch, acting_user=approver, purpose="")
    officer_b = make_user("town_officer", tree.town_b)
    with pytest.raises(PermissionDenied):
        relief.batch_xlsx(batch, acting_user=officer_b, purpose="发放")
    data = relief.batch_xlsx(batch, acting_user=approver, purpose="发放四月救助金")
    rows = (
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert list(rows[0]) == relief.BANK_HEADERS
    assert rows[1][2:5] == ["赵困难1", "6222020200112233445", "800.00"]
    assert len(rows) == 3
    assert AuditEvent.objects.filter(kind="export", action="export_payment_batch").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_the_same_month_at_once(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    preparer = make_user("town_officer", tree.town_a)
    approvers = [make_user("town_officer", tree.town_a) for _ in range(2)]
    h = archived(tree, preparer)
    apps = [apply(h, preparer, periods=2), apply(h, preparer, first="2026-05", periods=2)]
    barrier, outcomes = threading.Barrier(2), []

    def approve(a, user):
        from django.db import connections

        try:
            barrier.wait()
            relief.approve(ReliefApplication.objects.get(pk=a.pk), acting_user=user)
            outcomes.append("paid")
        except ValidationError as e:
            outcomes.append(" ".join(e.messages))
        finally:
            connections.close_all()

    pairs = zip(apps, approvers, strict=True)
    threads = [threading.Thread(target=approve, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("paid") == 1, outcomes
    assert "2026-05" in next(o for o in outcomes if o != "paid")
    assert ReliefPayment.objects.filter(household=h, period="2026-05").count() == 1
    assert ReliefFund.objects.get(year=2026).paid_fen == 160_000


def test_back_office_flow(tree, officers, login_client):
    from django.urls import reverse

    preparer, approver = officers
    h = archived(tree, preparer)
    c = login_client(preparer)
    add = reverse("admin:assistance_reliefapplication_add")
    form = {
        "household": h.pk,
        "beneficiary": h.members.get(relationship="spouse").pk,
        "policy": "unemployment",
        "first_period": "2026-04",
        "periods": "2",
        "reason": "主要劳动力失业",
        "payments-TOTAL_FORMS": "0",
        "payments-INITIAL_FORMS": "0",
    }
    r = c.post(add, form)
    assert r.status_code == 200 and b"errorlist" in r.content  # kept on the form
    assert not ReliefApplication.objects.exists()
    form["beneficiary"] = h.members.get(relationship="self").pk
    assert c.post(add, form).status_code == 302
    a = ReliefApplication.objects.get()
    c.force_login(approver, backend="gongjia.accounts.backends.RoleBackend")
    page = c.get(reverse("admin:assistance_reliefapplication_change", args=[a.pk]))
    assert b"/transition/approve/" in page.content
    c.post(reverse("admin:assistance_reliefapplication_transition", args=[a.pk, "approve"]))
    assert ReliefPayment.objects.filter(household=h).count() == 2
    r = c.post(reverse("admin:assistance_paymentbatch_add"), {"unit": tree.town_a.pk})
    assert r.status_code == 302
    batch = h.payments.first().batch
    r = c.post(
        reverse("admin:assistance_paymentbatch_bank_file", args=[batch.pk]), {"purpose": "发放"}
    )
    assert r["Content-Type"].startswith("application/vnd.openxml")
    r = c.post(reverse("admin:assistance_paymentbatch_add"), {"unit": tree.town_a.pk})
    assert r.status_code == 200 and b"errorlist" in r.content
    june = h.payments.get(period="2026-05")
    page = c.get(reverse("admin:assistance_reliefpayment_change", args=[june.pk]))
    assert b"/reverse/" in page.content
    c.post(
        reverse("admin:assistance_reliefpayment_reverse", args=[june.pk]),
        {"reason": "银行退回：账号有误"},
    )
    assert h.payments.filter(kind="reversal").count() == 1
    assert c.get(reverse("admin:assistance_relieffund_changelist")).status_code == 200


def test_indicators(tree, officers, make_user):
    from gongjia.platform import kpis

    preparer, approver = officers
    h = archived(tree, preparer)
    relief.approve(apply(h, preparer, first="2026-11", periods=3), acting_user=approver)
    relief.reverse(h.payments.get(period="2026-12"), acting_user=approver, reason="重复登记冲正")

    def values(user, year):
        return {k["key"]: k["value"] for k in kpis.evaluate(user, year)}

    district = make_user("district_admin", tree.district)
    v = values(district, 2026)
    assert v["assistance.relief_paid"] == 800.0  # November; December paid and reversed
    assert v["assistance.relief_budget_left"] == 400_000 - 800
    # The budget line the figure is read from, and the payments the paid figure adds up.
    (line,) = kpis.records("assistance.relief_budget_left", district, 2026)
    assert line.budget_fen - line.paid_fen == 80_000 * 100 * 5 - 800 * 100
    assert kpis.records("assistance.relief_paid", district, 2026).count() == 3
    assert values(preparer, 2027)["assistance.relief_paid"] == 800.0
    assert values(make_user("town_officer", tree.town_b), 2026)["assistance.relief_paid"] == 0
    assert (
        values(make_user("legal_staff", tree.town_a), 2026)["assistance.relief_budget_left"] is None
    )


def test_the_worker_sees_payments_and_helper_in_the_portal(tree, officers, make_user, client):
    preparer, approver = officers
    h = archived(tree, preparer)
    relief.approve(apply(h, preparer, periods=1), acting_user=approver)
    actions.pair(h, acting_user=preparer, helper=approver, helper_unit=tree.town_a)
    worker = make_user("worker", tree.union_a)
    worker.id_number = id_number(41)  # 赵困难1, the worker applying
    worker.save()
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/portal/assistance/").content.decode()
    assert "2026-04" in page and "800.00" in page and approver.username in page


def test_any_way_of_approving_checks_four_eyes_and_writes_the_ledger(tree, officers):
    """The rule and its consequence are declared on the step, so taking it through the
    workflow itself (as the back office's buttons and any future caller do) cannot skip them."""
    from gongjia.assistance.workflows import relief_workflow
    from gongjia.platform.scope import SYSTEM

    preparer, approver = officers
    a = apply(archived(tree, preparer), preparer)
    for actor in (preparer, SYSTEM):
        with pytest.raises(ValidationError, match="other than"):
            relief_workflow.run(a, "approve", acting_user=actor)
    assert not ReliefPayment.objects.exists()
    relief_workflow.run(a, "approve", acting_user=approver)
    assert a.status == "approved" and a.decided_by == approver
    assert a.payments.filter(kind="payment").count() == 3


def test_the_preparer_is_shown_why_they_cannot_approve_and_a_colleague_the_button(
    tree, make_user, login_client
):
    from django.urls import reverse

    from gongjia.assistance.testing import make_relief_application

    application = make_relief_application(tree, tree.town_a)
    preparer = application.prepared_by
    approve = reverse(
        "admin:assistance_reliefapplication_transition", args=[application.pk, "approve"]
    )
    page = (
        login_client(preparer)
        .get(reverse("admin:assistance_reliefapplication_change", args=[application.pk]))
        .content.decode()
    )
    assert f'action="{approve}"' not in page and "暂不能执行" in page
    colleague = make_user("town_officer", tree.town_a)
    page = (
        login_client(colleague)
        .get(reverse("admin:assistance_reliefapplication_change", args=[application.pk]))
        .content.decode()
    )
    assert f'action="{approve}"' in page


def test_the_beneficiary_is_chosen_among_the_households_own_members(tree, make_user, login_client):
    from django.urls import reverse

    from gongjia.assistance.models import HouseholdMember
    from gongjia.assistance.testing import make_relief_application

    a = make_relief_application(tree, tree.town_a)
    make_relief_application(tree, tree.town_a)  # a second archived household
    officer = login_client(make_user("town_officer", tree.town_a))
    url = reverse("admin:assistance_reliefapplication_add") + f"?household={a.household_id}"
    page = officer.get(url).content.decode()
    own = set(HouseholdMember.objects.filter(household=a.household).values_list("pk", flat=True))
    offered = {
        int(v)
        for v in re.findall(
            r'<option value="(\d+)"', page.split('name="beneficiary"')[1].split("</select>")[0]
        )
    }
    assert offered == own
