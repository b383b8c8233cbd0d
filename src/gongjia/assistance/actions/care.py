"""Help given to archived households, one-to-one pairing with its visits, and the annual reviews
and follow-up calls (assistance.md §§3, 7)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.assistance.actions.archive import NOTICE_VERSION, household_step
from gongjia.assistance.events import HELP_RECORDED, PAIRED
from gongjia.assistance.models import (
    AssistanceRecord,
    CheckUp,
    Household,
    Pairing,
    Visit,
)
from gongjia.platform import (
    consent,
    events,
    parameters,
    scope,
)

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
    limit = CheckUp._meta.get_field("note").max_length
    if len(note.strip()) > limit:  # refused, never cut
        raise ValidationError(
            {
                "note": _("Keep the note to %(n)d characters (it has %(m)d).")
                % {"n": limit, "m": len(note.strip())}
            }
        )
    with transaction.atomic():
        c = CheckUp.objects.select_for_update().get(pk=checkup.pk)
        if c.done_on is not None:
            raise ValidationError(_("This check was already done on %(d)s.") % {"d": c.done_on})
        # Marked done first: reopening the archive drops the follow-ups still pending.
        CheckUp.objects.filter(pk=c.pk).update(
            done_on=on, outcome=outcome, note=note.strip(), done_by=scope.person(acting_user)
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
