"""/api/v1/rights: stations, the legal service team, dispute cases and collective
negotiations, in the caller's scope."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status

from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import pii, scope
from gongjia.platform.api_base import ErrorOut, page, reference, require_perm, scoped_get
from gongjia.rights import actions, selectors
from gongjia.rights.models import (
    Agency,
    Ballot,
    CaseClaim,
    Clause,
    DisputeCase,
    Negotiation,
    Representative,
    Station,
    TeamMember,
)
from gongjia.rights.workflows import OPEN, case_workflow, negotiation_workflow

router = Router(tags=["rights"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _unit(request, model, code, field="host_code", action="add"):
    return reference(
        scope.units_in_scope(request.user, model, action),
        field,
        f"单位代码 {code} 不存在或不在您的管辖范围内",
        code=code,
    )


def _regions(codes: list[str], field: str) -> list[Region]:
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({field: [f"区划代码 {'、'.join(missing)} 不存在"]})
    return [found[c] for c in codes]


def _under(value, path_field):
    if not value:
        return Q()
    unit = OrgUnit.objects.filter(code=value).first()
    return Q(**{f"{path_field}__startswith": unit.path}) if unit else Q(pk__in=[])


# --- stations -----------------------------------------------------------------------------------


class StationOut(Schema):
    id: int
    name: str
    kind: str
    host_code: str
    host_name: str
    address: str
    hours: str
    phone: str
    opened_on: dt.date | None
    active: bool
    serves: list[str]
    staff: list[int]

    @staticmethod
    def resolve_host_code(obj):
        return obj.host.code

    @staticmethod
    def resolve_host_name(obj):
        return obj.host.name

    @staticmethod
    def resolve_serves(obj):
        return [r.code for r in obj.serves.all()]

    @staticmethod
    def resolve_staff(obj):
        return [m.pk for m in obj.staff.all()]


class StationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[StationOut]


class StationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Station.Kind = Station.Kind.STATION
    host_code: str
    address: str = Field(..., min_length=1, max_length=200)
    hours: str = Field(..., min_length=1, max_length=100)
    phone: str = ""
    opened_on: dt.date | None = None
    active: bool = True
    serves: list[str] = []


class StationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Station.Kind | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    hours: str | None = Field(None, min_length=1, max_length=100)
    phone: str | None = None
    opened_on: dt.date | None = None
    active: bool | None = None
    serves: list[str] | None = None


class StationFilter(FilterSchema):
    kind: Station.Kind | None = None
    active: bool | None = None
    under: str | None = None
    serves: Annotated[str | None, FilterLookup("serves__code")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "address__icontains"])] = None

    def filter_under(self, value):
        return _under(value, "host__path")


STATIONS = Station.objects.select_related("host").prefetch_related("serves", "staff")


@router.get("/stations", response={200: StationPage, **ERRORS})
def list_stations(request, filters: Query[StationFilter], offset: int = 0, limit: int = 50):
    qs = filters.filter(scope.restrict(STATIONS, request.user)).distinct().order_by("id")
    return page(qs, offset, limit)


class CoverageOut(Schema):
    code: str
    name: str
    stations: list[int]


@router.get("/stations/coverage", response={200: list[CoverageOut], **ERRORS})
def station_coverage(request, gaps: bool = False):
    """Every village and community in the caller's area with the stations serving it;
    `gaps=true` lists only those not covered."""
    return [
        {"code": r.code, "name": r.name, "stations": [s.pk for s in ss]}
        for r, ss in selectors.coverage(request.user)
        if not (gaps and ss)
    ]


@router.post("/stations", response={201: StationOut, **ERRORS})
def create_station(request, payload: StationIn):
    require_perm(request, Station, "add")
    data = payload.dict()
    host = _unit(request, Station, data.pop("host_code"))
    serves = _regions(data.pop("serves"), "serves")
    s = actions.save_station(None, acting_user=request.user, host=host, serves=serves, **data)
    return Status(201, STATIONS.get(pk=s.pk))


@router.get("/stations/{station_id}", response={200: StationOut, **ERRORS})
def get_station(request, station_id: int):
    return scoped_get(request, STATIONS, station_id)


@router.patch("/stations/{station_id}", response={200: StationOut, **ERRORS})
def update_station(request, station_id: int, payload: StationPatch):
    require_perm(request, Station, "change")
    station = scoped_get(request, STATIONS, station_id, "change")
    data = payload.dict(exclude_unset=True)
    if "serves" in data:
        data["serves"] = _regions(data["serves"] or [], "serves")
    actions.save_station(station, acting_user=request.user, **data)
    return STATIONS.get(pk=station.pk)


# --- the team -----------------------------------------------------------------------------------


class TeamMemberOut(Schema):
    id: int
    kind: str
    name: str
    unit_code: str
    region_code: str | None
    enterprise_id: int | None
    firm: str
    licence_number: str
    credential_number: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    credential_valid: bool
    active: bool
    open_cases: int
    stations: list[int]
    areas: list[str]

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_credential_valid(obj):
        return obj.credential_valid_on(timezone.localdate())

    @staticmethod
    def resolve_stations(obj):
        return [s.pk for s in obj.stations.all()]

    @staticmethod
    def resolve_areas(obj):
        return [r.code for r in obj.areas.all()]


class TeamPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[TeamMemberOut]


class TeamMemberIn(Schema):
    kind: TeamMember.Kind
    name: str = Field(..., min_length=1, max_length=50)
    unit_code: str
    mobile: str = ""
    region_code: str | None = None
    enterprise_id: int | None = None
    firm: str = ""
    licence_number: str = ""
    credential_number: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    active: bool = True
    stations: list[int] = []
    areas: list[str] = []


class TeamMemberPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=50)
    mobile: str | None = None
    region_code: str | None = None
    enterprise_id: int | None = None
    firm: str | None = None
    licence_number: str | None = None
    credential_number: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    active: bool | None = None
    stations: list[int] | None = None
    areas: list[str] | None = None


class TeamFilter(FilterSchema):
    kind: TeamMember.Kind | None = None
    active: bool | None = None
    under: str | None = None
    station: Annotated[int | None, FilterLookup("stations__id")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "firm__icontains"])] = None

    def filter_under(self, value):
        return _under(value, "unit__path")


TEAM = (
    TeamMember.objects.select_related("unit", "region")
    .prefetch_related("stations", "areas")
    .annotate(open_cases=Count("cases", filter=Q(cases__status__in=OPEN)))
)


def _team_refs(request, data: dict) -> dict:
    if "region_code" in data:
        code = data.pop("region_code")
        data["region"] = _regions([code], "region_code")[0] if code else None
    if "enterprise_id" in data:
        ent = data.pop("enterprise_id")
        data["enterprise"] = (
            reference(
                scope.restrict(Enterprise.objects.all(), request.user),
                "enterprise_id",
                f"企业 {ent} 不存在或不在您的管辖范围内",
                pk=ent,
            )
            if ent
            else None
        )
    if data.get("stations") is not None:
        ids = data["stations"]
        found = list(scope.restrict(Station.objects.filter(pk__in=ids), request.user))
        if len(found) != len(set(ids)):
            raise ValidationError({"stations": ["维权站不存在或不在您的管辖范围内"]})
        data["stations"] = found
    if data.get("areas") is not None:
        data["areas"] = _regions(data["areas"], "areas")
    return data


@router.get("/team", response={200: TeamPage, **ERRORS})
def list_team(request, filters: Query[TeamFilter], offset: int = 0, limit: int = 50):
    qs = filters.filter(scope.restrict(TEAM, request.user)).distinct().order_by("id")
    return page(qs, offset, limit)


@router.post("/team", response={201: TeamMemberOut, **ERRORS})
def create_team_member(request, payload: TeamMemberIn):
    require_perm(request, TeamMember, "add")
    data = payload.dict()
    unit = _unit(request, TeamMember, data.pop("unit_code"), "unit_code")
    m = actions.save_team_member(
        None, acting_user=request.user, unit=unit, **_team_refs(request, data)
    )
    return Status(201, TEAM.get(pk=m.pk))


@router.get("/team/{member_id}", response={200: TeamMemberOut, **ERRORS})
def get_team_member(request, member_id: int):
    return scoped_get(request, TEAM, member_id)


@router.patch("/team/{member_id}", response={200: TeamMemberOut, **ERRORS})
def update_team_member(request, member_id: int, payload: TeamMemberPatch):
    require_perm(request, TeamMember, "change")
    m = scoped_get(request, TEAM, member_id, "change")
    data = _team_refs(request, payload.dict(exclude_unset=True))
    actions.save_team_member(m, acting_user=request.user, **data)
    return TEAM.get(pk=m.pk)


# --- dispute cases ------------------------------------------------------------------------------


class CaseWorkerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    mobile_masked: str
    member_id: int | None
    representative: bool

    @staticmethod
    def resolve_id_number_masked(obj):
        return pii.mask_id_detail(obj.id_number)

    @staticmethod
    def resolve_mobile_masked(obj):
        return pii.mask_mobile(obj.mobile)


class CaseClaimOut(Schema):
    kind: str
    amount: Decimal | None
    description: str


class LimitationEventOut(Schema):
    kind: str
    on: dt.date
    note: str


class ReferralOut(Schema):
    id: int
    kind: str
    agency: str
    entrusted_on: dt.date
    due_on: dt.date
    result: str
    returned_on: dt.date | None
    feedback_letter: str

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name


class CaseOut(Schema):
    id: int
    number: str
    unit_code: str
    station_id: int | None
    channel: str
    oral: bool
    employer_id: int | None
    employer_name: str
    received_on: dt.date
    summary: str
    facts: dict
    common_claim: bool
    collective: bool
    status: str
    handler_id: int | None
    known_on: dt.date | None
    wage_arrears: bool
    employment_ended_on: dt.date | None
    limitation_expires_on: dt.date | None
    clock: str
    due_on: dt.date | None
    overdue: bool
    agreement_effective_on: dt.date | None
    award_received_on: dt.date | None
    final_award: bool | None
    closure: str
    fully_performed: bool
    closed_on: dt.date | None
    workers: list[CaseWorkerOut]
    claims: list[CaseClaimOut]
    limitation_events: list[LimitationEventOut]
    referrals: list[ReferralOut]

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_collective(obj):
        return selectors.is_collective(obj)

    @staticmethod
    def resolve_overdue(obj):
        return bool(obj.due_on and obj.status in OPEN and obj.due_on < timezone.localdate())

    @staticmethod
    def resolve_workers(obj):
        return list(obj.workers.all())

    @staticmethod
    def resolve_claims(obj):
        return list(obj.claims.all())

    @staticmethod
    def resolve_limitation_events(obj):
        return list(obj.limitation_events.all())

    @staticmethod
    def resolve_referrals(obj):
        return list(obj.referrals.all())


class CasePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[CaseOut]


class CaseWorkerIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = ""
    mobile: str = ""
    representative: bool = False


class CaseClaimIn(Schema):
    kind: CaseClaim.Kind
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    description: str = ""


class CaseIn(Schema):
    unit_code: str
    channel: DisputeCase.Channel
    station_id: int | None = None
    oral: bool = False
    oral_record: str = ""
    employer_id: int | None = None
    employer_name: str = ""
    received_on: dt.date | None = None
    summary: str = Field(..., min_length=2)
    facts: dict[str, str] = {}
    common_claim: bool = False
    handler_id: int | None = None
    known_on: dt.date | None = None
    wage_arrears: bool = False
    employment_ended_on: dt.date | None = None
    workers: list[CaseWorkerIn] = Field(..., min_length=1)
    claims: list[CaseClaimIn] = []


class CasePatch(Schema):
    station_id: int | None = None
    oral_record: str | None = None
    employer_name: str | None = None
    summary: str | None = None
    facts: dict[str, str] | None = None
    common_claim: bool | None = None
    handler_id: int | None = None
    known_on: dt.date | None = None
    wage_arrears: bool | None = None
    employment_ended_on: dt.date | None = None


class CaseFilter(FilterSchema):
    status: DisputeCase.Status | None = None
    channel: DisputeCase.Channel | None = None
    under: str | None = None
    received_year: Annotated[int | None, FilterLookup("received_on__year")] = None
    q: Annotated[str | None, FilterLookup(["number", "employer_name__icontains"])] = None
    overdue: bool | None = None

    def filter_under(self, value):
        return _under(value, "unit__path")

    def filter_overdue(self, value):
        if value is None:
            return Q()
        late = Q(status__in=OPEN, due_on__lt=timezone.localdate())
        return late if value else ~late


CASES = DisputeCase.objects.select_related("unit").prefetch_related(
    "workers", "claims", "limitation_events", "referrals__agency"
)


def _case_refs(request, data: dict) -> dict:
    for field, model in (("station_id", Station), ("handler_id", TeamMember)):
        if field in data:
            pk = data.pop(field)
            data[field[:-3]] = (
                reference(
                    scope.restrict(model.objects.all(), request.user),
                    field,
                    f"{pk} 不存在或不在您的管辖范围内",
                    pk=pk,
                )
                if pk
                else None
            )
    if "employer_id" in data:
        pk = data.pop("employer_id")
        data["employer"] = (
            reference(
                scope.restrict(Enterprise.objects.all(), request.user),
                "employer_id",
                f"企业 {pk} 不存在或不在您的管辖范围内",
                pk=pk,
            )
            if pk
            else None
        )
    return data


@router.get("/cases", response={200: CasePage, **ERRORS})
def list_cases(
    request, filters: Query[CaseFilter], mine: bool = False, offset: int = 0, limit: int = 50
):
    """Cases in scope; `mine=true`: the caller's own, as the handler; `overdue=true`: open
    cases past their deadline."""
    qs = filters.filter(scope.restrict(CASES, request.user))
    if mine:
        qs = qs.filter(handler__user=request.user)
    return page(qs.order_by("-received_on", "-id"), offset, limit)


@router.post("/cases", response={201: CaseOut, **ERRORS})
def create_case(request, payload: CaseIn):
    require_perm(request, DisputeCase, "add")
    data = payload.dict()
    unit = _unit(request, DisputeCase, data.pop("unit_code"), "unit_code")
    workers, claims = data.pop("workers"), data.pop("claims")
    data = {k: v for k, v in _case_refs(request, data).items() if v is not None}
    case = actions.open_case(
        acting_user=request.user, unit=unit, workers=workers, claims=claims, **data
    )
    return Status(201, CASES.get(pk=case.pk))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request, case_id: int):
    return scoped_get(request, CASES, case_id)


@router.patch("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def update_case(request, case_id: int, payload: CasePatch):
    require_perm(request, DisputeCase, "change")
    case = scoped_get(request, CASES, case_id, "change")
    data = _case_refs(request, payload.dict(exclude_unset=True))
    actions.update_case(case, acting_user=request.user, **data)
    return CASES.get(pk=case.pk)


class TransitionOut(Schema):
    name: str
    label: str
    note_required: bool
    required: list[str]


class CaseTransitionIn(Schema):
    name: str
    note: str = ""
    on: dt.date | None = None
    agreement_effective_on: dt.date | None = None
    award_received_on: dt.date | None = None
    closure: DisputeCase.Closure | None = None
    fully_performed: bool | None = None
    confirmation: str | None = None
    agency_id: int | None = None
    after_settlement: bool = False


@router.get("/cases/{case_id}/transitions", response={200: list[TransitionOut], **ERRORS})
def case_transitions(request, case_id: int):
    """The steps the caller may take on this case now."""
    case = scoped_get(request, CASES, case_id)
    return [
        {
            "name": t.name,
            "label": str(t.label),
            "note_required": t.note_required,
            "required": list(t.required),
        }
        for t in case_workflow.allowed(case, request.user)
    ]


@router.post("/cases/{case_id}/transitions", response={200: CaseOut, **ERRORS})
def perform_case_transition(request, case_id: int, payload: CaseTransitionIn):
    """Perform one step. Two officers moving the same case at once: one wins, the other gets
    a message naming the step and the state the case is in now."""
    case = scoped_get(request, CASES, case_id)
    values = {
        k: v
        for k, v in payload.dict(
            include={"agreement_effective_on", "award_received_on", "closure", "fully_performed"}
        ).items()
        if v is not None
    }
    if payload.confirmation:
        values["confirmation"] = payload.confirmation
    if payload.after_settlement:
        values["after_settlement"] = True
    if payload.agency_id:
        values["agency"] = reference(
            scope.restrict(Agency.objects.all(), request.user),
            "agency_id",
            f"协作单位 {payload.agency_id} 不存在",
            pk=payload.agency_id,
        )
    actions.case_step(
        case,
        payload.name,
        acting_user=request.user,
        note=payload.note,
        on=payload.on,
        values=values,
    )
    return CASES.get(pk=case.pk)


# --- collective negotiation ---------------------------------------------------------------------


class RepresentativeOut(Schema):
    id: int
    side: str
    name: str
    chief: bool
    outsider: bool
    appointed_on: dt.date
    vacated_on: dt.date | None


class ClauseOut(Schema):
    id: int
    number: int
    title: str
    versions: list[dict]

    @staticmethod
    def resolve_versions(obj):
        return [{"version": v.version, "side": v.side, "text": v.text} for v in obj.versions.all()]


class BallotOut(Schema):
    id: int
    question: str
    options: list[str]
    side: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    result: dict | None
    seal: str


class RoundOut(Schema):
    held_on: dt.date
    recorder: str
    minutes: str
    signed_by_chiefs: bool


class InformationOut(Schema):
    id: int
    what: str
    requested_on: dt.date
    due_on: dt.date
    supplied_on: dt.date | None


class NegotiationOut(Schema):
    id: int
    number: str
    title: str
    unit_code: str
    level: str
    kind: str
    enterprise_id: int | None
    covered: list[int]
    online: bool
    status: str
    offer_delivered_on: dt.date | None
    congress_total: int | None
    congress_present: int | None
    congress_yes: int | None
    signed_on: dt.date | None
    submitted_on: dt.date | None
    effective_on: dt.date | None
    published_on: dt.date | None
    term_months: int | None
    expires_on: dt.date | None
    clock: str
    due_on: dt.date | None
    seat_problems: list[str]
    representatives: list[RepresentativeOut]
    clauses: list[ClauseOut]
    ballots: list[BallotOut]
    rounds: list[RoundOut]
    information_requests: list[InformationOut]

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_covered(obj):
        return [e.pk for e in obj.covered.all()]

    @staticmethod
    def resolve_seat_problems(obj):
        return selectors.seat_problems_of(obj)

    @staticmethod
    def resolve_representatives(obj):
        return list(obj.representatives.all())

    @staticmethod
    def resolve_clauses(obj):
        return list(obj.clauses.all())

    @staticmethod
    def resolve_ballots(obj):
        return list(obj.ballots.all())

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())

    @staticmethod
    def resolve_information_requests(obj):
        return list(obj.information_requests.all())


class NegotiationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[NegotiationOut]


class NegotiationIn(Schema):
    unit_code: str
    title: str = Field(..., min_length=2, max_length=200)
    level: Negotiation.Level
    kind: Negotiation.Kind = Negotiation.Kind.WAGE
    enterprise_id: int | None = None
    covered: list[int] = []
    online: bool = False
    workers: int | None = Field(None, ge=0)
    offer_text: str = ""


class NegotiationPatch(Schema):
    title: str | None = Field(None, min_length=2, max_length=200)
    online: bool | None = None
    workers: int | None = Field(None, ge=0)
    offer_text: str | None = None
    offer_delivered_on: dt.date | None = None
    congress_total: int | None = Field(None, ge=0)
    congress_present: int | None = Field(None, ge=0)
    congress_yes: int | None = Field(None, ge=0)
    signed_on: dt.date | None = None
    submitted_on: dt.date | None = None
    received_by_labour_dept_on: dt.date | None = None
    published_on: dt.date | None = None
    term_months: int | None = Field(None, ge=1)
    explanation: str | None = None


class NegotiationFilter(FilterSchema):
    status: Negotiation.Status | None = None
    level: Negotiation.Level | None = None
    kind: Negotiation.Kind | None = None
    online: bool | None = None
    under: str | None = None

    def filter_under(self, value):
        return _under(value, "unit__path")


NEGOTIATIONS = Negotiation.objects.select_related("unit").prefetch_related(
    "covered", "representatives", "clauses__versions", "ballots", "rounds", "information_requests"
)


def _enterprises(request, ids, field):
    found = list(scope.restrict(Enterprise.objects.filter(pk__in=ids), request.user))
    if len(found) != len(set(ids)):
        raise ValidationError({field: ["企业不存在或不在您的管辖范围内"]})
    return found


@router.get("/negotiations", response={200: NegotiationPage, **ERRORS})
def list_negotiations(request, filters: Query[NegotiationFilter], offset: int = 0, limit: int = 50):
    qs = filters.filter(scope.restrict(NEGOTIATIONS, request.user)).order_by("-id")
    return page(qs, offset, limit)


@router.post("/negotiations", response={201: NegotiationOut, **ERRORS})
def create_negotiation(request, payload: NegotiationIn):
    require_perm(request, Negotiation, "add")
    data = payload.dict()
    unit = _unit(request, Negotiation, data.pop("unit_code"), "unit_code")
    covered = _enterprises(request, data.pop("covered"), "covered")
    ent = data.pop("enterprise_id")
    data["enterprise"] = _enterprises(request, [ent], "enterprise_id")[0] if ent else None
    n = actions.open_negotiation(acting_user=request.user, unit=unit, covered=covered, **data)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


@router.get("/negotiations/{nid}", response={200: NegotiationOut, **ERRORS})
def get_negotiation(request, nid: int):
    return scoped_get(request, NEGOTIATIONS, nid)


@router.patch("/negotiations/{nid}", response={200: NegotiationOut, **ERRORS})
def update_negotiation(request, nid: int, payload: NegotiationPatch):
    require_perm(request, Negotiation, "change")
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    actions.update_negotiation(n, acting_user=request.user, **payload.dict(exclude_unset=True))
    return NEGOTIATIONS.get(pk=n.pk)


@router.get("/negotiations/{nid}/transitions", response={200: list[TransitionOut], **ERRORS})
def negotiation_transitions(request, nid: int):
    n = scoped_get(request, NEGOTIATIONS, nid)
    return [
        {
            "name": t.name,
            "label": str(t.label),
            "note_required": t.note_required,
            "required": list(t.required),
        }
        for t in negotiation_workflow.allowed(n, request.user)
    ]


class NegotiationTransitionIn(Schema):
    name: str
    note: str = ""
    on: dt.date | None = None
    values: dict = {}


@router.post("/negotiations/{nid}/transitions", response={200: NegotiationOut, **ERRORS})
def perform_negotiation_transition(request, nid: int, payload: NegotiationTransitionIn):
    n = scoped_get(request, NEGOTIATIONS, nid)
    # Dates, figures and texts a step may record; references are set through PATCH.
    allowed = {
        f
        for f in actions.NEGOTIATION_FIELDS
        if not Negotiation._meta.get_field(f).is_relation and f not in ("level", "kind")
    }
    unknown = set(payload.values) - allowed
    if unknown:
        raise ValidationError({k: ["此步骤不能设置该字段"] for k in unknown})
    # Dates arrive as text: let the model parse them as the form would.
    values = {k: Negotiation._meta.get_field(k).to_python(v) for k, v in payload.values.items()}
    actions.negotiation_step(
        n, payload.name, acting_user=request.user, note=payload.note, on=payload.on, values=values
    )
    return NEGOTIATIONS.get(pk=n.pk)


class RepresentativeIn(Schema):
    side: Representative.Side
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = ""
    chief: bool = False
    outsider: bool = False
    appointed_on: dt.date
    username: str | None = None


@router.post("/negotiations/{nid}/representatives", response={201: NegotiationOut, **ERRORS})
def add_representative(request, nid: int, payload: RepresentativeIn):
    from gongjia.accounts.models import User

    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    data = payload.dict()
    username = data.pop("username")
    if username:
        data["user"] = reference(
            User.objects.filter(is_active=True),
            "username",
            f"用户 {username} 不存在",
            username=username,
        )
    actions.seat(n, acting_user=request.user, **data)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class ProposalIn(Schema):
    number: int = Field(..., ge=1)
    title: str = Field(..., min_length=1, max_length=100)
    side: Representative.Side
    text: str = Field(..., min_length=1)


@router.post("/negotiations/{nid}/clauses", response={201: NegotiationOut, **ERRORS})
def propose_clause(request, nid: int, payload: ProposalIn):
    """A proposal or counter-proposal for clause `number` (created on its first proposal)."""
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    clause, _created = Clause.objects.get_or_create(
        negotiation=n, number=payload.number, defaults={"title": payload.title}
    )
    actions.propose(clause, acting_user=request.user, side=payload.side, text=payload.text)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class BallotIn(Schema):
    question: str = Field(..., min_length=2, max_length=300)
    options: list[str]
    side: Representative.Side = Representative.Side.WORKERS


@router.post("/negotiations/{nid}/ballots", response={201: BallotOut, **ERRORS})
def open_ballot(request, nid: int, payload: BallotIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    return Status(201, actions.open_ballot(n, acting_user=request.user, **payload.dict()))


class VoteIn(Schema):
    choice: str


@router.post("/ballots/{bid}/votes", response={200: BallotOut, **ERRORS})
def vote(request, bid: int, payload: VoteIn):
    """A representative's vote (their own account); voting again changes it until closed."""
    ballot = Ballot.objects.filter(pk=bid).first()
    if ballot is None:
        raise Http404
    actions.cast_vote(ballot, user=request.user, choice=payload.choice)
    ballot.refresh_from_db()
    return ballot


@router.post("/ballots/{bid}/close", response={200: BallotOut, **ERRORS})
def close_ballot(request, bid: int):
    ballot = scoped_get(request, Ballot.objects.all(), bid, "change")
    return actions.close_ballot(ballot, acting_user=request.user)


class ReferralIn(Schema):
    agency_id: int
    handler_name: str = ""
    on: dt.date | None = None


@router.post("/cases/{case_id}/referrals", response={201: CaseOut, **ERRORS})
def refer_case(request, case_id: int, payload: ReferralIn):
    case = scoped_get(request, CASES, case_id, "change")
    agency = reference(
        scope.restrict(Agency.objects.all(), request.user),
        "agency_id",
        f"协作单位 {payload.agency_id} 不存在",
        pk=payload.agency_id,
    )
    actions.refer(
        case,
        acting_user=request.user,
        agency=agency,
        on=payload.on,
        handler_name=payload.handler_name,
    )
    return Status(201, CASES.get(pk=case.pk))


class FeedbackIn(Schema):
    result: str
    feedback_letter: str = ""
    on: dt.date | None = None


@router.post("/cases/{case_id}/referrals/{referral_id}/feedback", response={200: CaseOut, **ERRORS})
def referral_feedback(request, case_id: int, referral_id: int, payload: FeedbackIn):
    case = scoped_get(request, CASES, case_id, "change")
    edge = case.referrals.filter(pk=referral_id).first()
    if edge is None:
        raise Http404
    actions.record_feedback(
        edge,
        acting_user=request.user,
        result=payload.result,
        letter=payload.feedback_letter,
        on=payload.on,
    )
    return CASES.get(pk=case.pk)


class RoundIn(Schema):
    held_on: dt.date
    recorder: str = Field(..., min_length=1, max_length=50)
    minutes: str = Field(..., min_length=1)
    signed_by_chiefs: bool = False


@router.post("/negotiations/{nid}/rounds", response={201: NegotiationOut, **ERRORS})
def add_round(request, nid: int, payload: RoundIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    actions.record_round(n, acting_user=request.user, **payload.dict())
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class InformationIn(Schema):
    what: str = Field(..., min_length=2, max_length=300)
    on: dt.date | None = None


@router.post("/negotiations/{nid}/information", response={201: NegotiationOut, **ERRORS})
def ask_information(request, nid: int, payload: InformationIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    actions.request_information(n, acting_user=request.user, what=payload.what, on=payload.on)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class SuppliedIn(Schema):
    on: dt.date | None = None


@router.post(
    "/negotiations/{nid}/information/{rid}/supplied", response={200: NegotiationOut, **ERRORS}
)
def information_supplied(request, nid: int, rid: int, payload: SuppliedIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    r = n.information_requests.filter(pk=rid).first()
    if r is None:
        raise Http404
    actions.information_supplied(r, acting_user=request.user, on=payload.on)
    return NEGOTIATIONS.get(pk=n.pk)
