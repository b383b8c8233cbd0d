"""Indicators of skill competitions (keys are stable; see the cockpit), and the reads the
marking pages and the API share."""

import datetime as dt

from django.db.models import Count, F, IntegerField, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.platform.kpis import indicator
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo
from gongjia.skills.models import Competition, Entrant, Entry, Event, Promotion, Trade

C = Competition.Status
# A competition run on the platform counts once it has been held; one only guided by the
# district counts once the town federation has checked its report.
HELD = (C.MARKING, C.REVIEW, C.PUBLISHED, C.FROZEN, C.CHECKED)
LOCAL = (Competition.Level.TOWN, Competition.Level.ENTERPRISE)


def _year(year):
    return year or timezone.localdate().year


def held(user, year):
    return restrict(Competition.objects.filter(year=_year(year), status__in=HELD), user)


@indicator(
    "skills.district_competitions",
    label=_("District skill competitions"),
    unit=_("competitions"),
    link="admin:skills_competition_changelist",
    by_year=True,
    counts=True,
    sentence=_(
        "%(value)s district skill competitions were held in %(n:skills.trades)s trades, with"
        " %(n:skills.local_competitions)s run by towns, streets and enterprises under the"
        " district's guidance, and %(n:skills.participations)s participations"
    ),
)
def district_competitions(user, year=None):
    return held(user, year).filter(level=Competition.Level.DISTRICT)


@indicator(
    "skills.trades",
    label=_("Trades of district competitions"),
    unit=_("trades"),
    link="admin:skills_trade_changelist",
    by_year=True,
    counts=True,
    distinct=True,  # over several years, a trade competed in every year counts once
)
def trades(user, year=None):
    district = district_competitions.records(user, year)
    return Trade.objects.filter(events__competition__in=district).distinct()


@indicator(
    "skills.local_competitions",
    label=_("Competitions run by towns, streets and enterprises"),
    unit=_("competitions"),
    link="admin:skills_competition_changelist",
    by_year=True,
    counts=True,
)
def local_competitions(user, year=None):
    return held(user, year).filter(level__in=LOCAL)


@indicator(
    "skills.participations",
    label=_("Participations in skill competitions"),
    unit=_("participations"),
    link="admin:skills_event_changelist",
    by_year=True,
    # Each event's entrants, or the participants a guided competition reported for it.
    sums="n",
)
def participations(user, year=None):
    entrants = Count(
        "entries__entrants", filter=Q(entries__status=Entry.Status.REGISTERED), distinct=True
    )
    return Event.objects.filter(competition__in=held(user, year)).annotate(
        n=Coalesce("participants_reported", entrants, output_field=IntegerField())
    )


@indicator(
    "skills.promotions",
    label=_("Skill levels raised by competition results"),
    unit=_("people"),
    link="admin:skills_promotion_changelist",
    by_year=True,
    counts=True,
)
def promotions(user, year=None):
    return restrict(Promotion.objects.filter(on__year=_year(year)), user)


# --- what waits for judges and the jury -------------------------------------------------------


@todo(
    "skills.to_mark",
    label=_("Events on your panel open for marking"),
    perm="skills.score_mark",
    link="admin:skills_event_changelist",
    query="competition__status__exact=marking",
)
def events_to_mark(user):
    return Event.objects.filter(
        panel__judge__user=user, competition__status=Competition.Status.MARKING
    ).count()


@todo(
    "skills.to_publish",
    label=_("Competitions whose results wait for your jury"),
    perm="skills.approve_competition",
    link="admin:skills_competition_changelist",
    query="status__exact=review",
)
def results_to_publish(user):
    return Competition.objects.filter(jury=user, status=Competition.Status.REVIEW).count()


@todo(
    "skills.to_check",
    label=_("Reported competitions to check"),
    perm="skills.approve_competition",
    link="admin:skills_competition_changelist",
    query="status__exact=reported",
)
def reports_to_check(user):
    return restrict(Competition.objects.filter(status=Competition.Status.REPORTED), user).count()


# --- results as other programmes read them (the talent plan, the craftsman title) -------------

PUBLISHED = (C.PUBLISHED, C.FROZEN)
CompetitionLevel = Competition.Level


def placed(levels, max_place: int, start, end):
    """The entrants (`member_id`, the competition's level and last day, the place) placed
    `max_place` or better in a published competition of one of `levels` that ended between
    `start` and `end`: the records a placing is read from (a place decided by the jury counts
    before the computed rank)."""
    return (
        Entrant.objects.filter(
            entry__event__competition__level__in=list(levels),
            entry__event__competition__status__in=PUBLISHED,
            entry__event__competition__ends_on__range=(start, end),
            entry__status=Entry.Status.REGISTERED,
        )
        .annotate(place=Coalesce("entry__jury_place", "entry__rank"))
        .filter(place__lte=max_place)
    )


def promoted(min_level: int, start, end):
    """Promotions by a competition result to `min_level` or above between `start` and `end`."""
    return Promotion.objects.filter(to_level__gte=min_level, on__range=(start, end))


def placings_of(member_id: int, levels, max_place: int, end):
    """A member's placings of `max_place` or better in published competitions of `levels`
    that ended on or before `end`, best first, in words a finding can name: the competition,
    its level, the trade, the place, the day it ended."""
    rows = (
        placed(levels, max_place, dt.date(1900, 1, 1), end)
        .filter(member_id=member_id)
        .values(
            "place",
            name=F("entry__event__competition__name"),
            level=F("entry__event__competition__level"),
            trade=F("entry__event__trade__name"),
            ended=F("entry__event__competition__ends_on"),
        )
        .order_by("place", "-entry__event__competition__ends_on")
    )
    return [{**r, "level_label": str(CompetitionLevel(r["level"]).label)} for r in rows]
