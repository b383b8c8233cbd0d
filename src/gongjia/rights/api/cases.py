"""/api/v1/rights/cases: "1+X" dispute cases, their transitions, referrals and feedback."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Query, Schema, Status

from gongjia.orgs.models import Enterprise
from gongjia.platform import pii, scope, workdays
from gongjia.platform.api_base import (
    ERRORS,
    Limit,
    Offset,
    TransitionIn,
    Year,
    page,
    record_endpoints,
    reference,
    scoped_get,
    transition_endpoints,
)
from gongjia.rights import actions, selectors
from gongjia.rights.api.base import router, under_branch, unit_ref
from gongjia.rights.models import (
    Agency,
    CaseClaim,
    DisputeCase,
    Station,
    TeamMember,
)
from gongjia.rights.workflows import OPEN, case_workflow

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
    due_on_provisional: bool = Field(
        False, description="计算所跨年份的国家节假日安排尚未录入：期限为暂定"
    )
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
    def resolve_due_on_provisional(obj):
        return workdays.provisional(obj.due_on)

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
    received_year: Annotated[Year | None, FilterLookup("received_on__year")] = None
    q: Annotated[str | None, FilterLookup(["number", "employer_name__icontains"])] = None
    overdue: bool | None = None

    def filter_under(self, value):
        return under_branch(value, "unit__path")

    def filter_overdue(self, value):
        if value is None:
            return Q()
        late = selectors.overdue()
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
                    model._meta.verbose_name,
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
                _("Enterprise"),
                pk=pk,
            )
            if pk
            else None
        )
    return data


@router.get("/cases", response={200: CasePage, **ERRORS})
def list_cases(
    request, filters: Query[CaseFilter], mine: bool = False, offset: Offset = 0, limit: Limit = 50
):
    """Cases in scope; `mine=true`: the caller's own, as the handler; `overdue=true`: open
    cases past their deadline."""
    qs = filters.filter(scope.restrict(CASES, request.user))
    if mine:
        qs = qs.filter(handler__user=request.user)
    return page(qs.order_by("-received_on", "-id"), offset, limit)


def _create_case(request, payload):
    data = payload.dict()
    unit = unit_ref(request, DisputeCase, data.pop("unit_code"), "unit_code")
    workers, claims = data.pop("workers"), data.pop("claims")
    data = {k: v for k, v in _case_refs(request, data).items() if v is not None}
    return actions.open_case(
        acting_user=request.user, unit=unit, workers=workers, claims=claims, **data
    )


def _change_case(request, case, data):
    data = _case_refs(request, data)
    actions.update_case(case, acting_user=request.user, **data)


record_endpoints(
    router,
    "/cases/{case_id}",
    names=("list_cases", "create_case", "get_case", "update_case"),
    queryset=CASES,
    out=CaseOut,
    create=(CaseIn, _create_case),
    change=(CasePatch, _change_case),
)


class CaseTransitionIn(TransitionIn):
    agreement_effective_on: dt.date | None = None
    award_received_on: dt.date | None = None
    closure: DisputeCase.Closure | None = None
    fully_performed: bool | None = None
    confirmation: str | None = None
    agency_id: int | None = None
    after_settlement: bool = False


def _take_case_step(request, case, payload):
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
            Agency._meta.verbose_name,
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


transition_endpoints(
    router,
    "/cases/{case_id}",
    name="case",
    queryset=CASES,
    workflow=case_workflow,
    out=CaseOut,
    take=_take_case_step,
    payload=CaseTransitionIn,
    docs=(
        "The steps the caller may take on this case now.",
        "Perform one step. Two officers moving the same case at once: one wins, the other gets\n"
        "    a message naming the step and the state the case is in now.",
    ),
)


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
        Agency._meta.verbose_name,
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
