"""The only code that writes hardship archives: filing, the category, the procedure."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.assistance import rules
from gongjia.assistance.events import CATEGORY_OVERRIDDEN, HELP_RECORDED, HOUSEHOLD_OPENED, PAIRED
from gongjia.assistance.models import (
    AssistanceRecord,
    CategoryDecision,
    CheckUp,
    Household,
    HouseholdMember,
    Pairing,
    Visit,
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


# --- help given to archived households -----------------------------------------------------------

GUARDIAN_PURPOSE = "未成年子女助学信息处理（监护人同意）"
RECORD_FIELDS = (
    "kind",
    "given_on",
    "beneficiary",
    "amount_fen",
    "item",
    "campaign",
    "fund_source",
    "legal_case",
    "signed",
    "note",
)


def _age(birth, on):
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_record(r: AssistanceRecord) -> None:
    """Everything a record of help must satisfy beyond its fields, as field errors."""
    household = r.household
    if household.status != Household.Status.ARCHIVED:
        raise ValidationError(
            {"household": _("File first, then help: the household must be archived.")}
        )
    b = r.beneficiary
    if b is not None and b.household_id != household.pk:
        raise ValidationError({"beneficiary": _("Choose a member of this household.")})
    if r.kind == AssistanceRecord.Kind.EDUCATION and b is not None and b.birth_date:
        limit = parameters.value("assistance.guardian_consent_age", on=r.given_on)
        if _age(b.birth_date, r.given_on) < limit and not consent.has_active(
            household, GUARDIAN_PURPOSE, separate=True
        ):
            raise ValidationError(
                {
                    "beneficiary": _(
                        "%(n)s is under %(a)s: record the guardian's consent first (PIPL art. 31)."
                    )
                    % {"n": b.name, "a": limit}
                }
            )


def record_assistance(household: Household, *, acting_user, **fields) -> AssistanceRecord:
    """File first, then help: only an archived household receives help on record."""
    scope.require(acting_user, "change", household)
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    r = AssistanceRecord(household=household, recorded_by=scope.person(acting_user), **fields)
    r.full_clean(exclude=["household", "recorded_by"])
    check_record(r)
    if r.legal_case_id:
        scope.require(acting_user, "view", r.legal_case)
    r.save()
    events.record(
        HELP_RECORDED,
        actor=acting_user,
        obj=household,
        data={"kind": r.kind, "amount_fen": r.amount_fen, "given_on": r.given_on.isoformat()},
    )
    return r


def record_guardian_consent(household: Household, *, acting_user, guardian: str, method="written"):
    return consent.record(
        household,
        unit=household.unit,
        subject_name=guardian,
        purpose=GUARDIAN_PURPOSE,
        notice_version=NOTICE_VERSION,
        separate=True,
        method=method,
        acting_user=acting_user,
    )


# --- one-to-one pairing --------------------------------------------------------------------------


def check_pairing(household: Household) -> None:
    if household.status != Household.Status.ARCHIVED:
        raise ValidationError(
            {"household": _("File first, then help: the household must be archived.")}
        )
    if Pairing.objects.filter(household=household, ended_on=None).exists():
        raise ValidationError(
            {"household": _("This household already has a helper: end that pairing first.")}
        )


def pair(household: Household, *, acting_user, helper, helper_unit, on=None, every_days=None):
    scope.require(acting_user, "change", household)
    check_pairing(household)
    on = on or timezone.localdate()
    every = every_days or parameters.value("assistance.visit_every_days", on=on)
    p = Pairing(
        household=household,
        helper=helper,
        helper_unit=helper_unit,
        started_on=on,
        visit_every_days=every,
        next_visit_on=on + dt.timedelta(days=every),
    )
    p.full_clean(exclude=["household", "helper", "helper_unit"])
    try:
        with transaction.atomic():
            p.save()
    except IntegrityError:  # paired by someone else at the same moment
        raise ValidationError(
            {"household": _("This household already has a helper: end that pairing first.")}
        ) from None
    events.record(
        PAIRED,
        actor=acting_user,
        obj=household,
        data={"helper": helper.username, "every_days": every},
    )
    return p


def log_visit(pairing: Pairing, *, acting_user, visited_on=None, kind="home", notes="") -> Visit:
    """A visit moves the next one due; only the helper or an officer of the household logs it."""
    if scope.person(acting_user) is None or acting_user.pk != pairing.helper_id:
        scope.require(acting_user, "change", pairing.household)
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be logged before it happens.")})
    if pairing.ended_on is not None:
        raise ValidationError(_("This pairing has ended."))
    with transaction.atomic():
        p = Pairing.objects.select_for_update().get(pk=pairing.pk)
        v = Visit(
            pairing=p,
            visited_on=visited_on,
            kind=kind,
            notes=notes,
            recorded_by=scope.person(acting_user),
        )
        v.full_clean(exclude=["pairing", "recorded_by"])
        v.save()
        latest = p.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
        p.next_visit_on = latest + dt.timedelta(days=p.visit_every_days)
        p.save(update_fields=["next_visit_on"])
    pairing.next_visit_on = p.next_visit_on
    return v


def end_pairing(pairing: Pairing, *, acting_user, on=None) -> Pairing:
    scope.require(acting_user, "change", pairing.household)
    on = on or timezone.localdate()
    Pairing.objects.filter(pk=pairing.pk, ended_on=None).update(ended_on=on)
    pairing.refresh_from_db()
    return pairing


# --- annual reviews and follow-up calls ----------------------------------------------------------


def open_annual_reviews(year: int | None = None) -> int:
    """The yearly sweep: one review per archived household, due at the end of the year."""
    year = year or timezone.localdate().year
    due = dt.date(year, 12, 31)
    have = set(
        CheckUp.objects.filter(kind=CheckUp.Kind.ANNUAL_REVIEW, due_on=due).values_list(
            "household_id", flat=True
        )
    )
    rows = [
        CheckUp(household_id=pk, kind=CheckUp.Kind.ANNUAL_REVIEW, due_on=due)
        for pk in Household.objects.filter(status=Household.Status.ARCHIVED).values_list(
            "pk", flat=True
        )
        if pk not in have
    ]
    CheckUp.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


OUTCOMES = {
    CheckUp.Kind.ANNUAL_REVIEW: (CheckUp.Outcome.CONTINUE, CheckUp.Outcome.EXIT),
    CheckUp.Kind.FOLLOW_UP: (CheckUp.Outcome.FINE, CheckUp.Outcome.RELAPSE),
}


def complete_checkup(
    checkup: CheckUp, *, acting_user, outcome: str, note="", exit_reason="", on=None
) -> CheckUp:
    """Record the outcome; leaving or reopening the archive goes through its procedure."""
    scope.require(acting_user, "change", checkup.household)
    on = on or timezone.localdate()
    if outcome not in OUTCOMES[checkup.kind]:
        raise ValidationError({"outcome": _("Choose an outcome of this kind of check.")})
    if outcome == CheckUp.Outcome.RELAPSE and len(note.strip()) < 2:
        raise ValidationError({"note": _("Please give a reason for this step.")})
    with transaction.atomic():
        c = CheckUp.objects.select_for_update().get(pk=checkup.pk)
        if c.done_on is not None:
            raise ValidationError(_("This check was already done on %(d)s.") % {"d": c.done_on})
        # Marked done first: reopening the archive drops the follow-ups still pending.
        CheckUp.objects.filter(pk=c.pk).update(
            done_on=on, outcome=outcome, note=note.strip()[:300], done_by=scope.person(acting_user)
        )
        h = c.household
        if outcome == CheckUp.Outcome.EXIT:
            household_step(
                h,
                "exit",
                acting_user=acting_user,
                note=note,
                on=on,
                values={"exit_reason": exit_reason},
            )
        elif outcome == CheckUp.Outcome.RELAPSE:
            household_step(h, "relapse", acting_user=acting_user, note=note, on=on)
    checkup.refresh_from_db()
    return checkup
