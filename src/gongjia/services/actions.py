"""The only code that changes the special services: bookings and their counts, crises, postings
and placements, helmets given, lent and written off, volunteers' shifts, beautiful factories
and workers, rest stations."""

import datetime as dt
import math
import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.selectors import members_by_id
from gongjia.orgs.models import Enterprise
from gongjia.platform import counters, events, formatting, parameters, pii, scope, workdays
from gongjia.platform.scope import SYSTEM
from gongjia.services import selectors
from gongjia.services.events import (
    CHECKED_IN,
    CRISIS_FOLLOWED,
    HELMET_ISSUED,
    SCORED,
    SESSION_RECORDED,
    SPOT_CHECKED,
)
from gongjia.services.models import (
    CRISIS_ACTIONS,
    BeautifulWorker,
    Booking,
    CounsellingRoom,
    Crisis,
    FactoryAssessment,
    FactoryScore,
    GateCount,
    HelmetBatch,
    HelmetIssue,
    HelmetPeriod,
    Placement,
    Posting,
    RestStation,
    Seeker,
    Session,
    SharedMove,
    Shift,
    SpotCheck,
    Stage,
    StationCheck,
    StationVisits,
    Volunteer,
    ZeroHousehold,
)
from gongjia.services.workflows import (
    booking_workflow,
    factory_workflow,
    period_workflow,
    placement_workflow,
    posting_workflow,
    room_workflow,
    station_workflow,
    worker_workflow,
)

# --- counselling ----------------------------------------------------------------------------------


def owner_digest(member_id: int) -> str:
    """A keyed digest of the worker: an anonymous booking keeps it so that the worker, and only
    the worker's own account, can list it."""
    return pii.blind_index(str(member_id), "counselling-booker")


def room_step(r: CounsellingRoom, name: str, *, acting_user, note: str = "", on=None):
    return room_workflow.run(r, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def book(
    room: CounsellingRoom,
    *,
    acting_user,
    channel: str,
    wanted_on: dt.date,
    wanted_at: dt.time,
    consent: bool,
    member_id: int | None = None,
    anonymous: bool = False,
    kind: str = Booking._meta.get_field("kind").default,
) -> Booking:
    """A booking by the worker in the portal (`acting_user` is then the worker), or by the room's
    staff for a phone call or a walk-in. Consent to the handling of mental-health data is given
    apart from anything else (PIPL art. 29)."""
    if channel != Booking.Channel.PORTAL:
        scope.require(acting_user, "add", room.unit, model=Booking)
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "A booking needs the worker's separate consent to the handling of "
                    "mental-health data."
                )
            }
        )
    room = CounsellingRoom.objects.select_for_update().get(pk=room.pk)
    if room.status != CounsellingRoom.Status.OPEN:
        raise ValidationError(_("%(r)s is closed.") % {"r": room})
    if wanted_on < timezone.localdate():
        raise ValidationError({"wanted_on": _("Choose a date from today on.")})
    if channel == Booking.Channel.PORTAL and not member_id:
        raise ValidationError(_("A booking in the portal is the worker's own."))
    year = wanted_on.year
    n = counters.allocate(f"counselling_booking_{year}")[0]
    b = Booking(
        number=f"XL{year}{n:06d}",
        room=room,
        channel=channel,
        kind=kind,
        wanted_on=wanted_on,
        wanted_at=wanted_at,
        anonymous=anonymous,
        member_id=None if anonymous else member_id,
        owner_digest=owner_digest(member_id) if (anonymous and member_id) else "",
        consent_at=timezone.now(),
    )
    b.full_clean()
    b.save()
    return b


def booking_step(b: Booking, name: str, *, acting_user, note: str = "", on=None):
    return booking_workflow.run(b, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def cancel_own_booking(b: Booking, *, member_id: int) -> Booking:
    """The worker cancels their own booking in the portal."""
    if b.pk not in set(selectors.own_bookings(member_id).values_list("pk", flat=True)):
        raise ValidationError(_("This booking is not yours."))
    return booking_workflow.perform(b, "cancel", acting_user=SYSTEM)


@transaction.atomic
def record_session(
    room: CounsellingRoom,
    *,
    acting_user,
    held_on: dt.date,
    minutes: int,
    kind: str,
    topic: str,
    people: int = 1,
    risk: bool = False,
    referred: bool = False,
    booking: Booking | None = None,
) -> Session:
    """The counts a session leaves: nothing said in it is ever written here."""
    scope.require(acting_user, "add", room.unit, model=Session)
    if booking is not None and booking.room_id != room.pk:
        raise ValidationError({"booking": _("The booking is for another room.")})
    s = Session(
        room=room,
        booking=booking,
        held_on=held_on,
        minutes=minutes,
        kind=kind,
        topic=topic,
        people=people,
        risk=risk,
        referred=referred,
    )
    s.full_clean()
    s.save()
    if booking is not None:
        booking_workflow.run(booking, "hold", acting_user=acting_user, on=held_on)
    events.record(SESSION_RECORDED, actor=acting_user, obj=room, data={"kind": kind})
    return s


@transaction.atomic
def record_crisis(room: CounsellingRoom, *, acting_user, at, taken, outcome: str) -> Crisis:
    """The crisis path logged as times and ticks; the follow-up is due within the parameter's
    hours (72)."""
    scope.require(acting_user, "add", room.unit, model=Crisis)
    known = {k for k, _label in CRISIS_ACTIONS}
    if not taken or set(taken) - known:
        raise ValidationError({"taken": _("Tick the actions taken.")})
    hours = parameters.value("services.counselling.follow_up_hours", timezone.localdate(at))
    c = Crisis(
        room=room,
        at=at,
        taken=sorted(taken),
        outcome=outcome,
        follow_up_due=at + dt.timedelta(hours=hours),
    )
    c.full_clean()
    c.save()
    return c


@transaction.atomic
def follow_up_crisis(c: Crisis, *, acting_user, at=None) -> Crisis:
    scope.require(acting_user, "follow_up", c)
    c = Crisis.objects.select_for_update().get(pk=c.pk)
    if c.followed_up_at:
        raise ValidationError(_("The follow-up is already recorded."))
    at = at or timezone.now()
    if at < c.at:
        raise ValidationError({"followed_up_at": _("The follow-up comes after the crisis.")})
    c.followed_up_at = at
    c.save(update_fields=["followed_up_at"])
    events.record(CRISIS_FOLLOWED, actor=acting_user, obj=c, data={})
    return c


# --- employment assistance -----------------------------------------------------------------------


@transaction.atomic
def register_seeker(
    seeker: Seeker, *, acting_user, member_number: str = "", household_id_number: str = ""
) -> Seeker:
    """A job seeker registered from the member register or the hardship archive: name and ID
    number come from the record, never typed again; one record per person."""
    from gongjia.assistance.models import HouseholdMember
    from gongjia.members.selectors import members_by_number

    scope.require(acting_user, "add", seeker.unit, model=Seeker)
    if bool(member_number) == bool(household_id_number):
        raise ValidationError(
            {"member_number": _("Give the member number or the household member's ID number.")}
        )
    if member_number:
        member = members_by_number([member_number]).get(member_number)
        if member is None:
            raise ValidationError(
                {"member_number": _("No member with the number %(n)s.") % {"n": member_number}}
            )
        seeker.member, seeker.name, seeker.id_number = member, member.name, member.id_number
    else:
        person = HouseholdMember.objects.filter(
            **pii.lookup(HouseholdMember, "id_number", household_id_number)
        ).first()
        if person is None:
            raise ValidationError(
                {"household_id_number": _("Nobody of an archived household has this ID number.")}
            )
        seeker.household_member = person
        seeker.member_id = person.member_id
        seeker.name, seeker.id_number = person.name, person.id_number
        if seeker.member_id:
            seeker.household_member = None  # a member is registered as the member
    seeker.full_clean()
    try:
        with transaction.atomic():
            seeker.save()
    except IntegrityError:
        raise ValidationError(
            _("%(n)s is registered as a job seeker already: one record per person.")
            % {"n": seeker.name}
        ) from None
    return seeker


def posting_step(p: Posting, name: str, *, acting_user, note: str = "", on=None):
    return posting_workflow.run(p, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def refer(
    seeker: Seeker, *, acting_user, enterprise=None, posting: Posting | None = None, on=None
) -> Placement:
    """A referral of a job seeker to an employer (to a posting, or directly)."""
    scope.require(acting_user, "add", seeker.unit, model=Placement)
    if posting is not None:
        if posting.status != Posting.Status.OPEN:
            raise ValidationError({"posting": _("The posting is no longer open.")})
        enterprise = posting.enterprise
    if enterprise is None:
        raise ValidationError({"enterprise": _("Choose the employer or the posting.")})
    if seeker.exited_on and seeker.exited_on <= (on or timezone.localdate()):
        raise ValidationError(
            _("%(s)s left the certification on %(d)s.")
            % {"s": seeker, "d": formatting.day(seeker.exited_on)}
        )
    p = Placement(
        seeker=seeker,
        unit=seeker.unit,
        posting=posting,
        enterprise=enterprise,
        referred_on=on or timezone.localdate(),
    )
    p.full_clean()
    p.save()
    return p


def placement_step(
    p: Placement, name: str, *, acting_user, note: str = "", on=None, values=None
) -> Placement:
    return placement_workflow.run(p, name, acting_user=acting_user, note=note, on=on, values=values)


def record_hire(
    p: Placement, *, acting_user, hired_on, evidence: str, evidence_reference: str, on=None
) -> Placement:
    """Hired, with the evidence (a contract, an insurance record or the employer's
    confirmation): only then does the person count as placed."""
    return placement_step(
        p,
        "hire",
        acting_user=acting_user,
        on=on or hired_on,
        values={
            "hired_on": hired_on,
            "evidence": evidence,
            "evidence_reference": evidence_reference,
        },
    )


@transaction.atomic
def confirm_zero_household(
    seeker: Seeker, *, acting_user, confirmed_on: dt.date, confirmed_by: str
) -> ZeroHousehold:
    """A zero-employment household confirmed: one member in work within a month (EPL art. 56)."""
    scope.require(acting_user, "add", seeker.unit, model=ZeroHousehold)
    months = parameters.value("services.employment.zero_household_months", confirmed_on)
    z = ZeroHousehold(
        unit=seeker.unit,
        seeker=seeker,
        confirmed_on=confirmed_on,
        confirmed_by=confirmed_by,
        due_on=workdays.add_months(confirmed_on, months),
    )
    z.full_clean()
    z.save()
    return z


# --- helmets --------------------------------------------------------------------------------------


def period_step(p: HelmetPeriod, name: str, *, acting_user, note: str = "", on=None):
    return period_workflow.run(p, name, acting_user=acting_user, note=note, on=on)


def _open_period(batch: HelmetBatch, on: dt.date) -> None:
    p = batch.period
    if p.status != HelmetPeriod.Status.OPEN:
        raise ValidationError(_("The period %(p)s is closed.") % {"p": p.name})
    if not p.starts_on <= on <= p.ends_on:
        raise ValidationError(
            _("%(d)s is outside the period %(p)s (%(a)s–%(b)s).")
            % {
                "d": formatting.day(on),
                "p": p.name,
                "a": formatting.day(p.starts_on),
                "b": formatting.day(p.ends_on),
            }
        )


@transaction.atomic
def issue_helmet(
    batch: HelmetBatch,
    member_id: int,
    *,
    acting_user,
    issued_on: dt.date,
    replacement: str = "",
    enterprise=None,
    signed: bool = True,
) -> HelmetIssue:
    """One helmet to one member: one per person within the parameter's months, unless it
    replaces one for a stated reason; never more than the batch holds."""
    batch = HelmetBatch.objects.select_for_update().select_related("period").get(pk=batch.pk)
    scope.require(acting_user, "add", batch.period.unit, model=HelmetIssue)
    _open_period(batch, issued_on)
    member = members_by_id([member_id]).get(member_id)
    if member is None:
        raise ValidationError({"member": _("No such member.")})
    if selectors.batch_left(batch) < 1:
        raise ValidationError(_("Batch %(b)s has no helmet left.") % {"b": batch})
    months = parameters.value("services.helmets.issue_period_months", issued_on)
    since = workdays.add_months(issued_on, -months)
    earlier = (
        HelmetIssue.objects.filter(member_id=member_id, issued_on__gt=since)
        .order_by("-issued_on")
        .first()
    )
    if earlier is not None and not replacement:
        raise ValidationError(
            {
                "replacement": _(
                    "%(m)s was given a helmet on %(d)s: a second one within %(n)s months "
                    "replaces it, with the reason."
                )
                % {"m": member.name, "d": formatting.day(earlier.issued_on), "n": months}
            }
        )
    i = HelmetIssue(
        batch=batch,
        member_id=member_id,
        enterprise=enterprise or member.employer,
        issued_on=issued_on,
        replacement=replacement,
        signed=signed,
    )
    i.full_clean()
    i.save()
    events.record(HELMET_ISSUED, actor=acting_user, obj=i, data={"batch": batch.pk})
    return i


@transaction.atomic
def move_shared(
    point, batch: HelmetBatch, *, acting_user, kind: str, quantity: int, on: dt.date, reason=""
) -> SharedMove:
    """A shared helmet placed at a point, lent, returned, cleaned or written off. A write-off
    leaves the stock and says why."""
    batch = HelmetBatch.objects.select_for_update().select_related("period").get(pk=batch.pk)
    scope.require(acting_user, "add", point.unit, model=SharedMove)
    _open_period(batch, on)
    if kind == SharedMove.Kind.WRITTEN_OFF and not reason.strip():
        raise ValidationError({"reason": _("Say why the helmets are written off.")})
    if kind in (SharedMove.Kind.STOCKED, SharedMove.Kind.WRITTEN_OFF):
        left = selectors.batch_left(batch)
        if quantity > left:
            raise ValidationError(
                {"quantity": _("Batch %(b)s holds %(n)s helmets.") % {"b": batch, "n": left}}
            )
    m = SharedMove(point=point, batch=batch, kind=kind, quantity=quantity, on=on, reason=reason)
    m.full_clean()
    m.save()
    return m


@transaction.atomic
def sign_up(shift: Shift, member_id: int, *, acting_user=SYSTEM) -> Volunteer:
    """A member takes a place on a shift (in the portal): never more volunteers than places."""
    shift = Shift.objects.select_for_update().select_related("post").get(pk=shift.pk)
    if shift.on < timezone.localdate():
        raise ValidationError(_("The shift is over."))
    taken = shift.volunteers.filter(withdrawn=False)
    if taken.filter(member_id=member_id).exists():
        raise ValidationError(_("You are already on this shift."))
    if taken.count() >= shift.places:
        raise ValidationError(_("The shift is full."))
    v, created = Volunteer.objects.get_or_create(shift=shift, member_id=member_id)
    if not created:
        Volunteer.objects.filter(pk=v.pk).update(withdrawn=False)
        v.withdrawn = False
    return v


@transaction.atomic
def withdraw_from_shift(v: Volunteer) -> Volunteer:
    v = Volunteer.objects.select_for_update().select_related("shift").get(pk=v.pk)
    if v.checked_in_at:
        raise ValidationError(_("You have already checked in."))
    v.withdrawn = True
    v.save(update_fields=["withdrawn"])
    return v


def check_in_window(shift: Shift) -> tuple[dt.datetime, dt.datetime]:
    """From half an hour before the shift until its end, on its day."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(shift.on, shift.starts_at, tz) - dt.timedelta(minutes=30)
    return start, dt.datetime.combine(shift.on, shift.ends_at, tz)


@transaction.atomic
def check_in(v: Volunteer, *, at=None) -> Volunteer:
    """The volunteer checks in on their phone at the post."""
    v = Volunteer.objects.select_for_update().select_related("shift__post").get(pk=v.pk)
    at = at or timezone.now()
    if v.withdrawn:
        raise ValidationError(_("You withdrew from this shift."))
    if v.checked_in_at:
        return v
    start, end = check_in_window(v.shift)
    if not start <= at <= end:
        raise ValidationError(
            _("Check-in opens at %(a)s and closes at %(b)s on %(d)s.")
            % {
                "a": timezone.localtime(start).strftime("%H:%M"),
                "b": timezone.localtime(end).strftime("%H:%M"),
                "d": formatting.day(v.shift.on),
            }
        )
    v.checked_in_at = at
    v.save(update_fields=["checked_in_at"])
    events.record(CHECKED_IN, actor=SYSTEM, obj=v, data={"post": v.shift.post_id})
    return v


# --- beautiful factories and workers -------------------------------------------------------------

STAGE_OPEN = {
    Stage.SELF: (FactoryAssessment.Status.APPLIED,),
    Stage.TOWN: (FactoryAssessment.Status.APPLIED,),
    Stage.DISTRICT: (FactoryAssessment.Status.CHECKED,),
}


@transaction.atomic
def score_factory(a: FactoryAssessment, *, acting_user, stage: str, scores: dict) -> None:
    """Scores of a stage, criterion code → share earned (0–100 %); a stage is scored while the
    assessment stands where that stage belongs."""
    a = FactoryAssessment.objects.select_for_update().get(pk=a.pk)
    scope.require(acting_user, "approve" if stage == Stage.DISTRICT else "change", a)
    if a.status not in STAGE_OPEN[stage]:
        raise ValidationError(
            _("The stage “%(s)s” is not scored while the assessment is “%(t)s”.")
            % {"s": Stage(stage).label, "t": a.get_status_display()}
        )
    items = {i.code: i for i in a.checklist.items.all()}
    errors = {}
    for code, percent in scores.items():
        if code not in items:
            errors[code] = _("No criterion %(c)s in the scheme.") % {"c": code}
        elif percent is None or not 0 <= int(percent) <= 100:
            errors[code] = _("Give a share between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    for code, percent in scores.items():
        FactoryScore.objects.update_or_create(
            assessment=a, stage=stage, item=items[code], defaults={"percent": int(percent)}
        )
    events.record(SCORED, actor=acting_user, obj=a, data={"stage": stage})


def factory_step(a: FactoryAssessment, name: str, *, acting_user, note: str = "", on=None):
    return factory_workflow.run(a, name, acting_user=acting_user, note=note, on=on)


def revoke_factory(a: FactoryAssessment, *, acting_user, on: dt.date, reason: str):
    """Revoked from the date of the bar event (services.md §4)."""
    return factory_workflow.run(a, "revoke", acting_user=acting_user, note=reason, on=on)


@transaction.atomic
def draw_spot_checks(unit, year: int, *, acting_user, on: dt.date | None = None) -> list:
    """At least the parameter's share (20 %) of the factories named and valid at the start of
    the year, drawn by a seeded draw any officer can repeat."""
    scope.require(acting_user, "approve", unit, model=FactoryAssessment)
    on = on or timezone.localdate()
    type(unit).objects.select_for_update().filter(pk=unit.pk).first()  # one draw at a time
    done = SpotCheck.objects.filter(year=year, assessment__unit__path__startswith=unit.path)
    if done.exists():
        raise ValidationError(
            _("The spot checks of %(y)s were drawn on %(d)s.")
            % {"y": year, "d": formatting.day(done.order_by("drawn_on")[0].drawn_on)}
        )
    holders = list(
        scope.restrict(selectors.factories_valid_on(dt.date(year, 1, 1)), acting_user)
        .filter(unit__path__startswith=unit.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pct = parameters.value("services.factories.spot_check_pct", on)
    n = math.ceil(len(holders) * pct / 100)
    drawn = sorted(random.Random(f"{unit.path}:{year}").sample(holders, n))
    return [SpotCheck.objects.create(assessment_id=pk, year=year, drawn_on=on) for pk in drawn]


@transaction.atomic
def record_spot_check(
    sc: SpotCheck, *, acting_user, result: str, checked_on: dt.date, level: str = "", reason=""
) -> SpotCheck:
    """Kept, downgraded to a lower level, or revoked from the day of the check."""
    sc = SpotCheck.objects.select_for_update().select_related("assessment__checklist").get(pk=sc.pk)
    a = sc.assessment
    scope.require(acting_user, "approve", a)
    if sc.result:
        raise ValidationError(_("The spot check is already recorded."))
    if a.status != FactoryAssessment.Status.NAMED:
        raise ValidationError(_("%(f)s is no longer named.") % {"f": a})
    if result == SpotCheck.Result.DOWNGRADED:
        levels = [str(g["grade"]) for g in a.checklist.grades]
        if level not in levels or levels.index(level) <= levels.index(a.level):
            raise ValidationError({"level": _("Choose a level below %(l)s.") % {"l": a.level}})
        FactoryAssessment.objects.filter(pk=a.pk).update(level=level)
    elif result == SpotCheck.Result.REVOKED:
        revoke_factory(a, acting_user=acting_user, on=checked_on, reason=reason)
    elif result != SpotCheck.Result.KEPT:
        raise ValidationError({"result": _("Choose the result.")})
    sc.result, sc.checked_on = result, checked_on
    sc.save(update_fields=["result", "checked_on"])
    events.record(SPOT_CHECKED, actor=acting_user, obj=a, data={"result": result})
    return sc


def worker_step(w: BeautifulWorker, name: str, *, acting_user, note: str = "", on=None):
    # Two officers naming workers of one enterprise at once: its row is the lock of its quota.
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=w.enterprise_id).first()
        return worker_workflow.run(w, name, acting_user=acting_user, note=note, on=on)


# --- rest stations --------------------------------------------------------------------------------


def station_step(s: RestStation, name: str, *, acting_user, note: str = "", on=None):
    return station_workflow.run(s, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def report_visits(station: RestStation, *, acting_user, month: dt.date, visits: int):
    """The host's count of a month's visits (a later report of the same month replaces it)."""
    scope.require(acting_user, "add", station.unit, model=StationVisits)
    month = month.replace(day=1)
    if month < station.opened_on.replace(day=1):
        raise ValidationError(
            {"month": _("The station opened on %(d)s.") % {"d": formatting.day(station.opened_on)}}
        )
    row, _created = StationVisits.objects.update_or_create(
        station=station, month=month, defaults={"visits": visits}
    )
    return row


@transaction.atomic
def record_station_check(
    station: RestStation, *, acting_user, checked_on, facilities, passed: bool, findings=""
) -> StationCheck:
    scope.require(acting_user, "add", station.unit, model=StationCheck)
    if not passed and not findings.strip():
        raise ValidationError({"findings": _("Say what failed.")})
    c = StationCheck(
        station=station,
        checked_on=checked_on,
        facilities=sorted(facilities),
        passed=passed,
        findings=findings,
    )
    c.full_clean()
    c.save()
    return c


@transaction.atomic
def nominate_worker(member_id: int, *, acting_user, unit, year: int, grounds, deeds: str):
    """The base union puts a worker forward (civility, safety, skill, volunteering)."""
    scope.require(acting_user, "add", unit, model=BeautifulWorker)
    member = members_by_id([member_id]).get(member_id)
    if member is None or member.employer_id is None:
        raise ValidationError(
            {"member_number": _("The worker's employer is not on their member record.")}
        )
    w = BeautifulWorker(
        member=member,
        enterprise_id=member.employer_id,
        unit=unit,
        year=year,
        grounds=sorted(grounds),
        deeds=deeds,
    )
    w.full_clean()
    w.save()
    return w


@transaction.atomic
def apply_factory(enterprise, *, acting_user, unit, checklist, year: int) -> FactoryAssessment:
    """The enterprise's application with its self-assessment to follow, with the town's union."""
    scope.require(acting_user, "add", unit, model=FactoryAssessment)
    a = FactoryAssessment(enterprise=enterprise, unit=unit, checklist=checklist, year=year)
    a.full_clean()
    a.save()
    return a


@transaction.atomic
def record_gate_count(enterprise, *, acting_user, on, riders: int, observed: int, wearing: int):
    """Riders counted at an enterprise's gate, by its town's union."""
    unit = enterprise.federation
    scope.require(acting_user, "add", unit, model=GateCount)
    if wearing > observed:
        raise ValidationError({"wearing": _("More riders wearing a helmet than observed.")})
    g = GateCount(
        enterprise=enterprise, unit=unit, on=on, riders=riders, observed=observed, wearing=wearing
    )
    g.full_clean()
    g.save()
    return g
