"""/api/v1/orgs: regions, units and enterprises, restricted to the caller's scope."""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status

from gongjia.orgs import actions
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import pii, scope
from gongjia.platform.api_base import (
    ERRORS,
    Limit,
    Offset,
    page,
    patch_changes,
    record_endpoints,
    reference,
    require_perm,
)

router = Router(tags=["orgs"])


class RegionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj):
        return getattr(obj, "parent_code", None)


class RegionPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[RegionOut]


def _branch_q(model, code):
    """`under=CODE`: the node with that code and everything below it."""
    if not code:
        return Q()
    node = model.objects.filter(code=code).first()
    return Q(path__startswith=node.path) if node else Q(pk__in=[])


class RegionFilter(FilterSchema):
    level: str | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__startswith"])] = None
    under: str | None = None

    def filter_under(self, value):
        return _branch_q(Region, value)


def _with_parent_codes(nodes):
    """Attach parent codes with one query (a parent's path is the child's path minus a step)."""
    if not nodes:
        return nodes
    model = type(nodes[0])
    steplen = model.steplen
    parent_paths = {n.path[:-steplen] for n in nodes if n.depth > 1}
    codes = dict(model.objects.filter(path__in=parent_paths).values_list("path", "code"))
    for n in nodes:
        n.parent_code = codes.get(n.path[:-steplen])
    return nodes


@router.get("/regions", response={200: RegionPage, **ERRORS})
def list_regions(request, filters: Query[RegionFilter], offset: Offset = 0, limit: Limit = 100):
    qs = filters.filter(scope.restrict(Region.objects.all(), request.user)).order_by("path")
    return page(qs, offset, limit, prepare=_with_parent_codes)


@router.get("/regions/{code}", response={200: RegionOut, **ERRORS})
def get_region(request, code: str):
    region = get_object_or_404(scope.restrict(Region.objects.all(), request.user), code=code)
    return _with_parent_codes([region])[0]


class RegionIn(Schema):
    parent_code: str
    code: str = Field(..., min_length=6, max_length=12)
    name: str = Field(..., min_length=1, max_length=100)
    level: Region.Level


class RegionPatch(Schema):
    name: str = Field(..., min_length=1, max_length=100)


@router.post("/regions", response={201: RegionOut, **ERRORS})
def create_region(request, payload: RegionIn):
    require_perm(request, Region, "add")
    parent = reference(
        Region.objects.all(),
        "parent_code",
        _("Division code"),
        scoped=False,
        code=payload.parent_code,
    )
    region = actions.create_region(
        acting_user=request.user,
        parent=parent,
        code=payload.code,
        name=payload.name,
        level=payload.level,
    )
    return Status(201, _with_parent_codes([region])[0])


@router.patch("/regions/{code}", response={200: RegionOut, **ERRORS})
def update_region(request, code: str, payload: RegionPatch):
    require_perm(request, Region, "change")
    region = get_object_or_404(Region, code=code)
    region = actions.rename_region(region, acting_user=request.user, name=payload.name)
    return _with_parent_codes([region])[0]


# --- units --------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    status: str
    credit_code: str | None
    founded_on: dt.date | None
    chair_name: str
    contact_name: str
    contact_phone: str
    region_code: str | None = None
    address: str
    parent_code: str | None = None
    depth: int

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_parent_code(obj):
        return getattr(obj, "parent_code", None)

    @staticmethod
    def resolve_contact_phone(obj):
        return pii.masked(obj, "contact_phone")  # a person's number: masked like every other


class UnitPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[UnitOut]


class UnitIn(Schema):
    parent_code: str
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrgUnit.Kind
    credit_code: str | None = None
    founded_on: dt.date | None = None
    chair_name: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    region_code: str | None = None
    address: str = ""


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    credit_code: str | None = None
    founded_on: dt.date | None = None
    chair_name: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    region_code: str | None = None
    address: str | None = None
    parent_code: str | None = None


class UnitFilter(FilterSchema):
    kind: OrgUnit.Kind | None = None
    status: OrgUnit.Status | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__startswith"])] = None
    under: str | None = None

    def filter_under(self, value):
        return _branch_q(OrgUnit, value)


def _region(code):
    if code is None:
        return None
    return reference(
        Region.objects.all(), "region_code", _("Division code"), scoped=False, code=code
    )


def _unit_by_code(request, code, field, action="view"):
    return reference(
        scope.restrict(OrgUnit.objects.all(), request.user, action),
        field,
        _("Unit code"),
        code=code,
    )


@router.get("/units", response={200: UnitPage, **ERRORS})
def list_units(request, filters: Query[UnitFilter], offset: Offset = 0, limit: Limit = 100):
    qs = filters.filter(scope.restrict(OrgUnit.objects.select_related("region"), request.user))
    return page(qs.order_by("path"), offset, limit, prepare=_with_parent_codes)


@router.get("/units/{code}", response={200: UnitOut, **ERRORS})
def get_unit(request, code: str):
    unit = get_object_or_404(
        scope.restrict(OrgUnit.objects.select_related("region"), request.user), code=code
    )
    return _with_parent_codes([unit])[0]


@router.post("/units", response={201: UnitOut, **ERRORS})
def create_unit(request, payload: UnitIn):
    require_perm(request, OrgUnit, "add")
    data = payload.dict()
    parent = _unit_by_code(request, data.pop("parent_code"), "parent_code", "add")
    data["region"] = _region(data.pop("region_code"))
    unit = actions.create_unit(acting_user=request.user, parent=parent, **data)
    return Status(201, _with_parent_codes([unit])[0])


@router.patch("/units/{code}", response={200: UnitOut, **ERRORS})
def update_unit(request, code: str, payload: UnitPatch):
    require_perm(request, OrgUnit, "change")
    unit = get_object_or_404(
        scope.restrict(OrgUnit.objects.all(), request.user, "change"), code=code
    )
    data = patch_changes(payload, OrgUnit)
    parent_code = data.pop("parent_code", None)
    if "region_code" in data:
        data["region"] = _region(data.pop("region_code"))
    unit = actions.update_unit(unit, acting_user=request.user, **data)
    if parent_code:
        parent = _unit_by_code(request, parent_code, "parent_code", "change")
        unit = actions.move_unit(unit, parent, acting_user=request.user)
    return _with_parent_codes([unit])[0]


# --- enterprises --------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    industry: str
    size_band: str
    headcount: int | None
    region_code: str
    address: str
    federation_code: str
    union_code: str | None = None

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code

    @staticmethod
    def resolve_federation_code(obj):
        return obj.federation.code

    @staticmethod
    def resolve_union_code(obj):
        return obj.union.code if obj.union_id else None


class EnterprisePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[EnterpriseOut]


class EnterpriseIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    credit_code: str
    industry: Enterprise.Industry
    size_band: Enterprise.SizeBand
    headcount: int | None = Field(None, ge=0)
    region_code: str
    address: str = ""
    federation_code: str
    union_code: str | None = None


class EnterprisePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    credit_code: str | None = None
    industry: Enterprise.Industry | None = None
    size_band: Enterprise.SizeBand | None = None
    headcount: int | None = Field(None, ge=0)
    region_code: str | None = None
    address: str | None = None
    federation_code: str | None = None
    union_code: str | None = None


class EnterpriseFilter(FilterSchema):
    industry: Enterprise.Industry | None = None
    size_band: Enterprise.SizeBand | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "credit_code"])] = None
    union_code: Annotated[str | None, FilterLookup("union__code")] = None
    federation_code: Annotated[str | None, FilterLookup("federation__code")] = None


def _enterprise_refs(request, data: dict):
    if "region_code" in data:
        data["region"] = _region(data.pop("region_code"))
    if "federation_code" in data:
        data["federation"] = _unit_by_code(request, data.pop("federation_code"), "federation_code")
    if "union_code" in data:
        code = data.pop("union_code")
        data["union"] = _unit_by_code(request, code, "union_code") if code else None
    return data


ENTERPRISE_QS = Enterprise.objects.select_related("region", "federation", "union")


def _create_enterprise(request, payload):
    data = _enterprise_refs(request, payload.dict())
    return actions.create_enterprise(acting_user=request.user, **data)


def _change_enterprise(request, ent, data):
    data = _enterprise_refs(request, data)
    actions.update_enterprise(ent, acting_user=request.user, **data)


record_endpoints(
    router,
    "/enterprises/{ent_id}",
    names=("list_enterprises", "create_enterprise", "get_enterprise", "update_enterprise"),
    queryset=ENTERPRISE_QS,
    out=EnterpriseOut,
    page_out=EnterprisePage,
    filters=EnterpriseFilter,
    order=("id",),
    limit=100,
    create=(EnterpriseIn, _create_enterprise),
    change=(EnterprisePatch, _change_enterprise),
)
