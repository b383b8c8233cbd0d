"""/api/v1/craftsmen: the rounds of the district craftsman title with their scheme, the
nominations with their eligibility explained condition by condition, and the title register;
every list in the caller's scope."""

import datetime as dt

from django.db.models import Count, Q
from ninja import Router, Schema

from gongjia.craftsmen import eligibility
from gongjia.craftsmen.models import Nomination, Round, Title
from gongjia.platform import money, scope
from gongjia.platform.api_base import ERRORS, Year, page

router = Router(tags=["craftsmen"])


class CraftsmanRoundOut(Schema):
    id: int
    number: int
    name: str
    year: int
    organiser_code: str
    status: str
    status_label: str
    nominations_from: dt.date
    nominations_until: dt.date
    title_quota: int
    nomination_quota: int
    award_yuan: str
    min_years: int
    max_age: int | None
    union_member: bool
    frontline: bool
    recuperation: bool
    conditions: list[str]
    waivers: list[str]
    rubric: list[str]
    notice_working_days: int
    notice_from: dt.date | None
    notice_until: dt.date | None
    approved_on: dt.date | None
    nominations: int

    @staticmethod
    def resolve_organiser_code(obj):
        return obj.organiser.code

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_award_yuan(obj):
        return money.yuan(obj.award_fen)

    @staticmethod
    def resolve_conditions(obj):
        return eligibility.scheme_words(obj)["conditions"]

    @staticmethod
    def resolve_waivers(obj):
        return eligibility.scheme_words(obj)["waivers"]

    @staticmethod
    def resolve_rubric(obj):
        return eligibility.scheme_words(obj)["rubric"]

    @staticmethod
    def resolve_nominations(obj):
        return obj.n_nominations


class CraftsmanRoundPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[CraftsmanRoundOut]


@router.get("/rounds", response={200: CraftsmanRoundPage, **ERRORS})
def list_rounds(
    request,
    year: Year | None = None,
    status: Round.Status | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Rounds of the title, newest first, with their scheme in words."""
    qs = scope.restrict(Round.objects.select_related("organiser"), request.user).annotate(
        n_nominations=Count("nominations")
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-year", "-number", "-pk"), offset, limit)


class EligibilityFinding(Schema):
    condition: str
    found: str
    met: bool


class CraftsmanNominationOut(Schema):
    id: int
    round_id: int
    round: str
    member_number: str
    name: str
    unit_code: str
    channel: str
    channel_label: str
    skill: str
    skill_since: dt.date
    frontline: bool
    submitted_on: dt.date
    status: str
    status_label: str
    eligible: bool
    eligibility: list[EligibilityFinding]
    total: str | None
    rank: int | None
    outcome: str
    outcome_label: str

    @staticmethod
    def resolve_round(obj):
        return obj.round.name

    @staticmethod
    def resolve_member_number(obj):
        return obj.member.member_number

    @staticmethod
    def resolve_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_channel_label(obj):
        return obj.get_channel_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_eligible(obj):
        return eligibility.eligible(obj.eligibility)

    @staticmethod
    def resolve_eligibility(obj):
        return eligibility.explained(obj.round, obj.eligibility)

    @staticmethod
    def resolve_total(obj):
        return None if obj.total is None else f"{obj.total:.2f}"

    @staticmethod
    def resolve_outcome_label(obj):
        return obj.get_outcome_display() if obj.outcome else ""


class CraftsmanNominationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[CraftsmanNominationOut]


@router.get("/nominations", response={200: CraftsmanNominationPage, **ERRORS})
def list_nominations(
    request,
    round: int | None = None,
    status: Nomination.Status | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Nominations with their eligibility explained condition by condition (each waiver named
    with the result that grants it), their review score, rank and outcome once published."""
    qs = scope.restrict(Nomination.objects.select_related("round", "member", "unit"), request.user)
    if round:
        qs = qs.filter(round_id=round)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("round_id", "rank", "pk"), offset, limit)


class CraftsmanTitleOut(Schema):
    id: int
    number: str
    round_id: int
    round: str
    kind: str
    kind_label: str
    member_number: str
    name: str
    unit_code: str
    held_from: dt.date
    in_force: bool
    revoked_on: dt.date | None
    recuperation_entitled: bool

    @staticmethod
    def resolve_round(obj):
        return obj.round.name

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_member_number(obj):
        return obj.member.member_number

    @staticmethod
    def resolve_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_recuperation_entitled(obj):
        return obj.n_recuperation > 0


class CraftsmanTitlePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[CraftsmanTitleOut]


@router.get("/titles", response={200: CraftsmanTitlePage, **ERRORS})
def list_titles(
    request,
    round: int | None = None,
    kind: Title.Kind | None = None,
    in_force: bool | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """The register of holders (for life unless revoked), with whether they hold an unused
    recuperation entitlement."""
    qs = scope.restrict(
        Title.objects.select_related("round", "member", "unit"), request.user
    ).annotate(
        n_recuperation=Count(
            "entitlements",
            filter=Q(entitlements__kind="recuperation", entitlements__used_on__isnull=True),
        )
    )
    if round:
        qs = qs.filter(round_id=round)
    if kind:
        qs = qs.filter(kind=kind)
    if in_force is not None:
        qs = qs.filter(revoked_on__isnull=in_force)
    return page(qs.order_by("-held_from", "number"), offset, limit)
