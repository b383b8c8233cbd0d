"""The only code that writes hardship archives: filing, the category, the procedure."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.assistance import rules
from gongjia.assistance.models import CategoryDecision, Household, HouseholdMember, YearFinance
from gongjia.assistance.workflows import CONSENT_PURPOSE, household_workflow
from gongjia.orgs.models import OrgUnit
from gongjia.platform import audit, consent, counters, parameters, pii, scope, validators, workdays
from gongjia.platform.models import AuditEvent

HOUSEHOLD_FIELDS = (
    "head_name",
    "address",
    "primary_cause",
    "secondary_cause",
    "bank_account",
    "migrant",
)
MEMBER_FIELDS = (
    "name",
    "relationship",
    "id_number",
    "health",
    "schooling",
    "work",
    "employer",
    "employer_name",
    "contract_ends_on",
    "wage_arrears",
)


def _may(acting_user, action, unit):
    if acting_user is None:
        return
    if not scope.units_in_scope(acting_user, Household, action).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not do this under %(u)s.") % {"u": unit})


def _member(household, data: dict) -> HouseholdMember:
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError(
            {"members": _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
        )
    m = HouseholdMember(household=household, **{k: v for k, v in data.items() if k != "id_number"})
    if data.get("id_number"):
        parsed = validators.parse_id_number(data["id_number"])
        m.id_number, m.birth_date = parsed.value, parsed.birth_date
    m.full_clean(exclude=["household", "id_number_bidx"])
    return m


def _already_archived(members: list[HouseholdMember], acting_user) -> None:
    """One archive per household: nobody may stand in two (the database guarantees it too)."""
    keys = [
        pii.lookup(HouseholdMember, "id_number", m.id_number)["id_number_bidx"]
        for m in members
        if m.id_number
    ]
    other = (
        HouseholdMember.objects.filter(id_number_bidx__in=keys).select_related("household").first()
    )
    if other is None:
        return
    if acting_user is None or scope.can(acting_user, "view", other.household):
        message = _("%(n)s already belongs to archive %(a)s.") % {
            "n": other.name,
            "a": other.household.number,
        }
    else:
        message = _("%(n)s already belongs to another archive.") % {"n": other.name}
    raise ValidationError({"members": message})


def open_household(
    *, acting_user, unit: OrgUnit, members: list[dict], applicant=None, **fields
) -> Household:
    """An application, by the union or by the worker in the portal (`applicant`)."""
    _may(acting_user, "add", unit)
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    if not members:
        raise ValidationError({"members": _("List the members of the household.")})
    h = Household(unit=unit, applicant=applicant, **fields)
    h.full_clean(exclude=["number"])
    rows = [_member(h, m) for m in members]
    _already_archived(rows, acting_user)
    try:
        with transaction.atomic():
            h.number = (
                f"KN{timezone.localdate().year}{counters.allocate('hardship_household')[0]:05d}"
            )
            h.save()
            for m in rows:
                m.household = h
            HouseholdMember.objects.bulk_create(rows)
    except IntegrityError:
        # Someone filed the same person at the same moment: the unique index decided.
        raise ValidationError(
            {"members": _("A member already belongs to another archive.")}
        ) from None
    audit.record(
        AuditEvent.Kind.TRANSITION,
        "open_household",
        actor=acting_user or applicant,
        obj=h,
        data={"to": h.status},
    )
    return h


@transaction.atomic
def record_finances(household: Household, *, acting_user, year: int, **figures) -> CategoryDecision:
    """Enter a year's income and expenditure; the category is computed at once, with every
    input and parameter kept for audit."""
    if acting_user is not None:
        scope.check(acting_user, "change", household)
    h = Household.objects.select_for_update().get(pk=household.pk)
    f, _created = YearFinance.objects.update_or_create(household=h, year=year, defaults=figures)
    f.full_clean()
    region = h.unit.region.code if h.unit.region_id else ""
    decision = rules.decide(
        income=f.income_fen,
        rigid=f.rigid_fen,
        members=f.members_living,
        region=region,
        on=dt.date(year, 12, 31)
        if dt.date(year, 12, 31) < timezone.localdate()
        else timezone.localdate(),
        accident_event=f.accident_event,
        accident_cost=f.accident_cost_fen,
    )
    d = CategoryDecision.objects.create(
        household=h,
        year=year,
        computed=decision.category,
        category=decision.category,
        record=decision.as_record(),
        decided_by=acting_user,
    )
    h.category, h.category_overridden = decision.category, False
    h.save(update_fields=["category", "category_overridden"])
    household.category = h.category
    return d


@transaction.atomic
def override_category(
    household: Household, *, acting_user, category: str, reason: str
) -> CategoryDecision:
    """An officer sets the category against the computation: only with a reason, logged."""
    scope.check(acting_user, "approve", household)
    if len((reason or "").strip()) < 4:
        raise ValidationError({"reason": _("Say why the computed category does not apply.")})
    if category not in ("", *Household.Category.values):
        raise ValidationError({"category": _("Choose a category.")})
    h = Household.objects.select_for_update().get(pk=household.pk)
    last = h.decisions.first()
    d = CategoryDecision.objects.create(
        household=h,
        year=last.year if last else timezone.localdate().year,
        computed=last.computed if last else "",
        category=category,
        record=last.record if last else {},
        override_reason=reason.strip(),
        decided_by=acting_user,
    )
    h.category, h.category_overridden = category, True
    h.save(update_fields=["category", "category_overridden"])
    audit.record(
        AuditEvent.Kind.TRANSITION,
        "override_category",
        actor=acting_user,
        obj=h,
        data={"computed": d.computed, "category": category, "reason": d.override_reason},
    )
    household.category = category
    return d


def record_authorisation(
    household: Household, *, acting_user, method="written", notice_version="2026-1"
):
    """The signed household economic-status check authorisation: the separate consent."""
    head = household.members.filter(relationship="self").first()
    return consent.record(
        household,
        unit=household.unit,
        subject_name=head.name if head else household.head_name,
        purpose=CONSENT_PURPOSE,
        notice_version=notice_version,
        separate=True,
        method=method,
        acting_user=acting_user,
    )


def household_step(household: Household, name: str, *, acting_user, note="", on=None, values=None):
    on = on or timezone.localdate()
    values = dict(values or {})
    with transaction.atomic():
        h = Household.objects.select_for_update().get(pk=household.pk)
        if name == "start_notice":
            days = parameters.value("assistance.public_notice_working_days", on=on)
            values["notice_until"] = workdays.deadline(on, days, "working_days")
        if name == "archive":
            if h.notice_until and on <= h.notice_until:
                raise ValidationError(
                    _("The public notice runs until %(d)s.") % {"d": h.notice_until}
                )
            values["archived_on"] = on
        if name == "exit":
            values["exited_on"] = on
            # Archive Measures: files kept 10 years after withdrawal.
            values["keep_until"] = workdays.add_months(on, 120)
        if name == "relapse":
            values.update(exit_reason="", exited_on=None, keep_until=None)
        household_workflow.perform(h, name, acting_user=acting_user, note=note, values=values)
        if name in ("archive", "relapse"):
            from gongjia.assistance.risk import grade_member

            for m in h.members.filter(work=HouseholdMember.Work.EMPLOYED):
                grade_member(m, on)
    household.__dict__.update({k: v for k, v in h.__dict__.items() if not k.startswith("_")})
    return household


def record_signal(signal, *, acting_user) -> int:
    """Save what is known of an employer and re-grade the archived members working there;
    returns how many were re-graded."""
    from gongjia.assistance.risk import grade_member

    if acting_user is not None:
        scope.check(acting_user, "view", signal.enterprise)
    signal.full_clean()
    signal.save()
    members = HouseholdMember.objects.filter(
        employer=signal.enterprise,
        work=HouseholdMember.Work.EMPLOYED,
        household__status=Household.Status.ARCHIVED,
    )
    return sum(1 for m in members if grade_member(m))
