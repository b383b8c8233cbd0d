"""/api/v1/orgs: regions, units and enterprises, restricted to the caller's scope."""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Router, Schema

from gongjia.orgs import actions
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import pii, scope
from gongjia.platform.api_base import record_endpoints, reference

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


class RegionIn(Schema):
    parent_code: str
    code: str = Field(..., min_length=6, max_length=12)
    name: str = Field(..., min_length=1, max_length=100)
    level: Region.Level


class RegionPatch(Schema):
    name: str = Field(..., min_length=1, max_length=100)


# Regions and units alike: nodes of a tree in tree order, addressed by code, with their parents'.
TREE_NODES = dict(order=("path",), limit=100, key="code", prepare=_with_parent_codes)


def _create_region(request, payload):
    parent = reference(
        Region.objects.all(),
        "parent_code",
        _("Division code"),
        scoped=False,
        code=payload.parent_code,
    )
    return actions.create_region(
        acting_user=request.user,
        parent=parent,
        code=payload.code,
        name=payload.name,
        level=payload.level,
    )


def _rename_region(request, region, data):
    actions.rename_region(region, acting_user=request.user, name=data["name"])


record_endpoints(
    router,
    "/regions/{code}",
    names=("list_regions", "create_region", "get_region", "update_region"),
    queryset=Region.objects.all(),
    out=RegionOut,
    page_out=RegionPage,
    filters=RegionFilter,
    **TREE_NODES,
    create=(RegionIn, _create_region),
    change=(RegionPatch, _rename_region),
)


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


def _create_unit(request, payload):
    data = payload.dict()
    parent = _unit_by_code(request, data.pop("parent_code"), "parent_code", "add")
    data["region"] = _region(data.pop("region_code"))
    return actions.create_unit(acting_user=request.user, parent=parent, **data)


def _change_unit(request, unit, data):
    parent_code = data.pop("parent_code", None)
    if "region_code" in data:
        data["region"] = _region(data.pop("region_code"))
    unit = actions.update_unit(unit, acting_user=request.user, **data)
    if parent_code:
        parent = _unit_by_code(request, parent_code, "parent_code", "change")
        actions.move_unit(unit, parent, acting_user=request.user)


record_endpoints(
    router,
    "/units/{code}",
    names=("list_units", "create_unit", "get_unit", "update_unit"),
    queryset=OrgUnit.objects.select_related("region"),
    out=UnitOut,
    page_out=UnitPage,
    filters=UnitFilter,
    **TREE_NODES,
    create=(UnitIn, _create_unit),
    change=(UnitPatch, _change_unit),
)


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
