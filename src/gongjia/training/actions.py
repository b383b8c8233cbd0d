"""The only code that changes classes, enrolments, attendance, assessments, certificates and
training bases."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.selectors import SkillLevel, is_active, members_by_id
from gongjia.platform import events, parameters, scope
from gongjia.training.events import (
    ASSESSED,
    BASE_CHECKLIST,
    BASE_REVIEWED,
    CERTIFICATE_REVOKED,
    CHECKED_IN,
    ENROLLED,
)
from gongjia.training.models import (
    Attendance,
    BaseReview,
    Certificate,
    ClassSession,
    Enrolment,
    TrainingBase,
    TrainingClass,
)
from gongjia.training.steps import checklist_items
from gongjia.training.workflows import base_workflow, class_workflow, enrolment_workflow

K = TrainingClass.Status
E = Enrolment.Status


def class_step(c: TrainingClass, name: str, *, acting_user, note: str = "", on=None):
    """A step of a class (open for enrolment, start, complete, cancel)."""
    return class_workflow.run(c, name, acting_user=acting_user, note=note, on=on)


def enrolment_step(e: Enrolment, name: str, *, acting_user, note: str = ""):
    return enrolment_workflow.run(e, name, acting_user=acting_user, note=note)


def base_step(base: TrainingBase, name: str, *, acting_user, note: str = "", on=None):
    """A step of a training base (evaluated, named, renewed, not named, removed)."""
    return base_workflow.run(base, name, acting_user=acting_user, note=note, on=on)


# --- enrolment ---------------------------------------------------------------------------------


@transaction.atomic
def enrol(c: TrainingClass, member_id: int, *, acting_user, channel: str) -> Enrolment:
    """A member into a class open for enrolment: by their union (in its scope), by spreadsheet
    or by themselves in the portal (`acting_user=SYSTEM`, the portal having checked who they
    are). A customised class takes only the workers of its enterprise; places are counted
    under the class's lock, so two enrolments at once never pass its capacity."""
    c = (
        TrainingClass.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=c.pk)
    )
    member = members_by_id([member_id]).get(member_id)
    if member is None:
        raise ValidationError({"member": _("There is no such member.")})
    scope.require(acting_user, "add", member.union, model=Enrolment)
    if c.status != K.ENROLLING:
        raise ValidationError(
            _("“%(c)s” is not open for enrolment (it is “%(s)s”).")
            % {"c": c.name, "s": c.get_status_display()}
        )
    if not is_active(member):
        raise ValidationError({"member": _("%(m)s is not an active member.") % {"m": member.name}})
    if c.kind == TrainingClass.Kind.CUSTOMISED and member.employer_id != c.enterprise_id:
        raise ValidationError(
            {
                "member": _("“%(c)s” is customised for %(e)s: %(m)s works elsewhere.")
                % {"c": c.name, "e": c.enterprise, "m": member.name}
            }
        )
    if c.enrolments.filter(member=member).exists():
        raise ValidationError(
            {"member": _("%(m)s is already enrolled in “%(c)s”.") % {"m": member.name, "c": c}}
        )
    taken = c.enrolments.filter(status__in=(E.ENROLLED, E.COMPLETED)).count()
    if taken >= c.capacity:
        raise ValidationError(
            _("“%(c)s” is full: all %(n)s places are taken.") % {"c": c.name, "n": c.capacity}
        )
    enrolment = Enrolment(training_class=c, member=member, union=member.union, channel=channel)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise ValidationError(
            {"member": _("%(m)s is already enrolled in “%(c)s”.") % {"m": member.name, "c": c}}
        ) from None
    events.record(ENROLLED, actor=acting_user, obj=enrolment)
    return enrolment


# --- attendance --------------------------------------------------------------------------------


def _window(session: ClassSession) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    before = parameters.value("training.checkin_minutes_before", on=session.on)
    opens = dt.datetime.combine(session.on, session.starts_at, tz) - dt.timedelta(minutes=before)
    return opens, dt.datetime.combine(session.on, session.ends_at, tz)


@transaction.atomic
def check_in(token: str, member_id: int, *, acting_user, at=None) -> tuple[Attendance, bool]:
    """A member checks in by the session's code on their phone, from shortly before the
    session starts until it ends. Scanning twice keeps the first check-in (`made` False)."""
    at = at or timezone.now()
    session = ClassSession.objects.select_related("training_class").filter(token=token).first()
    if session is None:
        raise ValidationError(_("This check-in code belongs to no session."))
    c = session.training_class
    enrolment = Enrolment.objects.filter(training_class=c, member_id=member_id).first()
    if enrolment is None or enrolment.status != E.ENROLLED:
        raise ValidationError(
            _("You are not enrolled in “%(c)s”: enrol first, or ask the class's organiser.")
            % {"c": c.name}
        )
    scope.require(acting_user, "change", enrolment)
    if c.status != K.RUNNING:
        raise ValidationError(
            _("“%(c)s” is “%(s)s”: check-in is open while it runs.")
            % {"c": c.name, "s": c.get_status_display()}
        )
    opens, closes = _window(session)
    if not opens <= at <= closes:
        raise ValidationError(
            _("Check-in for this session is open from %(a)s to %(b)s.")
            % {
                "a": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                "b": timezone.localtime(closes).strftime("%H:%M"),
            }
        )
    attendance, made = Attendance.objects.get_or_create(
        session=session, enrolment=enrolment, defaults={"at": at, "how": Attendance.How.QR}
    )
    if made:
        events.record(CHECKED_IN, actor=acting_user, obj=enrolment, data={"session": session.pk})
    return attendance, made


@transaction.atomic
def mark_present(session: ClassSession, enrolment: Enrolment, *, acting_user) -> Attendance:
    """The teacher marks a person present (a phone without a signal, a forgotten phone)."""
    scope.require(acting_user, "change", session.training_class)
    if enrolment.training_class_id != session.training_class_id:
        raise ValidationError(_("The person is enrolled in another class."))
    if enrolment.status != E.ENROLLED:
        raise ValidationError(_("Only people enrolled are marked present."))
    attendance, _made = Attendance.objects.get_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"at": timezone.now(), "how": Attendance.How.ROLL},
    )
    return attendance


# --- assessment and certificates ---------------------------------------------------------------


@transaction.atomic
def assess(enrolment: Enrolment, score, *, acting_user, level=SkillLevel.NONE) -> Enrolment:
    """The assessment of an enrolled person (out of 100) and the skill level it certifies, no
    higher than the course trains for; recorded while the class runs."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("training_class__course")
        .get(pk=enrolment.pk)
    )
    scope.require(acting_user, "change", enrolment.training_class)
    c = enrolment.training_class
    if c.status != K.RUNNING or enrolment.status != E.ENROLLED:
        raise ValidationError(
            _("Assessments are recorded while the class runs, for people enrolled.")
        )
    try:
        score = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("An assessment is a mark from 0 to 100.")}) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("An assessment is a mark from 0 to 100.")})
    level = int(level or 0)
    if level > c.course.level:
        raise ValidationError(
            {
                "level_reached": _("The course trains for %(l)s: it certifies no higher level.")
                % {"l": c.course.get_level_display()}
            }
        )
    enrolment.score, enrolment.level_reached = score, level
    enrolment.save(update_fields=["score", "level_reached"])
    events.record(ASSESSED, actor=acting_user, obj=enrolment, data={"score": str(score)})
    return enrolment


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, reason: str, acting_user, on=None):
    """A certificate found wrongly issued is revoked, never deleted: the public page then says
    so."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    scope.require(acting_user, "change", certificate)
    if not reason.strip():
        raise ValidationError({"revoked_reason": _("Give the reason for revoking.")})
    if certificate.revoked_on:
        raise ValidationError(_("The certificate is already revoked."))
    certificate.revoked_on = on or timezone.localdate()
    certificate.revoked_reason = reason.strip()[:200]
    certificate.save(update_fields=["revoked_on", "revoked_reason"])
    events.record(CERTIFICATE_REVOKED, actor=acting_user, obj=certificate.enrolment)
    return certificate


# --- training bases ----------------------------------------------------------------------------


@transaction.atomic
def apply_base(
    enterprise, *, authority, kind, title, application, applied_on, acting_user
) -> TrainingBase:
    """An enterprise's application to be named a training base (or a learning station)."""
    scope.require(acting_user, "add", enterprise.federation, model=TrainingBase)
    base = TrainingBase(
        enterprise=enterprise,
        authority=authority,
        kind=kind,
        title=title,
        application=application,
        applied_on=applied_on,
    )
    base.full_clean()
    try:
        with transaction.atomic():
            base.save()
    except IntegrityError:
        raise ValidationError(
            _("%(e)s already has an application or a naming of this kind in force.")
            % {"e": enterprise}
        ) from None
    return base


@transaction.atomic
def record_checklist(base: TrainingBase, answers: dict, *, acting_user) -> TrainingBase:
    """The evaluation checklist's answers (each item met or not) as the evaluators found."""
    base = TrainingBase.objects.select_for_update().get(pk=base.pk)
    scope.require(acting_user, "change", base)
    if base.status not in (TrainingBase.Status.APPLIED, TrainingBase.Status.EVALUATED):
        raise ValidationError(_("The checklist is recorded before the base is named."))
    keys = {i["key"] for i in checklist_items()}
    base.checklist = {k: bool(v) for k, v in answers.items() if k in keys}
    base.save(update_fields=["checklist"])
    events.record(BASE_CHECKLIST, actor=acting_user, obj=base, data=base.checklist)
    return base


@transaction.atomic
def review_base(
    base: TrainingBase, *, year: int, passed: bool, acting_user, note: str = "", on=None
) -> BaseReview:
    """A named base's yearly review; a failed review is followed by its removal."""
    base = TrainingBase.objects.select_for_update().get(pk=base.pk)
    scope.require(acting_user, "change", base)
    if base.status != TrainingBase.Status.NAMED:
        raise ValidationError(_("Only a named base is reviewed."))
    if not passed and not note.strip():
        raise ValidationError({"note": _("Say what a failed review found.")})
    review = BaseReview(
        base=base,
        year=year,
        reviewed_on=on or timezone.localdate(),
        passed=passed,
        note=note.strip()[:300],
        recorded_by=scope.person(acting_user),
    )
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ValidationError(
            {"year": _("The review of %(y)s is already recorded.") % {"y": year}}
        ) from None
    events.record(BASE_REVIEWED, actor=acting_user, obj=base, data={"year": year, "passed": passed})
    return review
