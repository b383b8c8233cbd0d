"""Relief for archived households under dated policies (assistance.md §4): an application, its
approval by someone other than the person who prepared it, and a ledger that is only ever
appended to.

What the database guarantees, whatever the timing of two officers:
- a household is paid at most once per policy and month (`relief_once_per_period`; a month whose
  payment was reversed may be paid again as the next attempt);
- the year's budget is never overdrawn (`relief_within_budget` on the fund row);
- the approver is not the preparer (`relief_four_eyes`).
The code checks the same things first, under row locks, so that people get a clear message.
"""

import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.assistance.events import BATCH_MADE, RELIEF_APPLIED, RELIEF_REVERSED
from gongjia.assistance.models import (
    Household,
    HouseholdMember,
    PaymentBatch,
    ReliefApplication,
    ReliefFund,
    ReliefPayment,
)
from gongjia.assistance.workflows import relief_workflow
from gongjia.platform import audit, counters, events, money, parameters, pii, scope, xlsx
from gongjia.platform.models import AuditEvent

BANK_HEADERS = ["序号", "档案号", "户名", "银行账号", "金额（元）", "摘要"]


def month_start(period: str) -> dt.date:
    try:
        year, month = (int(p) for p in period.strip().split("-"))
        return dt.date(year, month, 1)
    except (ValueError, AttributeError):
        raise ValidationError(
            {"first_period": _("Give the month as year-month, for example 2026-03.")}
        ) from None


def months(first: str, n: int) -> list[str]:
    start = month_start(first)
    out = []
    for i in range(n):
        index = start.month - 1 + i
        out.append(f"{start.year + index // 12:04d}-{index % 12 + 1:02d}")
    return out


def policy_in_force(code: str, on: dt.date) -> dict:
    policies = parameters.value("assistance.relief_policies", on=on)
    if code not in policies:
        raise ValidationError(
            {
                "policy": _("There is no relief policy “%(p)s” in force on %(d)s.")
                % {"p": code, "d": on}
            }
        )
    return policies[code]


def policy_choices(on: dt.date | None = None) -> list[tuple[str, str]]:
    policies = parameters.value("assistance.relief_policies", on=on or timezone.localdate())
    return [(code, parameters.words(p["name"])) for code, p in policies.items()]


def budget(year: int) -> int:
    return parameters.value("assistance.relief_budget", on=dt.date(year, 12, 31))


def eligibility(household: Household, pol: dict, beneficiary: HouseholdMember | None) -> list:
    """Why the household cannot have this relief (empty when it can)."""
    problems = []
    if household.status != Household.Status.ARCHIVED:
        problems.append(_("File first, then help: the household must be archived."))
    if household.category not in pol["categories"]:
        problems.append(
            _("The policy covers %(c)s households; this one is %(h)s.")
            % {
                "c": "、".join(str(Household.Category(c).label) for c in pol["categories"]),
                "h": household.get_category_display() or _("without a category"),
            }
        )
    if pol.get("needs_unemployed_member"):
        if beneficiary is None or beneficiary.household_id != household.pk:
            problems.append(_("Name the member of this household who lost their job."))
        elif beneficiary.work != HouseholdMember.Work.UNEMPLOYED:
            problems.append(
                _("%(n)s is recorded as %(w)s, not unemployed: update the member first.")
                % {"n": beneficiary.name, "w": beneficiary.get_work_display()}
            )
    return problems


def check_application(household, *, policy, first_period, periods, reason, beneficiary=None):
    """Everything an application must satisfy, as field errors; returns the policy in force."""
    pol = policy_in_force(policy, month_start(first_period))
    errors = {}
    if not 1 <= int(periods) <= pol["max_months"]:
        errors["periods"] = _("This policy pays for 1 to %(n)s months.") % {"n": pol["max_months"]}
    if len((reason or "").strip()) < 4:
        errors["reason"] = _("Describe the household's situation.")
    problems = eligibility(household, pol, beneficiary)
    if problems:
        errors["household"] = " ".join(problems)
    if errors:
        raise ValidationError(errors)
    return pol


def apply(
    household: Household,
    *,
    acting_user,
    policy: str,
    first_period: str,
    periods: int,
    reason: str,
    beneficiary: HouseholdMember | None = None,
) -> ReliefApplication:
    scope.require(acting_user, "change", household)
    pol = check_application(
        household,
        policy=policy,
        first_period=first_period,
        periods=periods,
        reason=reason,
        beneficiary=beneficiary,
    )
    with transaction.atomic():
        a = ReliefApplication.objects.create(
            number=f"JZ{timezone.localdate().year}{counters.allocate('relief_application')[0]:05d}",
            household=household,
            beneficiary=beneficiary,
            policy=policy,
            first_period=months(first_period, 1)[0],
            periods=periods,
            amount_fen=pol["monthly_fen"],
            fund_source=pol["fund_source"],
            reason=reason.strip(),
            prepared_by=scope.person(acting_user),
        )
        events.record(
            RELIEF_APPLIED,
            actor=acting_user,
            obj=a,
            data={"to": a.status, "policy": policy, "periods": months(first_period, periods)},
        )
    return a


def _net_paid(household, code, periods) -> dict[str, int]:
    rows = (
        ReliefPayment.objects.filter(household=household, policy=code, period__in=periods)
        .values_list("period")
        .annotate(net=Sum("amount_fen"))
    )
    return dict(rows)


def _fund(year: int) -> ReliefFund:
    ReliefFund.objects.get_or_create(year=year, defaults={"budget_fen": budget(year)})
    fund = ReliefFund.objects.select_for_update().get(year=year)
    fund.budget_fen = budget(year)  # the parameter may have changed since the row was made
    return fund


def _spend(fund: ReliefFund, amount: int) -> None:
    fund.paid_fen += amount
    ReliefFund.objects.filter(pk=fund.pk).update(
        budget_fen=fund.budget_fen, paid_fen=F("paid_fen") + amount
    )


def four_eyes(step) -> str | None:
    """Approval is someone else's than the preparer's (and a person's, never the platform's)."""
    if scope.person(step.actor) is None or step.actor.pk == step.obj.prepared_by_id:
        return _("Someone other than the person who prepared the application must approve it.")
    return None


def decided(step) -> None:
    """Who decided, and when (a refusal by the preparer themselves names no decider)."""
    if scope.person(step.actor) is not None and step.actor.pk != step.obj.prepared_by_id:
        step.values["decided_by"] = step.actor
    step.values["decided_at"] = timezone.now()


def write_ledger(step) -> None:
    """The approval's consequence: the months paid, checked against the policy, the cap and
    the budget, appended to the ledger (all or nothing, with the step)."""
    a = step.obj
    # One household at a time: a second approval waits here and then sees the first.
    h = Household.objects.select_for_update().get(pk=a.household_id)
    pol = policy_in_force(a.policy, month_start(a.first_period))
    beneficiary = HouseholdMember.objects.get(pk=a.beneficiary_id) if a.beneficiary_id else None
    problems = eligibility(h, pol, beneficiary)
    if problems:
        raise ValidationError(" ".join(problems))
    wanted = months(a.first_period, a.periods)
    paid = _net_paid(h, a.policy, wanted)
    already = [p for p in wanted if paid.get(p, 0) > 0]
    if already:
        raise ValidationError(
            _("Household %(h)s has already been paid under this policy for %(p)s.")
            % {"h": h.number, "p": "、".join(already)}
        )
    by_year: dict[int, int] = {}
    for p in wanted:
        by_year[int(p[:4])] = by_year.get(int(p[:4]), 0) + a.amount_fen
    for year, amount in sorted(by_year.items()):
        so_far = (
            ReliefPayment.objects.filter(household=h, policy=a.policy, year=year).aggregate(
                s=Sum("amount_fen")
            )["s"]
            or 0
        )
        if so_far + amount > pol["yearly_cap_fen"]:
            raise ValidationError(
                _("This would pay the household %(t)s yuan in %(y)s; the yearly cap is %(c)s yuan.")
                % {
                    "t": money.yuan(so_far + amount),
                    "y": year,
                    "c": money.yuan(pol["yearly_cap_fen"]),
                }
            )
        fund = _fund(year)
        if fund.paid_fen + amount > fund.budget_fen:
            raise ValidationError(
                _("The %(y)s relief budget has %(l)s yuan left; this needs %(n)s yuan.")
                % {
                    "y": year,
                    "l": money.yuan(max(fund.left_fen, 0)),
                    "n": money.yuan(amount),
                }
            )
        _spend(fund, amount)
    attempts = dict(
        ReliefPayment.objects.filter(
            household=h, policy=a.policy, period__in=wanted, kind="reversal"
        )
        .values_list("period")
        .annotate(n=Count("id"))
    )
    ReliefPayment.objects.bulk_create(
        [
            ReliefPayment(
                household=h,
                application=a,
                policy=a.policy,
                period=p,
                year=int(p[:4]),
                kind=ReliefPayment.Kind.PAYMENT,
                attempt=attempts.get(p, 0),
                amount_fen=a.amount_fen,
                fund_source=a.fund_source,
                entered_by=scope.person(step.actor),
            )
            for p in wanted
        ]
    )


def application_step(application, name, *, acting_user, note=""):
    """A step of a relief application; approval writes the ledger (declared on the step)."""
    try:
        relief_workflow.run(application, name, acting_user=acting_user, note=note)
    except IntegrityError:
        # The constraints decided a race the locks did not see (a payment or the budget).
        raise ValidationError(
            _(
                "Another approval for this household or budget was saved at the same moment: "
                "reload and check the ledger."
            )
        ) from None
    return application


def approve(application: ReliefApplication, *, acting_user, note: str = "") -> list:
    """Approve and write the payments to the ledger, all or nothing; returns the payments."""
    application_step(application, "approve", acting_user=acting_user, note=note)
    return list(application.payments.filter(kind=ReliefPayment.Kind.PAYMENT).order_by("period"))


def refuse(application: ReliefApplication, *, acting_user, note: str) -> ReliefApplication:
    return application_step(application, "refuse", acting_user=acting_user, note=note)


def reverse(payment: ReliefPayment, *, acting_user, reason: str) -> ReliefPayment:
    """Undo a payment (returned by the bank, paid in error) with a new, opposite entry."""
    if len((reason or "").strip()) < 4:
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    if not scope.can(acting_user, "approve", payment.application):
        raise PermissionDenied(_("You may not reverse relief payments of this household."))
    try:
        with transaction.atomic():
            Household.objects.select_for_update().get(pk=payment.household_id)
            p = ReliefPayment.objects.get(pk=payment.pk)
            if p.kind != ReliefPayment.Kind.PAYMENT:
                raise ValidationError(_("A reversal cannot itself be reversed."))
            if ReliefPayment.objects.filter(reverses=p).exists():
                raise ValidationError(_("This payment has already been reversed."))
            fund = _fund(p.year)
            _spend(fund, -p.amount_fen)
            r = ReliefPayment.objects.create(
                household_id=p.household_id,
                application_id=p.application_id,
                policy=p.policy,
                period=p.period,
                year=p.year,
                kind=ReliefPayment.Kind.REVERSAL,
                attempt=p.attempt,
                amount_fen=-p.amount_fen,
                fund_source=p.fund_source,
                reverses=p,
                reason=reason.strip(),
                entered_by=scope.person(acting_user),
            )
            events.record(
                RELIEF_REVERSED,
                actor=acting_user,
                obj=p.application,
                data={"period": p.period, "amount_fen": p.amount_fen, "reason": r.reason},
            )
    except IntegrityError:
        raise ValidationError(_("This payment has already been reversed.")) from None
    return r


def pending_payments(acting_user, unit):
    """Payments of households under `unit` not yet sent to the bank (nor reversed)."""
    return scope.restrict(ReliefPayment.objects.all(), acting_user, "change").filter(
        kind=ReliefPayment.Kind.PAYMENT,
        batch__isnull=True,
        reversed_by__isnull=True,
        household__unit__path__startswith=unit.path,
    )


def make_batch(*, acting_user, unit) -> PaymentBatch:
    """Gather the pending payments under `unit` into one batch for the bank."""
    scope.require(acting_user, "change", unit)
    with transaction.atomic():
        pending = pending_payments(acting_user, unit).select_for_update(of=("self",))
        ids = list(pending.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(_("There are no payments waiting for the bank."))
        total = ReliefPayment.objects.filter(pk__in=ids).aggregate(s=Sum("amount_fen"))["s"]
        batch = PaymentBatch.objects.create(
            number=f"PF{timezone.localdate():%Y%m}{counters.allocate('relief_batch')[0]:04d}",
            unit=unit,
            created_by=scope.person(acting_user),
            entries=len(ids),
            total_fen=total,
        )
        # The one change a ledger line ever takes: the batch that carries it to the bank.
        ReliefPayment.objects.filter(pk__in=ids, batch__isnull=True).update(batch=batch)
        events.record(
            BATCH_MADE,
            actor=acting_user,
            obj=batch,
            data={"entries": len(ids), "total_fen": total},
        )
    return batch


def batch_xlsx(batch: PaymentBatch, *, acting_user, purpose: str) -> bytes:
    """The spreadsheet for the bank: account numbers in full, so the reveal permission and a
    purpose are needed, and the export is logged."""
    scope.require(acting_user, "view", batch)
    pii.require_reveal(acting_user, batch.unit, purpose, model=Household)
    rows = (
        [
            i,
            p.household.number,
            p.household.head_name,
            p.household.bank_account,
            money.yuan(p.amount_fen),
            f"{p.fund_source} {p.period}",
        ]
        for i, p in enumerate(
            batch.payments.select_related("household").order_by("household__number", "period"),
            start=1,
        )
    )
    buf = io.BytesIO()
    n = xlsx.write_rows(buf, BANK_HEADERS, rows, sheet=batch.number)
    audit.record(
        AuditEvent.Kind.EXPORT,
        "export_payment_batch",
        actor=acting_user,
        obj=batch,
        data={"rows": n, "masked": False, "purpose": purpose.strip()},
    )
    return buf.getvalue()
