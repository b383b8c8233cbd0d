"""/api/v1/members: the member registry and union foundings, in the caller's scope."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Router, Schema, Status

from gongjia.members import actions
from gongjia.members.models import Founding, Member, TransferRequest
from gongjia.members.workflows import founding_workflow, member_workflow
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import pii, scope, validators
from gongjia.platform.api_base import (
    ERRORS,
    Year,
    record_endpoints,
    reference,
    scoped_get,
    transition_endpoints,
)

transfers = Router(tags=["members"])
router = Router(tags=["members"])
# Mounted before `router`, so that /members/foundings is not taken for a member id.
foundings = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    member_number: str
    name: str
    id_number_masked: str
    sex: str
    birth_date: dt.date
    mobile_masked: str
    union_code: str
    union_name: str
    employer_id: int | None
    join_date: dt.date | None
    category: str
    skill_level: int
    highest_certificate: str
    education: str
    political_status: str
    status: str
    withdrawn_on: dt.date | None

    @staticmethod
    def resolve_id_number_masked(obj):
        return pii.mask_id_detail(obj.id_number)

    @staticmethod
    def resolve_mobile_masked(obj):
        return pii.mask_mobile(obj.mobile)

    @staticmethod
    def resolve_union_code(obj):
        return obj.union.code

    @staticmethod
    def resolve_union_name(obj):
        return obj.union.name


class MemberPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[MemberOut]


class MemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str
    union_code: str
    mobile: str = ""
    employer_id: int | None = None
    join_date: dt.date | None = None
    category: Member.Category = Member.Category.OTHER
    skill_level: Member.SkillLevel = Member.SkillLevel.NONE
    highest_certificate: str = ""
    education: Member.Education | None = None
    political_status: Member.Political | None = None


class MemberPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=50)
    mobile: str | None = None
    employer_id: int | None = None
    join_date: dt.date | None = None
    category: Member.Category | None = None
    skill_level: Member.SkillLevel | None = None
    highest_certificate: str | None = None
    education: Member.Education | None = None
    political_status: Member.Political | None = None


class MemberFilter(FilterSchema):
    status: Member.Status | None = None
    category: Member.Category | None = None
    union_code: Annotated[str | None, FilterLookup("union__code")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "member_number"])] = None
    under: str | None = None
    id_number: str | None = None
    joined_year: Annotated[Year | None, FilterLookup("join_date__year")] = None

    def filter_under(self, value):
        if not value:
            return Q()
        unit = OrgUnit.objects.filter(code=value).first()
        return Q(union__path__startswith=unit.path) if unit else Q(pk__in=[])

    def filter_id_number(self, value):
        if not value:
            return Q()
        try:
            return Q(**pii.lookup(Member, "id_number", validators.validate_id_number(value)))
        except ValidationError:
            return Q(pk__in=[])


MEMBERS = Member.objects.select_related("union")


def _enterprise(request, ent_id, field):
    return reference(
        scope.restrict(Enterprise.objects.all(), request.user),
        field,
        _("Enterprise"),
        pk=ent_id,
    )


def _refs(request, data: dict) -> dict:
    if "union_code" in data:
        code = data.pop("union_code")
        data["union"] = reference(
            scope.units_in_scope(request.user, Member, "add"),
            "union_code",
            _("Union code"),
            code=code,
        )
    if "employer_id" in data:
        ent_id = data.pop("employer_id")
        data["employer"] = _enterprise(request, ent_id, "employer_id") if ent_id else None
    for k in ("education", "political_status"):
        if k in data and data[k] is None:
            data[k] = ""
    return data


def _create_member(request, payload):
    data = _refs(request, payload.dict())
    return actions.register(acting_user=request.user, **data)


def _change_member(request, member, data):
    actions.update(member, acting_user=request.user, **_refs(request, data))


record_endpoints(
    router,
    "/{member_id}",
    names=("list_members", "create_member", "get_member", "update_member"),
    queryset=MEMBERS,
    out=MemberOut,
    page_out=MemberPage,
    filters=MemberFilter,
    create=(MemberIn, _create_member),
    change=(MemberPatch, _change_member),
)


class RevealIn(Schema):
    purpose: str = Field(..., min_length=2, max_length=200)


class RevealOut(Schema):
    id_number: str


@router.post("/{member_id}/reveal", response={200: RevealOut, **ERRORS})
def reveal(request, member_id: int, payload: RevealIn):
    """The full ID number: needs the reveal permission and a stated purpose; logged."""
    member = scoped_get(request, MEMBERS, member_id)
    return {
        "id_number": pii.reveal(
            member, "id_number", acting_user=request.user, purpose=payload.purpose
        )
    }


def _take_member_step(request, member, payload):
    actions.transition(
        member, payload.name, acting_user=request.user, note=payload.note, on=payload.on
    )


transition_endpoints(
    router,
    "/{member_id}",
    name="member",
    queryset=MEMBERS,
    workflow=member_workflow,
    out=MemberOut,
    take=_take_member_step,
)


class TransferIn(Schema):
    to_union_code: str
    on: dt.date | None = None
    note: str = ""


class TransferRequestOut(Schema):
    id: int
    member_id: int
    member_name: str
    from_union_code: str
    to_union_code: str
    on: dt.date
    note: str
    status: str
    status_label: str

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_from_union_code(obj):
        return obj.from_union.code

    @staticmethod
    def resolve_to_union_code(obj):
        return obj.to_union.code

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())


class TransferDecisionIn(Schema):
    name: str = Field(..., description="accept, refuse or withdraw")
    note: str = ""


TRANSFERS = TransferRequest.objects.select_related("member", "from_union", "to_union")


@router.post("/{member_id}/transfer", response={200: MemberOut, 202: TransferRequestOut, **ERRORS})
def transfer(request, member_id: int, payload: TransferIn):
    """Into a union of the caller's own organisation the member moves at once (200); into
    another, a request waits for the receiving union (202, see /members/transfers)."""
    member = scoped_get(request, MEMBERS, member_id, "change")
    to_union = reference(
        OrgUnit.objects.all(),
        "to_union_code",
        _("Union code"),
        scoped=False,
        code=payload.to_union_code,
    )
    done = actions.transfer(
        member, to_union, acting_user=request.user, on=payload.on, note=payload.note
    )
    if isinstance(done, TransferRequest):
        return Status(202, TRANSFERS.get(pk=done.pk))
    return MEMBERS.get(pk=member.pk)


@transfers.get("", response={200: list[TransferRequestOut], **ERRORS})
def list_transfer_requests(request, status: TransferRequest.Status | None = None):
    """Transfer requests the caller sends or receives, newest first (at most 500)."""
    qs = scope.restrict(TRANSFERS, request.user)
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-requested_at")[:500])


@transfers.post("/{request_id}/decision", response={200: TransferRequestOut, **ERRORS})
def decide_transfer_request(request, request_id: int, payload: TransferDecisionIn):
    req = scoped_get(request, TRANSFERS, request_id)
    actions.decide_transfer(req, payload.name, acting_user=request.user, note=payload.note)
    return TRANSFERS.get(pk=req.pk)


# --- foundings ----------------------------------------------------------------------------------


class FoundingOut(Schema):
    id: int
    name: str
    field: str
    kind: str
    federation_code: str
    enterprise_id: int | None
    region_code: str | None
    workers: int | None
    status: str
    started_on: dt.date
    elected_on: dt.date | None
    chair_name: str
    approved_on: dt.date | None
    approval_document: str
    credit_code: str
    unit_code: str
    established_unit_code: str | None

    @staticmethod
    def resolve_federation_code(obj):
        return obj.federation.code

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_established_unit_code(obj):
        return obj.unit.code if obj.unit_id else None


class FoundingPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[FoundingOut]


class FoundingIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    field: Founding.Field
    kind: OrgUnit.Kind = OrgUnit.Kind.GRASSROOTS_UNION
    federation_code: str
    enterprise_id: int | None = None
    region_code: str | None = None
    workers: int | None = Field(None, ge=0)
    started_on: dt.date
    unit_code: str = ""
    credit_code: str = ""


class FoundingPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    field: Founding.Field | None = None
    workers: int | None = Field(None, ge=0)
    elected_on: dt.date | None = None
    chair_name: str | None = None
    approved_on: dt.date | None = None
    approval_document: str | None = None
    credit_code: str | None = None
    unit_code: str | None = None


class FoundingFilter(FilterSchema):
    status: Founding.Status | None = None
    field: Founding.Field | None = None
    federation_code: Annotated[str | None, FilterLookup("federation__code")] = None
    approved_year: Annotated[Year | None, FilterLookup("approved_on__year")] = None


FOUNDINGS = Founding.objects.select_related("federation", "region", "unit")


def _founding_refs(request, data):
    if "federation_code" in data:
        code = data.pop("federation_code")
        data["federation"] = reference(
            scope.units_in_scope(request.user, Founding, "add"),
            "federation_code",
            _("Unit code"),
            code=code,
        )
    if "region_code" in data:
        code = data.pop("region_code")
        data["region"] = (
            reference(
                Region.objects.all(), "region_code", _("Division code"), scoped=False, code=code
            )
            if code
            else None
        )
    if "enterprise_id" in data:
        ent_id = data.pop("enterprise_id")
        data["enterprise"] = _enterprise(request, ent_id, "enterprise_id") if ent_id else None
    return data


def _create_founding(request, payload):
    data = _founding_refs(request, payload.dict())
    return actions.open_founding(acting_user=request.user, **data)


def _change_founding(request, f, data):
    actions.update_founding(f, acting_user=request.user, **data)


record_endpoints(
    foundings,
    "/{founding_id}",
    names=("list_foundings", "create_founding", "get_founding", "update_founding"),
    queryset=FOUNDINGS,
    out=FoundingOut,
    page_out=FoundingPage,
    filters=FoundingFilter,
    create=(FoundingIn, _create_founding),
    change=(FoundingPatch, _change_founding),
)


def _take_founding_step(request, f, payload):
    actions.founding_step(f, payload.name, acting_user=request.user, note=payload.note)


transition_endpoints(
    foundings,
    "/{founding_id}",
    name="founding",
    queryset=FOUNDINGS,
    workflow=founding_workflow,
    out=FoundingOut,
    take=_take_founding_step,
)
