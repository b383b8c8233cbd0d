"""/api/v1/services: counselling rooms (and a worker's own bookings, nothing else of anyone's),
employment postings, seekers and placements, the helmet stock and persuasion posts, beautiful
factories and rest stations; every list in the caller's scope."""

from django.db.models import Count, Sum
from ninja import Router, Schema

from gongjia.members.selectors import member_of
from gongjia.platform import scope
from gongjia.platform.api_base import ERRORS, Year, page, page_of
from gongjia.services import selectors
from gongjia.services.models import (
    Booking,
    CounsellingRoom,
    FactoryAssessment,
    HelmetBatch,
    PersuasionPost,
    Placement,
    Posting,
    RestStation,
    Seeker,
)

router = Router(tags=["services"])


class CounsellingRoomOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    host_code: str
    address: str
    hours: str
    area_m2: int
    opened_on: str
    meets_standard: bool
    status: str

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_host_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_opened_on(obj):
        return obj.opened_on.isoformat()


@router.get("/counselling/rooms", response={200: page_of(CounsellingRoomOut), **ERRORS})
def list_rooms(
    request, status: CounsellingRoom.Status | None = None, offset: int = 0, limit: int = 50
):
    """Counselling rooms with their level, host, hours and whether they meet the standard."""
    qs = scope.restrict(CounsellingRoom.objects.select_related("unit"), request.user)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-opened_on", "pk"), offset, limit)


class OwnBookingOut(Schema):
    number: str
    room: str
    kind: str
    wanted_on: str
    wanted_at: str
    anonymous: bool
    status: str
    status_label: str

    @staticmethod
    def resolve_room(obj):
        return obj.room.name

    @staticmethod
    def resolve_wanted_on(obj):
        return obj.wanted_on.isoformat()

    @staticmethod
    def resolve_wanted_at(obj):
        return obj.wanted_at.strftime("%H:%M")

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


@router.get("/counselling/bookings", response={200: page_of(OwnBookingOut), **ERRORS})
def list_own_bookings(request, offset: int = 0, limit: int = 50):
    """The caller's own bookings, named or anonymous: never anyone else's, whatever the
    caller's role."""
    member = member_of(request.user)
    qs = selectors.own_bookings(member.pk) if member else Booking.objects.none()
    return page(qs.order_by("-wanted_on", "-pk"), offset, limit)


class PostingOut(Schema):
    id: int
    employer: str
    credit_code: str
    occupation: str
    openings: int
    pay_min: int
    pay_max: int
    place: str
    weekly_hours: int
    contract: str
    insurance: bool
    accommodation: bool
    requirements: str
    posted_on: str
    status: str

    @staticmethod
    def resolve_employer(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_credit_code(obj):
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_place(obj):
        return obj.region.name

    @staticmethod
    def resolve_posted_on(obj):
        return obj.posted_on.isoformat()


@router.get("/employment/postings", response={200: page_of(PostingOut), **ERRORS})
def list_postings(request, status: Posting.Status | None = None, offset: int = 0, limit: int = 50):
    """Job postings of employers verified by their credit code."""
    qs = scope.restrict(Posting.objects.select_related("enterprise", "region"), request.user)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-posted_on", "pk"), offset, limit)


class SeekerOut(Schema):
    id: int
    name: str
    unit_code: str
    category: str
    category_label: str
    certified_on: str
    certified_by: str
    certificate_number: str
    exited_on: str | None
    occupation: str
    registered_on: str
    hires: int

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()

    @staticmethod
    def resolve_certified_on(obj):
        return obj.certified_on.isoformat()

    @staticmethod
    def resolve_exited_on(obj):
        return obj.exited_on.isoformat() if obj.exited_on else None

    @staticmethod
    def resolve_registered_on(obj):
        return obj.registered_on.isoformat()

    @staticmethod
    def resolve_hires(obj):
        return obj.n_hires


@router.get("/employment/seekers", response={200: page_of(SeekerOut), **ERRORS})
def list_seekers(request, offset: int = 0, limit: int = 50):
    """Job seekers with the certification the public employment service issued (the union never
    certifies) and the number of times they were hired with evidence."""
    qs = scope.restrict(
        Seeker.objects.select_related("unit").annotate(n_hires=Count("hires")), request.user
    )
    return page(qs.order_by("-registered_on", "pk"), offset, limit)


class PlacementOut(Schema):
    id: int
    seeker_id: int
    employer: str
    referred_on: str
    status: str
    status_label: str
    hired_on: str | None
    evidence: str
    next_check_on: str | None
    stable_3_on: str | None
    stable_6_on: str | None

    @staticmethod
    def resolve_employer(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_referred_on(obj):
        return obj.referred_on.isoformat()

    @staticmethod
    def resolve_hired_on(obj):
        return obj.hired_on.isoformat() if obj.hired_on else None

    @staticmethod
    def resolve_next_check_on(obj):
        return obj.next_check_on.isoformat() if obj.next_check_on else None

    @staticmethod
    def resolve_stable_3_on(obj):
        return obj.stable_3_on.isoformat() if obj.stable_3_on else None

    @staticmethod
    def resolve_stable_6_on(obj):
        return obj.stable_6_on.isoformat() if obj.stable_6_on else None


@router.get("/employment/placements", response={200: page_of(PlacementOut), **ERRORS})
def list_placements(
    request, status: Placement.Status | None = None, offset: int = 0, limit: int = 50
):
    """Placements from referral to six months of stable work."""
    qs = scope.restrict(Placement.objects.select_related("enterprise"), request.user)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-referred_on", "-pk"), offset, limit)


class HelmetStockOut(Schema):
    id: int
    period: str
    unit_code: str
    received_on: str
    supplier: str
    model: str
    type: str
    size: str
    standard: str
    ccc_number: str
    produced_on: str
    quantity: int
    issued: int
    unit_price_fen: int
    fund: str

    @staticmethod
    def resolve_period(obj):
        return obj.period.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.period.unit.code

    @staticmethod
    def resolve_received_on(obj):
        return obj.received_on.isoformat()

    @staticmethod
    def resolve_produced_on(obj):
        return obj.produced_on.isoformat()

    @staticmethod
    def resolve_issued(obj):
        return obj.n_issued


@router.get("/helmets/stock", response={200: page_of(HelmetStockOut), **ERRORS})
def list_stock(request, offset: int = 0, limit: int = 50):
    """The stock ledger by batch, with the helmets issued from each."""
    qs = scope.restrict(
        HelmetBatch.objects.select_related("period__unit").annotate(n_issued=Count("issues")),
        request.user,
    )
    return page(qs.order_by("-received_on", "pk"), offset, limit)


class PersuasionPostOut(Schema):
    id: int
    place: str
    partner: str
    unit_code: str
    active_from: str
    active_until: str | None
    observed: int
    without_helmet: int
    persuaded: int
    lent: int

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_active_from(obj):
        return obj.active_from.isoformat()

    @staticmethod
    def resolve_active_until(obj):
        return obj.active_until.isoformat() if obj.active_until else None

    @staticmethod
    def resolve_observed(obj):
        return obj.n_observed or 0

    @staticmethod
    def resolve_without_helmet(obj):
        return obj.n_without or 0

    @staticmethod
    def resolve_persuaded(obj):
        return obj.n_persuaded or 0

    @staticmethod
    def resolve_lent(obj):
        return obj.n_lent or 0


@router.get("/helmets/posts", response={200: page_of(PersuasionPostOut), **ERRORS})
def list_posts(request, offset: int = 0, limit: int = 50):
    """Persuasion posts with the totals of their logs."""
    qs = scope.restrict(
        PersuasionPost.objects.select_related("unit").annotate(
            n_observed=Sum("logs__observed"),
            n_without=Sum("logs__without_helmet"),
            n_persuaded=Sum("logs__persuaded"),
            n_lent=Sum("logs__lent"),
        ),
        request.user,
    )
    return page(qs.order_by("place", "pk"), offset, limit)


class FactoryOut(Schema):
    id: int
    enterprise: str
    unit_code: str
    year: int
    status: str
    status_label: str
    total: float | None
    level: str
    named_on: str | None
    expires_on: str | None
    ended_on: str | None

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_total(obj):
        return float(obj.total) if obj.total is not None else None

    @staticmethod
    def resolve_named_on(obj):
        return obj.named_on.isoformat() if obj.named_on else None

    @staticmethod
    def resolve_expires_on(obj):
        return obj.expires_on.isoformat() if obj.expires_on else None

    @staticmethod
    def resolve_ended_on(obj):
        return obj.ended_on.isoformat() if obj.ended_on else None


@router.get("/factories", response={200: page_of(FactoryOut), **ERRORS})
def list_factories(
    request,
    status: FactoryAssessment.Status | None = None,
    year: Year | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Beautiful-factory assessments with their level and validity."""
    qs = scope.restrict(
        FactoryAssessment.objects.select_related("enterprise", "unit"), request.user
    )
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(year=year)
    return page(qs.order_by("-year", "pk"), offset, limit)


class RestStationOut(Schema):
    id: int
    name: str
    host: str
    town: str
    address: str
    hours: str
    facilities: list[str]
    opened_on: str
    status: str

    @staticmethod
    def resolve_town(obj):
        return obj.region.name

    @staticmethod
    def resolve_facilities(obj):
        from gongjia.services.models import FACILITIES

        labels = dict(FACILITIES)
        return [str(labels[k]) for k in obj.facilities if k in labels]

    @staticmethod
    def resolve_opened_on(obj):
        return obj.opened_on.isoformat()


@router.get("/rest-stations", response={200: page_of(RestStationOut), **ERRORS})
def list_rest_stations(request, open_only: bool = False, offset: int = 0, limit: int = 50):
    """Outdoor workers' rest stations with their facilities."""
    qs = scope.restrict(RestStation.objects.select_related("region"), request.user)
    if open_only:
        qs = qs.filter(status=RestStation.Status.OPEN)
    return page(qs.order_by("name", "pk"), offset, limit)
