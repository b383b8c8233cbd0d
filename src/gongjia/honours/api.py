"""/api/v1/honours: the programmes with their share rules, a batch's live quota check, the
nominations, the honouree register, pioneer units, studios, named methods and the batches of
recuperation and health-check places; every list in the caller's scope."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from ninja import Router, Schema

from gongjia.honours import findings, quota, selectors
from gongjia.honours.models import (
    Batch,
    CareBatch,
    Honour,
    NamedMethod,
    Nomination,
    PioneerUnit,
    Programme,
    Studio,
)
from gongjia.platform import money, scope
from gongjia.platform.api_base import ERRORS, Year, page, page_of, scoped_get

router = Router(tags=["honours"])


class HonourProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    level: int
    level_label: str
    organiser_code: str
    builds_on: str | None
    base_required: bool
    rules: list[str]
    departments: list[str]
    notice_working_days: int
    legal_reference: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_organiser_code(obj):
        return obj.organiser.code

    @staticmethod
    def resolve_builds_on(obj):
        return obj.builds_on.name if obj.builds_on else None

    @staticmethod
    def resolve_rules(obj):
        names = quota.categories()
        return [quota.describe(r, names) for r in obj.rules]


HonourProgrammePage = page_of(HonourProgrammeOut)


@router.get("/programmes", response={200: HonourProgrammePage, **ERRORS})
def list_programmes(request, kind: Programme.Kind | None = None, offset: int = 0, limit: int = 50):
    """Honour programmes as data: level, the honour each builds on, its default share rules in
    words, the departments that clear nominees, the notice and the legal reference."""
    qs = scope.restrict(Programme.objects.select_related("organiser", "builds_on"), request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return page(qs.order_by("-level", "name", "pk"), offset, limit)


class QuotaRuleOut(Schema):
    rule: str
    category: str
    op: str
    base: int
    count: int
    share: float | None
    share_display: str
    minimum: bool
    line: int
    met: bool
    slack: int
    shortfall: int
    points: float | None
    sentence: str


class QuotaCheckOut(Schema):
    batch_id: int
    batch: str
    status: str
    status_label: str
    places: int
    nominees: int
    over_places: int
    met: bool
    rules: list[QuotaRuleOut]


def quota_payload(b: Batch, check: dict) -> dict:
    return {
        "batch_id": b.pk,
        "batch": b.name,
        "status": b.status,
        "status_label": b.get_status_display(),
        "places": check["places"],
        "nominees": check["nominees"],
        "over_places": check["over_places"],
        "met": check["met"],
        "rules": [
            {
                "rule": r.label,
                "category": r.rule["category"],
                "op": r.rule["op"],
                "base": r.base,
                "count": r.count,
                "share": None if r.share is None else round(float(r.share), 4),
                "share_display": r.share_display,
                "minimum": r.minimum,
                "line": r.line,
                "met": r.met,
                "slack": r.slack,
                "shortfall": r.shortfall,
                "points": None if r.points is None else float(r.points),
                "sentence": r.sentence(),
            }
            for r in check["results"]
        ],
    }


@router.get(
    "/batches/{batch_id}/quota-check",
    response={200: QuotaCheckOut, **ERRORS},
    url_name="honours_quota_check",
)
def quota_check(request, batch_id: int, exclude: str = ""):
    """The live quota check of a batch in whole people: for every rule the count, the share,
    the required or allowed count and the slack or shortfall in people and percentage points.
    `exclude`: nomination ids (comma-separated) left out, to see the check without them."""
    b = scoped_get(request, Batch.objects.all(), batch_id)
    try:
        left_out = [int(x) for x in exclude.split(",") if x.strip()]
    except ValueError:
        raise ValidationError(
            {"exclude": ["exclude 是以逗号分隔的推荐编号 / comma-separated nomination ids"]}
        ) from None
    return quota_payload(b, findings.quota_check(b, left_out))


class HonourNominationOut(Schema):
    id: int
    batch_id: int
    batch: str
    member_number: str
    name: str
    unit_code: str
    categories: list[str]
    industrial: bool
    appraisal_on: dt.date
    congress_on: dt.date
    nominated_on: dt.date
    status: str
    status_label: str
    ended_reason: str

    @staticmethod
    def resolve_batch(obj):
        return obj.batch.name

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
    def resolve_categories(obj):
        names = quota.categories()
        found = quota.categories_of(
            obj.member.category, obj.member.sex, obj.categories, quota.industrial_categories()
        )
        return [names[k] for k in names if k in found]

    @staticmethod
    def resolve_industrial(obj):
        return obj.member.category in quota.industrial_categories()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


HonourNominationPage = page_of(HonourNominationOut)


@router.get("/nominations", response={200: HonourNominationPage, **ERRORS})
def list_nominations(
    request,
    batch: int | None = None,
    year: Year | None = None,
    status: Nomination.Status | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Nominations with their categories (the industrial worker from the member registry)."""
    qs = scope.restrict(Nomination.objects.select_related("batch", "member", "unit"), request.user)
    if batch:
        qs = qs.filter(batch_id=batch)
    if year:
        qs = qs.filter(batch__year=year)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("batch_id", "pk"), offset, limit)


class HonoureeOut(Schema):
    id: int
    member_number: str
    name: str
    unit_code: str
    title: str
    kind: str
    kind_label: str
    level: int
    level_label: str
    conferred_by: str
    conferred_on: dt.date
    in_force: bool
    revoked_on: dt.date | None

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
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()


HonoureePage = page_of(HonoureeOut)


@router.get("/register", response={200: HonoureePage, **ERRORS})
def list_register(
    request,
    year: Year | None = None,
    level: int | None = None,
    in_force: bool | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """The honouree register: each title for life unless revoked."""
    qs = scope.restrict(Honour.objects.select_related("member", "unit"), request.user)
    if year:
        qs = qs.filter(conferred_on__year=year)
    if level is not None:
        qs = qs.filter(level=level)
    if in_force is not None:
        qs = qs.filter(revoked_on__isnull=in_force)
    return page(qs.order_by("-conferred_on", "pk"), offset, limit)


class BarOut(Schema):
    bar: str
    found: str
    barred: bool


class PioneerUnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    enterprise: str
    unit_code: str
    level_label: str
    year: int
    status: str
    status_label: str
    named_on: dt.date | None
    bars: list[BarOut]

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_bars(obj):
        # The bars of its year, as the dated records show them (the year ended, or so far),
        # from the facts read once for the page.
        return findings.pioneer_bars(obj, facts=getattr(obj, "bar_facts", None))


PioneerUnitPage = page_of(PioneerUnitOut)


@router.get("/pioneer-units", response={200: PioneerUnitPage, **ERRORS})
def list_pioneer_units(
    request,
    year: Year | None = None,
    status: PioneerUnit.Status | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Worker-pioneer units (teams, sections, workshops, windows) with the bars of their year."""
    qs = scope.restrict(
        PioneerUnit.objects.select_related("enterprise__union", "unit"), request.user
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)

    def with_facts(items):
        facts = findings.bar_facts(items)
        for p in items:
            p.bar_facts = facts[p.pk]
        return items

    return page(qs.order_by("-year", "pk"), offset, limit, prepare=with_facts)


class StudioOut(Schema):
    id: int
    name: str
    leader: str
    unit_code: str
    level_label: str
    status: str
    status_label: str
    founded_on: dt.date
    named_on: dt.date | None
    confirmed_until: dt.date | None
    seven_haves: int
    team: int
    innovations: int
    patents: int
    trained: int
    grants_yuan: str

    @staticmethod
    def resolve_leader(obj):
        return obj.leader.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_seven_haves(obj):
        return len(set(obj.haves or []))

    @staticmethod
    def resolve_team(obj):
        return obj.n_team

    @staticmethod
    def resolve_grants_yuan(obj):
        return money.yuan(obj.n_grants or 0)


StudioPage = page_of(StudioOut)


@router.get("/studios", response={200: StudioPage, **ERRORS})
def list_studios(request, status: Studio.Status | None = None, offset: int = 0, limit: int = 50):
    """Innovation studios with their seven haves, team, results and grants."""
    from django.db.models import Sum

    qs = scope.restrict(Studio.objects.select_related("leader", "unit"), request.user).annotate(
        n_team=Count("team", filter=Q(team__left_on__isnull=True), distinct=True),
        n_grants=Sum("grants__amount_fen"),
    )
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-founded_on", "pk"), offset, limit)


class MethodFinding(Schema):
    condition: str
    met: bool


class NamedMethodOut(Schema):
    id: int
    name: str
    inventor: str
    unit_code: str
    post: str
    results_since: dt.date
    trained: int
    status: str
    status_label: str
    named_on: dt.date | None
    eligible: bool
    eligibility: list[MethodFinding]

    @staticmethod
    def resolve_inventor(obj):
        return obj.inventor.name

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_eligibility(obj):
        on = obj.named_on or dt.date.today()
        return [
            {"condition": str(f["condition"]), "met": f["met"]}
            for f in findings.method_eligibility(obj, on)
        ]

    @staticmethod
    def resolve_eligible(obj):
        on = obj.named_on or dt.date.today()
        return all(f["met"] for f in findings.method_eligibility(obj, on))


NamedMethodPage = page_of(NamedMethodOut)


@router.get("/methods", response={200: NamedMethodPage, **ERRORS})
def list_methods(
    request, status: NamedMethod.Status | None = None, offset: int = 0, limit: int = 50
):
    """Operation methods named after their first inventor, with the eligibility explained."""
    qs = scope.restrict(NamedMethod.objects.select_related("inventor", "unit"), request.user)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-pk"), offset, limit)


class CareBatchOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    place: str
    organiser_code: str
    starts_on: dt.date
    days: int
    capacity: int
    cost_yuan: str
    applications_until: dt.date
    status: str
    status_label: str
    applications: int
    placed: int
    industrial_placed: int
    share_check: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_organiser_code(obj):
        return obj.organiser.code

    @staticmethod
    def resolve_cost_yuan(obj):
        return money.yuan(obj.cost_fen)

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_applications(obj):
        return obj.n_applications

    @staticmethod
    def resolve_placed(obj):
        return obj.n_placed

    @staticmethod
    def resolve_industrial_placed(obj):
        return obj.n_industrial

    @staticmethod
    def resolve_share_check(obj):
        return findings.care_share(obj, obj.n_placed, obj.n_industrial).sentence()


CareBatchPage = page_of(CareBatchOut)


@router.get("/recuperation/batches", response={200: CareBatchPage, **ERRORS})
def list_care_batches(
    request,
    kind: CareBatch.Kind | None = None,
    year: Year | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Batches of free recuperation and health checks, with the places given and the
    industrial workers' share of them checked against the line (≥ 80 %)."""
    placed = Q(applications__status__in=selectors.PLACED)
    industrial = sorted(quota.industrial_categories())
    qs = scope.restrict(CareBatch.objects.select_related("organiser"), request.user).annotate(
        n_applications=Count("applications"),
        n_placed=Count("applications", filter=placed),
        n_industrial=Count(
            "applications", filter=placed & Q(applications__member__category__in=industrial)
        ),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts_on__year=year)
    return page(qs.order_by("-starts_on", "pk"), offset, limit)
