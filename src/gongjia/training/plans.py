"""The "百千万" talent plan read from records: each tier's criteria are data (`PlanTier.
criteria`), each kind of criterion a set of members read from one programme's records within
the plan's period; a person counts once, in the highest tier any of whose criteria they meet.

A kind of criterion is registered here by name (`criterion`), so that a programme built on this
one adds its own (the craftsman title adds "title") without this module naming it."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from gongjia.members.selectors import SkillLevel
from gongjia.skills import selectors as skills
from gongjia.training.models import Enrolment, Plan, PlanTier


@dataclass(frozen=True)
class Kind:
    """A kind of criterion: the member ids meeting it between two days (a queryset of one
    column), and its description in words."""

    members: Callable  # (criterion dict, start, end) -> queryset of member ids
    describe: Callable  # (criterion dict) -> str


CRITERIA: dict[str, Kind] = {}


def criterion(name: str, *, describe):
    def wrap(func):
        CRITERIA[name] = Kind(func, describe)
        return func

    return wrap


def _level(value) -> str:
    try:
        return str(SkillLevel(int(value)).label)
    except (TypeError, ValueError):
        return str(value)


COMPLETED = Enrolment.Status.COMPLETED


@criterion(
    "training",
    describe=lambda c: (
        _("Completed an academy course for %(l)s or above") % {"l": _level(c["min_level"])}
        if c.get("min_level")
        else _("Completed an academy course")
    ),
)
def _trained(c, start, end):
    qs = Enrolment.objects.filter(status=COMPLETED, completed_on__range=(start, end))
    if c.get("min_level"):
        qs = qs.filter(training_class__course__level__gte=int(c["min_level"]))
    return qs.values("member_id")


@criterion(
    "level",
    describe=lambda c: (
        _("Certified at %(l)s or above, by training or a competition result")
        % {"l": _level(c["min_level"])}
    ),
)
def _levelled(c, start, end):
    # Two sets, joined by the caller's OR: a level certified at the end of a class, and a
    # level raised by a competition result (both dated; the register's level has no date).
    return (
        Enrolment.objects.filter(
            status=COMPLETED,
            completed_on__range=(start, end),
            level_reached__gte=int(c["min_level"]),
        ).values("member_id"),
        skills.promoted(int(c["min_level"]), start, end).values("member_id"),
    )


def _placed_words(c):
    levels = "、".join(str(skills.CompetitionLevel(v).label) for v in c.get("levels", []))
    return _("Placed %(p)s or better in a %(l)s competition") % {"p": c["max_place"], "l": levels}


@criterion("competition", describe=_placed_words)
def _placed(c, start, end):
    return skills.placed(c.get("levels", []), int(c["max_place"]), start, end).values("member_id")


def describe(c: dict) -> str:
    kind = CRITERIA.get(c.get("kind"))
    return kind.describe(c) if kind else _("unknown criterion")


def period(plan: Plan, year: int | None = None) -> tuple[dt.date, dt.date]:
    """The plan's first day and the last day counted: the end of `year` within the plan."""
    last = plan.last_year if year is None else min(year, plan.last_year)
    return dt.date(plan.first_year, 1, 1), dt.date(last, 12, 31)


def _sets(c, start, end):
    got = CRITERIA[c["kind"]].members(c, start, end)
    return got if isinstance(got, tuple) else (got,)


def meets(tier: PlanTier, start, end) -> Q:
    """Members (as a condition on the member register) meeting any of the tier's criteria."""
    q = Q(pk__in=[])
    for c in tier.criteria:
        if c.get("kind") in CRITERIA:
            for ids in _sets(c, start, end):
                q |= Q(pk__in=ids)
    return q


def counted(tier: PlanTier, members, year: int | None = None):
    """Of `members` (a queryset of the register), those who count in `tier` at the end of
    `year`: they meet one of its criteria and none of a higher tier's."""
    start, end = period(tier.plan, year)
    if year is not None and year < tier.plan.first_year:
        return members.none()
    qs = members.filter(meets(tier, start, end))
    for higher in tier.plan.tiers.filter(rank__lt=tier.rank):
        qs = qs.exclude(meets(higher, start, end))
    return qs


def plan_for(year: int | None) -> Plan | None:
    """The plan a year's figures count by: the highest organiser's plan whose period holds the
    year (a town's officers see their share of the district's plan)."""
    qs = Plan.objects.all()
    if year is not None:
        qs = qs.filter(first_year__lte=year, last_year__gte=year)
    return qs.order_by("organiser__depth", "-first_year").first()


def person(plan: Plan, member_id: int, year: int | None = None) -> list[dict]:
    """One person's progress: each tier with each criterion met or not, and the tier they count
    in (the highest met)."""
    from gongjia.members.selectors import members_in_scope
    from gongjia.platform.scope import SYSTEM

    start, end = period(plan, year)
    mine = members_in_scope(SYSTEM).filter(pk=member_id)
    rows, counted_in = [], None
    for tier in plan.tiers.order_by("rank"):
        met = []
        for c in tier.criteria:
            if c.get("kind") not in CRITERIA:
                continue
            q = Q(pk__in=[])
            for ids in _sets(c, start, end):
                q |= Q(pk__in=ids)
            met.append({"criterion": describe(c), "met": mine.filter(q).exists()})
        here = any(m["met"] for m in met)
        rows.append({"tier": tier, "criteria": met, "met": here, "counted": False})
        if here and counted_in is None:
            counted_in = rows[-1]
            rows[-1]["counted"] = True
    return rows
