"""Filing a hardship household: its members, consent, finances and category, the procedure's
steps and the archive's own fields (assistance.md §§1-3)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.assistance import rules
from gongjia.assistance.events import CATEGORY_OVERRIDDEN, HOUSEHOLD_OPENED
from gongjia.assistance.models import (
    CategoryDecision,
    Household,
    HouseholdMember,
    YearFinance,
)
from gongjia.assistance.steps import follow_periods
from gongjia.assistance.workflows import CONSENT_PURPOSE, household_workflow
from gongjia.orgs.models import OrgUnit
from gongjia.platform import (
    consent,
    counters,
    events,
    parameters,
    pii,
    scope,
    validators,
)

HOUSEHOLD_FIELDS = (
    "head_name",
    "address",
    "primary_cause",
    "secondary_cause",
    "bank_account",
    "migrant",
    "lives_in_city",
    "employed_since",
    "exclusions",
)
# The version of the printed and portal notices a worker signs for each consent of this app.
NOTICE_VERSION = "2026-1"

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


def check_not_archived(members: list[HouseholdMember], acting_user) -> None:
    """One archive per household: nobody may stand in two (the database guarantees it too).
    The archive holding someone is named only to those who may see it."""
    keys = [
        pii.lookup(HouseholdMember, "id_number", m.id_number)["id_number_bidx"]
        for m in members
        if m.id_number
    ]
    other = (
        HouseholdMember.objects.filter(id_number_bidx__in=keys)
        .exclude(pk__in=[m.pk for m in members if m.pk])
        .select_related("household")
        .first()
    )
    if other is None:
        return
    if scope.person(acting_user) is None or scope.can(acting_user, "view", other.household):
        message = _("%(n)s already belongs to archive %(a)s.") % {
            "n": other.name,
            "a": other.household.number,
        }
    else:
        message = _("%(n)s already belongs to another archive.") % {"n": other.name}
    raise ValidationError({"members": message})


# The worker's separate consent (PIPL arts. 28-29) given with the application, before health data,
# income or a bank account is stored. The signed economic-check authorisation of the home visit
# (CONSENT_PURPOSE) covers them as well.
APPLICATION_PURPOSE = "困难职工建档申请：处理家庭成员健康状况、收入及银行账户等敏感个人信息"


def has_consent(household: Household) -> bool:
    return any(
        consent.has_active(household, purpose, separate=True)
        for purpose in (APPLICATION_PURPOSE, CONSENT_PURPOSE)
    )


def _require_consent(household: Household) -> None:
    if not has_consent(household):
        raise ValidationError(
            {
                "consent": _(
                    "Health, income and bank details are sensitive: record the worker's "
                    "separate consent first."
                )
            }
        )


def record_application_consent(
    household, *, acting_user, method="written", name="", by_subject=False
):
    """The worker's separate consent given with the application: entered by an officer from
    the signed form, or given by the worker themselves in the portal (`by_subject`)."""
    return consent.record(
        household,
        unit=household.unit,
        subject_name=name or household.head_name,
        purpose=APPLICATION_PURPOSE,
        notice_version=NOTICE_VERSION,
        separate=True,
        method=method,
        acting_user=acting_user,
        by_subject=by_subject,
    )


def open_household(
    *,
    acting_user,
    unit: OrgUnit,
    members: list[dict],
    applicant=None,
    consent_method: str = "",
    **fields,
) -> Household:
    """An application, by the union or by the worker in the portal (`applicant`). Health data
    and a bank account are stored only with the worker's separate consent (`consent_method`,
    written or electronic), recorded first."""
    scope.require(acting_user, "add", unit, model=Household)
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    if not members:
        raise ValidationError({"members": _("List the members of the household.")})
    sensitive = bool(fields.get("bank_account")) or any(m.get("health") for m in members)
    if sensitive and not consent_method:
        raise ValidationError(
            {
                "consent": _(
                    "Health, income and bank details are sensitive: record the worker's "
                    "separate consent first."
                )
            }
        )
    bank_account = fields.pop("bank_account", "")
    h = Household(unit=unit, applicant=applicant, **fields)
    h.full_clean(exclude=["number"])
    rows = [_member(h, m) for m in members]
    # A worker applying is not told which archive holds someone: only officers in scope are.
    check_not_archived(rows, scope.person(acting_user) or applicant or acting_user)
    try:
        with transaction.atomic():
            h.number = (
                f"KN{timezone.localdate().year}{counters.allocate('hardship_household')[0]:05d}"
            )
            h.save()
            if consent_method:
                head = next((m for m in rows if m.relationship == "self"), rows[0])
                record_application_consent(
                    h,
                    acting_user=scope.person(acting_user) or applicant,
                    method=consent_method,
                    name=head.name,
                    by_subject=scope.person(acting_user) is None and applicant is not None,
                )
            if bank_account:
                h.bank_account = bank_account
                h.save(update_fields=["bank_account"])
            for m in rows:
                m.household = h
            HouseholdMember.objects.bulk_create(rows)
    except IntegrityError:
        # Someone filed the same person at the same moment: the unique index decided.
        raise ValidationError(
            {"members": _("A member already belongs to another archive.")}
        ) from None
    events.record(
        HOUSEHOLD_OPENED,
        actor=scope.person(acting_user) or applicant,
        obj=h,
        data={"to": h.status},
    )
    return h


@transaction.atomic
def record_finances(household: Household, *, acting_user, year: int, **figures) -> CategoryDecision:
    """Enter a year's income and expenditure; the category is computed at once, with every
    input and parameter kept for audit."""
    scope.require(acting_user, "change", household)
    h = Household.objects.select_for_update().get(pk=household.pk)
    _require_consent(h)
    if year < 1990 or year > timezone.localdate().year:
        raise ValidationError({"year": _("Give a past or the current year.")})
    # Checked before anything is written (the household is left out: the year may be redone).
    YearFinance(household=h, year=year, **figures).full_clean(exclude=["household"])
    f, _created = YearFinance.objects.update_or_create(household=h, year=year, defaults=figures)
    region = h.unit.region.code if h.unit.region_id else ""
    try:
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
    except parameters.UnknownParameter:
        raise ValidationError(
            {"year": _("No minimum living standard is in force for %(y)s.") % {"y": year}}
        ) from None
    d = CategoryDecision.objects.create(
        household=h,
        year=year,
        computed=decision.category,
        category=decision.category,
        record=decision.as_record(),
        decided_by=scope.person(acting_user),
    )
    h.category, h.category_overridden = decision.category, False
    h.save(update_fields=["category", "category_overridden"])
    follow_periods(h, timezone.localdate())
    household.category = h.category
    return d


@transaction.atomic
def override_category(
    household: Household, *, acting_user, category: str, reason: str
) -> CategoryDecision:
    """An officer sets the category against the computation: only with a reason, logged."""
    scope.require(acting_user, "approve", household)
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
        decided_by=scope.person(acting_user),
    )
    h.category, h.category_overridden = category, True
    h.save(update_fields=["category", "category_overridden"])
    follow_periods(h, timezone.localdate())
    events.record(
        CATEGORY_OVERRIDDEN,
        actor=acting_user,
        obj=h,
        data={"computed": d.computed, "category": category, "reason": d.override_reason},
    )
    household.category = category
    return d


def record_authorisation(
    household: Household, *, acting_user, method="written", notice_version=NOTICE_VERSION
):
    """The signed household economic-status check authorisation: the separate consent,
    recorded at the home visit by those who take it."""
    scope.require(acting_user, "check", household)
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
    """One step of the archive procedure; what it checks and does is declared on the step
    (`workflows.household_workflow`, `steps`)."""
    return household_workflow.run(
        household, name, acting_user=acting_user, note=note, on=on, values=values
    )


def record_signal(signal, *, acting_user) -> int:
    """Save what is known of an employer and re-grade the archived members working there;
    returns how many were re-graded."""
    from gongjia.assistance.risk import grade_member

    scope.require(acting_user, "view", signal.enterprise)
    signal.full_clean()
    signal.save()
    members = HouseholdMember.objects.filter(
        employer=signal.enterprise,
        work=HouseholdMember.Work.EMPLOYED,
        household__status=Household.Status.ARCHIVED,
    )
    return sum(1 for m in members if grade_member(m))


def _validate_exclusions(codes, on) -> None:
    listed = parameters.value("assistance.exclusions", on=on)
    unknown = [c for c in codes or [] if c not in listed]
    if unknown:
        raise ValidationError({"exclusions": _("Unknown exclusions: %(c)s.") % {"c": unknown}})


def update_household(household: Household, *, acting_user, **fields) -> Household:
    """Change an application or archive's own fields (not its status or category)."""
    scope.require(acting_user, "change", household)
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    _validate_exclusions(fields.get("exclusions"), timezone.localdate())
    if fields.get("bank_account"):
        _require_consent(household)
    for k, v in fields.items():
        setattr(household, k, v)
    household.full_clean(exclude=["number"])
    household.save(update_fields=list(fields))
    return household
