"""/api/v1/rights/stations and /team: the station network and the legal service team."""

import datetime as dt
from typing import Annotated

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Schema

from gongjia.orgs.models import Enterprise
from gongjia.platform import scope
from gongjia.platform.api_base import (
    ERRORS,
    record_endpoints,
    reference,
    references,
    require_perm,
)
from gongjia.rights import actions, selectors
from gongjia.rights.api.base import region_refs, router, under_branch, unit_ref
from gongjia.rights.models import (
    Station,
    TeamMember,
)
from gongjia.rights.workflows import OPEN

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
    closed_on: dt.date | None
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
    closed_on: dt.date | None = None
    serves: list[str] = []


class StationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Station.Kind | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    hours: str | None = Field(None, min_length=1, max_length=100)
    phone: str | None = None
    opened_on: dt.date | None = None
    active: bool | None = None
    closed_on: dt.date | None = None
    serves: list[str] | None = None


class StationFilter(FilterSchema):
    kind: Station.Kind | None = None
    active: bool | None = None
    under: str | None = None
    serves: Annotated[str | None, FilterLookup("serves__code")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "address__icontains"])] = None

    def filter_under(self, value):
        return under_branch(value, "host__path")


STATIONS = Station.objects.select_related("host").prefetch_related("serves", "staff")


class CoverageOut(Schema):
    code: str
    name: str
    stations: list[int]


@router.get("/stations/coverage", response={200: list[CoverageOut], **ERRORS})
def station_coverage(request, gaps: bool = False):
    """Every village and community in the caller's area with the stations serving it;
    `gaps=true` lists only those not covered."""
    require_perm(request, Station, "view")
    return [
        {"code": r.code, "name": r.name, "stations": [s.pk for s in ss]}
        for r, ss in selectors.coverage(request.user)
        if not (gaps and ss)
    ]


def _create_station(request, payload):
    data = payload.dict()
    host = unit_ref(request, Station, data.pop("host_code"))
    serves = region_refs(data.pop("serves"), "serves")
    return actions.save_station(None, acting_user=request.user, host=host, serves=serves, **data)


def _change_station(request, station, data):
    if "serves" in data:
        data["serves"] = region_refs(data["serves"] or [], "serves")
    actions.save_station(station, acting_user=request.user, **data)


record_endpoints(
    router,
    "/stations/{station_id}",
    names=("list_stations", "create_station", "get_station", "update_station"),
    queryset=STATIONS,
    out=StationOut,
    page_out=StationPage,
    filters=StationFilter,
    order=("id",),
    distinct=True,
    create=(StationIn, _create_station),
    change=(StationPatch, _change_station),
)


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
        return under_branch(value, "unit__path")


TEAM = (
    TeamMember.objects.select_related("unit", "region")
    .prefetch_related("stations", "areas")
    .annotate(open_cases=Count("cases", filter=Q(cases__status__in=OPEN)))
)


def _team_refs(request, data: dict) -> dict:
    if "region_code" in data:
        code = data.pop("region_code")
        data["region"] = region_refs([code], "region_code")[0] if code else None
    if "enterprise_id" in data:
        ent = data.pop("enterprise_id")
        data["enterprise"] = (
            reference(
                scope.restrict(Enterprise.objects.all(), request.user),
                "enterprise_id",
                _("Enterprise"),
                pk=ent,
            )
            if ent
            else None
        )
    if data.get("stations") is not None:
        data["stations"] = references(
            scope.restrict(Station.objects.all(), request.user),
            "stations",
            Station._meta.verbose_name,
            data["stations"],
        )
    if data.get("areas") is not None:
        data["areas"] = region_refs(data["areas"], "areas")
    return data


def _create_team_member(request, payload):
    data = payload.dict()
    unit = unit_ref(request, TeamMember, data.pop("unit_code"), "unit_code")
    return actions.save_team_member(
        None, acting_user=request.user, unit=unit, **_team_refs(request, data)
    )


def _change_team_member(request, member, data):
    actions.save_team_member(member, acting_user=request.user, **_team_refs(request, data))


record_endpoints(
    router,
    "/team/{member_id}",
    names=("list_team", "create_team_member", "get_team_member", "update_team_member"),
    queryset=TEAM,
    out=TeamMemberOut,
    page_out=TeamPage,
    filters=TeamFilter,
    order=("id",),
    distinct=True,
    create=(TeamMemberIn, _create_team_member),
    change=(TeamMemberPatch, _change_team_member),
)
