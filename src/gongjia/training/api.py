"""/api/v1/training: the academy's courses and classes, the training bases, and a talent plan's
progress from records (by year, and by town on request); every list in the caller's scope."""

import datetime as dt

from django.db.models import Count, Q
from ninja import Router, Schema

from gongjia.members.selectors import members_in_scope
from gongjia.platform import scope
from gongjia.platform.api_base import ERRORS, Year, page, scoped_get
from gongjia.training import plans
from gongjia.training.models import Course, Enrolment, Plan, TrainingBase, TrainingClass

router = Router(tags=["training"])
E = Enrolment.Status


class CourseOut(Schema):
    id: int
    name: str
    trade: str | None
    level: int
    level_label: str
    theory_hours: int
    practice_hours: int
    teachers: str
    active: bool

    @staticmethod
    def resolve_trade(obj):
        return obj.trade.name if obj.trade_id else None

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()


class CoursePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[CourseOut]


@router.get("/courses", response={200: CoursePage, **ERRORS})
def list_courses(request, active: bool | None = None, offset: int = 0, limit: int = 50):
    """The academy's catalogue."""
    qs = scope.restrict(Course.objects.select_related("trade"), request.user)
    if active is not None:
        qs = qs.filter(active=active)
    return page(qs.order_by("name", "pk"), offset, limit)


class ClassOut(Schema):
    id: int
    name: str
    course_id: int
    course: str
    kind: str
    kind_label: str
    organiser_code: str
    enterprise: str | None
    base_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    enrolled: int
    completed: int
    status: str
    status_label: str

    @staticmethod
    def resolve_course(obj):
        return obj.course.name

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_organiser_code(obj):
        return obj.organiser.code

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name if obj.enterprise_id else None

    @staticmethod
    def resolve_enrolled(obj):
        return obj.n_enrolled

    @staticmethod
    def resolve_completed(obj):
        return obj.n_completed

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class ClassPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ClassOut]


@router.get("/classes", response={200: ClassPage, **ERRORS})
def list_classes(
    request,
    year: Year | None = None,
    status: TrainingClass.Status | None = None,
    kind: TrainingClass.Kind | None = None,
    base: int | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Classes in the caller's scope, newest first, with their enrolled and completed counts."""
    qs = scope.restrict(
        TrainingClass.objects.select_related("course", "organiser", "enterprise"), request.user
    ).annotate(
        n_enrolled=Count("enrolments", filter=Q(enrolments__status__in=(E.ENROLLED, E.COMPLETED))),
        n_completed=Count("enrolments", filter=Q(enrolments__status=E.COMPLETED)),
    )
    if year:
        qs = qs.filter(starts_on__year=year)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if base:
        qs = qs.filter(base_id=base)
    return page(qs.order_by("-starts_on", "-pk"), offset, limit)


class BaseOut(Schema):
    id: int
    enterprise: str
    enterprise_credit_code: str
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    applied_on: dt.date
    named_on: dt.date | None
    term_until: dt.date | None
    removed_on: dt.date | None
    classes: int
    trainees: int

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_enterprise_credit_code(obj):
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_classes(obj):
        return obj.n_classes

    @staticmethod
    def resolve_trainees(obj):
        return obj.n_trainees


class BasePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[BaseOut]


@router.get("/bases", response={200: BasePage, **ERRORS})
def list_bases(
    request,
    kind: TrainingBase.Kind | None = None,
    status: TrainingBase.Status | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Training bases and learning stations, with each base's classes and trainees counted."""
    qs = scope.restrict(TrainingBase.objects.select_related("enterprise"), request.user).annotate(
        n_classes=Count("classes", distinct=True),
        n_trainees=Count(
            "classes__enrolments",
            filter=Q(classes__enrolments__status=E.COMPLETED),
            distinct=True,
        ),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return page(qs.order_by("-named_on", "pk"), offset, limit)


class YearCount(Schema):
    year: int
    count: int


class TownCount(Schema):
    code: str
    name: str
    count: int


class TierProgress(Schema):
    key: str
    label: str
    rank: int
    target: int
    count: int
    reached: bool
    criteria: list[str]
    by_year: list[YearCount]
    by_town: list[TownCount] | None = None


class PlanProgress(Schema):
    id: int
    name: str
    first_year: int
    last_year: int
    year: int
    tiers: list[TierProgress]


@router.get("/plans/{plan_id}/progress", response={200: PlanProgress, **ERRORS})
def plan_progress(request, plan_id: int, year: Year | None = None, by: str | None = None):
    """Each tier's count toward its target at the end of `year` (the plan's last year by
    default) among the members in the caller's scope, by year of the plan, and with
    `by=town` across the towns in scope. A person counts once, in their highest tier."""
    plan = scoped_get(request, Plan.objects.all(), plan_id)
    year = min(max(year or plan.last_year, plan.first_year), plan.last_year)
    people = members_in_scope(request.user)
    towns = []
    if by == "town":
        towns = list(scope.units_in_scope(request.user, Plan, "view").filter(depth=2))
    tiers = []
    for tier in plan.tiers.order_by("rank"):
        count = plans.counted(tier, people, year).count()
        row = {
            "key": tier.key,
            "label": tier.get_key_display(),
            "rank": tier.rank,
            "target": tier.target,
            "count": count,
            "reached": count >= tier.target,
            "criteria": [plans.describe(c) for c in tier.criteria],
            "by_year": [
                {"year": y, "count": plans.counted(tier, people, y).count()}
                for y in range(plan.first_year, year + 1)
            ],
        }
        if by == "town":
            row["by_town"] = [
                {
                    "code": t.code,
                    "name": t.name,
                    "count": plans.counted(
                        tier, people.filter(union__path__startswith=t.path), year
                    ).count(),
                }
                for t in towns
            ]
        tiers.append(row)
    return {
        "id": plan.pk,
        "name": plan.name,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "year": year,
        "tiers": tiers,
    }
