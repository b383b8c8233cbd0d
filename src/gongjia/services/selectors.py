"""Reads of the special services and their indicators (keys are stable; see the cockpit), and
what waits for the officers who run them. Counselling figures are aggregates only, with small
cells suppressed below the district."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import parameters, pii, scope
from gongjia.platform.kpis import RATE, SHARE, STOCK, indicator, year_end
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo
from gongjia.services.models import (
    Booking,
    CounsellingRoom,
    Crisis,
    ExternalFigure,
    FactoryAssessment,
    GateCount,
    HelmetBatch,
    HelmetIssue,
    Hire,
    Placement,
    RestStation,
    Seeker,
    Session,
    SharedMove,
    SpotCheck,
    ZeroHousehold,
)

F = FactoryAssessment.Status


def _year(year):
    return year or timezone.localdate().year


def _end(year):
    return year_end(year) or timezone.localdate()


# --- counselling ----------------------------------------------------------------------------------


def own_bookings(member_id: int):
    """A worker's own bookings, named or anonymous (found by the keyed digest of the worker)."""
    digest = pii.blind_index(str(member_id), "counselling-booker")
    return Booking.objects.filter(Q(member_id=member_id) | Q(owner_digest=digest)).select_related(
        "room"
    )


def open_rooms():
    return CounsellingRoom.objects.filter(status=CounsellingRoom.Status.OPEN).order_by(
        "level", "name"
    )


def counselling_stats(user, year: int, unit=None) -> list[dict]:
    """Sessions by kind: sessions, 人次 and crises/referrals per room's host unit. Below the
    district, a count under the parameter's cell (5) is shown as suppressed (None)."""
    qs = restrict(Session.objects.filter(held_on__year=year), user)
    if unit is not None:
        qs = qs.filter(room__unit__path__startswith=unit.path)
    rows = (
        qs.values("room__unit__name", "room__unit__kind", "kind")
        .annotate(
            sessions=Count("pk"),
            people=Sum("people"),
            risk=Count("pk", filter=Q(risk=True)),
            referred=Count("pk", filter=Q(referred=True)),
        )
        .order_by("room__unit__name", "kind")
    )
    floor = parameters.value("services.counselling.min_cell", dt.date(year, 12, 31))
    out = []
    for r in rows:
        district = r["room__unit__kind"] == OrgUnit.Kind.DISTRICT_FEDERATION
        row = {"unit": r["room__unit__name"], "kind": r["kind"]}
        for k in ("sessions", "people", "risk", "referred"):
            v = r[k] or 0
            row[k] = v if district or v == 0 or v >= floor else None
        out.append(row)
    return out


@indicator(
    "services.counselling_rooms",
    kind=STOCK,
    label=_("Counselling rooms"),
    unit=_("rooms"),
    link="admin:services_counsellingroom_changelist",
    by_year=True,
    counts=True,
)
def counselling_rooms(user, year=None):
    end = _end(year)
    return restrict(
        CounsellingRoom.objects.filter(opened_on__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=end)
        ),
        user,
    )


@indicator(
    "services.counselling_rooms_new",
    label=_("Counselling rooms opened"),
    unit=_("rooms"),
    link="admin:services_counsellingroom_changelist",
    by_year=True,
    counts=True,
)
def counselling_rooms_new(user, year=None):
    return restrict(CounsellingRoom.objects.filter(opened_on__year=_year(year)), user)


@indicator(
    "services.counselling_sessions",
    label=_("Counselling sessions"),
    unit=_("sessions"),
    link="admin:services_session_changelist",
    by_year=True,
    counts=True,
)
def counselling_sessions(user, year=None):
    return restrict(Session.objects.filter(held_on__year=_year(year)), user)


# --- employment -----------------------------------------------------------------------------------


@indicator(
    "services.placements",
    label=_("People with employment difficulties placed with the union's help"),
    unit=_("people"),
    link="admin:services_seeker_changelist",
    by_year=True,
    counts=True,
    distinct=True,  # over several years, a person placed in each counts once
)
def placements(user, year=None):
    """Distinct persons hired with evidence in the year, once each however often hired
    (services.md §2); fairs and postings never count."""
    return restrict(Seeker.objects.filter(hires__hired_on__year=_year(year)), user).distinct()


@indicator(
    "services.placements_stable_6m",
    label=_("Placed people in stable work for 6 months"),
    unit=_("people"),
    link="admin:services_seeker_changelist",
    by_year=True,
    counts=True,
    distinct=True,
)
def placements_stable_6m(user, year=None):
    return restrict(
        Seeker.objects.filter(placements__stable_6_on__year=_year(year)), user
    ).distinct()


@indicator(
    "services.urban_new_jobs",
    label=_("New urban jobs (government statistic)"),
    unit=_("people"),
    link="admin:services_externalfigure_changelist",
    by_year=True,
    sums="value",
)
def urban_new_jobs(user, year=None):
    """The government's figure as published, with its source: never computed here."""
    return restrict(
        ExternalFigure.objects.filter(key=ExternalFigure.Key.URBAN_NEW_JOBS, year=_year(year)),
        user,
    )


# --- helmets --------------------------------------------------------------------------------------


def batch_left(batch: HelmetBatch) -> int:
    """What a batch still holds: received − issued − placed at shared points − written off
    (shared helmets written off were placed at a point first, so they leave once)."""
    issued = batch.issues.count()
    moved = batch.shared_moves.aggregate(
        stocked=Sum("quantity", filter=Q(kind=SharedMove.Kind.STOCKED)),
    )
    return batch.quantity - issued - (moved["stocked"] or 0)


def reconciliation(period) -> dict:
    """opening + received − issued − written off = closing, for the union's stock (shared
    helmets at the points are still its stock)."""
    received = period.batches.aggregate(n=Sum("quantity"))["n"] or 0
    issued = HelmetIssue.objects.filter(
        batch__period__unit_id=period.unit_id,
        issued_on__gte=period.starts_on,
        issued_on__lte=period.ends_on,
    ).count()
    written_off = (
        SharedMove.objects.filter(
            batch__period__unit_id=period.unit_id,
            kind=SharedMove.Kind.WRITTEN_OFF,
            on__gte=period.starts_on,
            on__lte=period.ends_on,
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return {
        "opening": period.opening,
        "received": received,
        "issued": issued,
        "written_off": written_off,
        "closing": period.opening + received - issued - written_off,
    }


@indicator(
    "services.helmets_issued",
    label=_("Helmets given to members"),
    unit=_("helmets"),
    link="admin:services_helmetissue_changelist",
    by_year=True,
    counts=True,
)
def helmets_issued(user, year=None):
    return restrict(HelmetIssue.objects.filter(issued_on__year=_year(year)), user)


def _gates(user, year):
    return restrict(GateCount.objects.filter(on__year=_year(year)), user)


@indicator(
    "services.helmet_wearing_rate",
    kind=RATE,
    label=_("Riders wearing a helmet at enterprise gates"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:services_gatecount_changelist",
    by_year=True,
    records=_gates,
)
def helmet_wearing_rate(user, year=None):
    """Wearing ÷ observed over the year's gate counts (services.md §3)."""
    t = _gates(user, year).aggregate(w=Sum("wearing"), o=Sum("observed"))
    return round(t["w"] / t["o"], 4) if t["o"] else None


def wearing_by(user, year: int, field: str = "enterprise__name") -> list[dict]:
    """Wearing rate and coverage per enterprise (or per town with `unit__name`): coverage is the
    riders issued a helmet ÷ the riders counted."""
    rows = (
        _gates(user, year)
        .values(field, "enterprise_id")
        .annotate(w=Sum("wearing"), o=Sum("observed"), riders=Sum("riders"))
    )
    issued = dict(
        restrict(HelmetIssue.objects.filter(issued_on__year__lte=year), user)
        .values("enterprise_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("enterprise_id", "n")
    )
    out: dict = {}
    for r in rows:
        o = out.setdefault(r[field], {"name": r[field], "w": 0, "o": 0, "riders": 0, "issued": 0})
        o["w"] += r["w"] or 0
        o["o"] += r["o"] or 0
        o["riders"] += r["riders"] or 0
        o["issued"] += issued.get(r["enterprise_id"], 0)
    for o in out.values():
        o["wearing_rate"] = round(o["w"] / o["o"], 4) if o["o"] else None
        o["coverage"] = (
            round(min(o["issued"], o["riders"]) / o["riders"], 4) if o["riders"] else None
        )
    return sorted(out.values(), key=lambda o: o["name"])


# --- beautiful factories -------------------------------------------------------------------------


def factories_valid_on(on: dt.date):
    """Named by the day, not expired, not ended before it."""
    return (
        FactoryAssessment.objects.filter(named_on__lte=on, expires_on__gte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .exclude(status__in=(F.DECLINED,))
    )


@indicator(
    "services.beautiful_factories",
    kind=STOCK,
    label=_("Beautiful factories named and valid"),
    unit=_("enterprises"),
    link="admin:services_factoryassessment_changelist",
    by_year=True,
    counts=True,
)
def beautiful_factories(user, year=None):
    return restrict(factories_valid_on(_end(year)), user)


# --- rest stations --------------------------------------------------------------------------------


@indicator(
    "services.rest_stations",
    kind=STOCK,
    label=_("Outdoor workers' rest stations"),
    unit=_("units"),
    link="admin:services_reststation_changelist",
    by_year=True,
    counts=True,
)
def rest_stations(user, year=None):
    end = _end(year)
    return restrict(
        RestStation.objects.filter(opened_on__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=end)
        ),
        user,
    )


def stations_open():
    """The stations a worker may walk into now (the public list)."""
    return RestStation.objects.filter(status=RestStation.Status.OPEN).select_related("region")


# --- what waits --------------------------------------------------------------------------------


@todo(
    "services.crises",
    label=_("Crises awaiting their follow-up"),
    perm="services.follow_up_crisis",
    link="admin:services_crisis_changelist",
    query="followed_up_at__isnull=True",
)
def crises_to_follow(user):
    return restrict(Crisis.objects.filter(followed_up_at__isnull=True), user, "follow_up").count()


@todo(
    "services.placement_checks",
    label=_("Placements due for their stable-work check"),
    perm="services.change_placement",
    link="admin:services_placement_changelist",
    query="due=1",
)
def placement_checks(user):
    """Due checks of the placements the officer is responsible for (or nobody is)."""
    return due_checks(restrict(Placement.objects.all(), user, "change"), user).count()


def due_checks(qs, user):
    due = qs.filter(next_check_on__lte=timezone.localdate())
    if scope.person(user) is not None:
        due = due.filter(Q(seeker__officer=user) | Q(seeker__officer__isnull=True))
    return due


@todo(
    "services.zero_households",
    label=_("Zero-employment households past their month without a job"),
    perm="services.change_zerohousehold",
    link="admin:services_zerohousehold_changelist",
    query="overdue=1",
)
def zero_households_overdue(user):
    return zero_overdue(restrict(ZeroHousehold.objects.all(), user, "change")).count()


def zero_overdue(qs):
    """Past the due day with nobody of the household hired since the confirmation."""
    hired = Hire.objects.filter(seeker=OuterRef("seeker"), hired_on__gte=OuterRef("confirmed_on"))
    return qs.filter(due_on__lt=timezone.localdate()).exclude(Exists(hired))


@todo(
    "services.factories",
    label=_("Beautiful factories waiting for a step or a spot check"),
    perm="services.approve_factoryassessment",
    link="admin:services_factoryassessment_changelist",
    query="status__in=checked,spot_checked,notice",
)
def factories_waiting(user):
    # Steps to take, and namings past their validity still to be marked expired.
    waiting = restrict(
        FactoryAssessment.objects.filter(
            Q(status__in=(F.CHECKED, F.SPOT_CHECKED, F.NOTICE))
            | Q(status=F.NAMED, expires_on__lt=timezone.localdate())
        ),
        user,
        "approve",
    ).count()
    return waiting + restrict(SpotCheck.objects.filter(result=""), user, "approve").count()
