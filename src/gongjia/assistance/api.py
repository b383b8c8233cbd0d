"""/api/v1/assistance/households: hardship archives in the caller's scope, masked."""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Router, Schema

from gongjia.assistance import actions
from gongjia.assistance.models import Household, HouseholdMember
from gongjia.assistance.workflows import household_workflow
from gongjia.orgs.models import OrgUnit
from gongjia.platform import pii, scope, workdays
from gongjia.platform.api_base import (
    TransitionIn,
    record_endpoints,
    reference,
    transition_endpoints,
)
from gongjia.platform.models import Consent

router = Router(tags=["assistance"])


class HouseholdMemberOut(Schema):
    name: str
    relationship: str
    id_number_masked: str
    birth_date: dt.date | None
    work: str
    employer_name: str

    @staticmethod
    def resolve_id_number_masked(obj):
        return pii.mask_id_list(obj.id_number)


class HouseholdOut(Schema):
    id: int
    number: str
    unit_code: str
    head_name: str
    primary_cause: str
    secondary_cause: str
    bank_account_masked: str
    migrant: bool
    status: str
    category: str
    category_overridden: bool
    notice_until: dt.date | None
    notice_until_provisional: bool = Field(
        False, description="公示期所跨年份的国家节假日安排尚未录入：截止日为暂定"
    )
    archived_on: dt.date | None
    exit_reason: str
    exited_on: dt.date | None
    members: list[HouseholdMemberOut]

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_bank_account_masked(obj):
        return pii.mask_bank(obj.bank_account)

    @staticmethod
    def resolve_notice_until_provisional(obj):
        return workdays.provisional(obj.notice_until)

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class HouseholdPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[HouseholdOut]


class HouseholdMemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    relationship: HouseholdMember.Relationship
    id_number: str = ""
    work: HouseholdMember.Work
    employer_name: str = ""
    schooling: str = ""


class HouseholdIn(Schema):
    unit_code: str
    head_name: str = Field(..., min_length=1, max_length=50)
    address: str = Field(..., min_length=1, max_length=200)
    primary_cause: Household.Cause
    secondary_cause: Household.Cause | None = None
    bank_account: str = ""
    migrant: bool = False
    # The worker's separate consent given with the application (needed for a bank account).
    consent_method: Consent.Method | None = None
    members: list[HouseholdMemberIn] = Field(..., min_length=1)


class HouseholdFilter(FilterSchema):
    status: Household.Status | None = None
    category: Household.Category | None = None
    under: str | None = None
    q: Annotated[str | None, FilterLookup(["number", "head_name__icontains"])] = None

    def filter_under(self, value):
        if not value:
            return Q()
        unit = OrgUnit.objects.filter(code=value).first()
        return Q(unit__path__startswith=unit.path) if unit else Q(pk__in=[])


HOUSEHOLDS = Household.objects.select_related("unit").prefetch_related("members")


def _create_household(request, payload):
    data = payload.dict()
    code = data.pop("unit_code")
    unit = reference(
        scope.units_in_scope(request.user, Household, "add"), "unit_code", _("Unit code"), code=code
    )
    data["secondary_cause"] = data["secondary_cause"] or ""
    data["consent_method"] = data["consent_method"] or ""
    members = [{k: v for k, v in m.items() if v != ""} for m in data.pop("members")]
    return actions.open_household(acting_user=request.user, unit=unit, members=members, **data)


record_endpoints(
    router,
    "/households/{household_id}",
    names=("list_households", "create_household", "get_household"),
    queryset=HOUSEHOLDS,
    out=HouseholdOut,
    page_out=HouseholdPage,
    filters=HouseholdFilter,
    create=(HouseholdIn, _create_household),
)


class HouseholdTransitionIn(TransitionIn):
    exit_reason: Household.ExitReason | None = None


def _take_household_step(request, h, payload):
    values = {"exit_reason": payload.exit_reason} if payload.exit_reason else {}
    actions.household_step(
        h, payload.name, acting_user=request.user, note=payload.note, on=payload.on, values=values
    )


transition_endpoints(
    router,
    "/households/{household_id}",
    name="household",
    queryset=HOUSEHOLDS,
    workflow=household_workflow,
    out=HouseholdOut,
    take=_take_household_step,
    payload=HouseholdTransitionIn,
)
