"""Indicators of honours and exemplars (keys are stable; see the cockpit) and what waits for
the officers who run them. The industrial workers' shares are read from the member registry's
worker category through the dictionary `honours.industrial_categories`."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.honours import quota
from gongjia.honours.models import (
    Batch,
    CareApplication,
    CareBatch,
    Clearance,
    MassOrgPost,
    NamedMethod,
    Nomination,
    Objection,
    PartyDevelopment,
    PioneerUnit,
    Programme,
    Studio,
)
from gongjia.orgs.models import OrgUnit
from gongjia.platform import parameters, scope
from gongjia.platform.kpis import RATE, SHARE, STOCK, Target, indicator, year_end
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo

PUT_FORWARD = (
    Nomination.Status.NOMINATED,
    Nomination.Status.VETOED,
    Nomination.Status.DISQUALIFIED,
    Nomination.Status.CONFERRED,
)
PLACED = (CareApplication.Status.ALLOCATED, CareApplication.Status.ATTENDED)


def _year(year):
    return year or timezone.localdate().year


def _industrial(year) -> Q:
    return Q(member__category__in=sorted(quota.industrial_categories(year_end(year))))


def _line(key):
    """The target of a share: the parameter's percentage as a 0–1 share, in force at the end
    of the year (its operator is declared with the indicator, as the parameter says it)."""

    def at(user, year):
        try:
            return float(quota.fraction(parameters.value(key, year_end(year))["pct"]))
        except LookupError:
            return None

    return at


def _share(qs, year):
    counts = qs.aggregate(n=Count("pk"), industrial=Count("pk", filter=_industrial(year)))
    return round(counts["industrial"] / counts["n"], 4) if counts["n"] else None


def _recommended(user, year, kind):
    return restrict(
        Nomination.objects.filter(
            batch__programme__kind=kind, batch__year=_year(year), status__in=PUT_FORWARD
        ),
        user,
    )


@indicator(
    "honours.model_workers_industrial_share",
    kind=RATE,
    label=_("Industrial workers among model workers recommended"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:honours_nomination_changelist",
    by_year=True,
    target=Target(_line("honours.industrial_line.model_worker"), ">"),
    records=lambda user, year: _recommended(user, year, Programme.Kind.MODEL_WORKER),
)
def model_workers_industrial_share(user, year=None):
    """Of the model workers put forward in the year's batches at every level the platform
    runs, the share of industrial workers (the district's line: more than 60 %)."""
    return _share(_recommended(user, year, Programme.Kind.MODEL_WORKER), year)


@indicator(
    "honours.tech_leaders_industrial_share",
    kind=RATE,
    label=_("Industrial workers among vocational technical leaders"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:honours_nomination_changelist",
    by_year=True,
    target=Target(_line("honours.industrial_line.tech_leader"), ">"),
    records=lambda user, year: _recommended(user, year, Programme.Kind.TECH_LEADER),
)
def tech_leaders_industrial_share(user, year=None):
    return _share(_recommended(user, year, Programme.Kind.TECH_LEADER), year)


def _places(user, year, kind):
    return restrict(
        CareApplication.objects.filter(
            batch__kind=kind, batch__starts_on__year=_year(year), status__in=PLACED
        ),
        user,
    )


@indicator(
    "honours.recuperation_industrial_share",
    kind=RATE,
    label=_("Industrial workers among free recuperation places"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:honours_careapplication_changelist",
    by_year=True,
    target=Target(_line("honours.industrial_line.care"), ">="),
    records=lambda user, year: _places(user, year, CareBatch.Kind.RECUPERATION),
)
def recuperation_industrial_share(user, year=None):
    return _share(_places(user, year, CareBatch.Kind.RECUPERATION), year)


@indicator(
    "honours.health_checks_industrial_share",
    kind=RATE,
    label=_("Industrial workers among free health-check places"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:honours_careapplication_changelist",
    by_year=True,
    target=Target(_line("honours.industrial_line.care"), ">="),
    records=lambda user, year: _places(user, year, CareBatch.Kind.HEALTH_CHECK),
)
def health_checks_industrial_share(user, year=None):
    return _share(_places(user, year, CareBatch.Kind.HEALTH_CHECK), year)


@indicator(
    "honours.pioneer_units",
    label=_("Worker-pioneer units named"),
    unit=_("units"),
    link="admin:honours_pioneerunit_changelist",
    by_year=True,
    counts=True,
)
def pioneer_units(user, year=None):
    return restrict(PioneerUnit.objects.filter(named_on__year=_year(year)), user)


@indicator(
    "honours.studios",
    label=_("Innovation studios named"),
    unit=_("studios"),
    link="admin:honours_studio_changelist",
    by_year=True,
    counts=True,
)
def studios(user, year=None):
    return restrict(Studio.objects.filter(named_on__year=_year(year)), user)


@indicator(
    "honours.named_methods",
    label=_("Operation methods named after workers"),
    unit=_("methods"),
    link="admin:honours_namedmethod_changelist",
    by_year=True,
    counts=True,
)
def named_methods(user, year=None):
    return restrict(NamedMethod.objects.filter(named_on__year=_year(year)), user)


@indicator(
    "honours.party_members_developed",
    label=_("Industrial workers admitted to the party"),
    unit=_("people"),
    link="admin:honours_partydevelopment_changelist",
    by_year=True,
    counts=True,
)
def party_members_developed(user, year=None):
    """Industrial workers admitted as probationary members in the year (发展党员)."""
    return restrict(
        PartyDevelopment.objects.filter(probationary_on__year=_year(year)).filter(
            _industrial(year)
        ),
        user,
    )


@indicator(
    "honours.mass_organisation_posts",
    kind=STOCK,
    label=_("Posts held in mass organisations"),
    unit=_("posts"),
    link="admin:honours_massorgpost_changelist",
    by_year=True,
    counts=True,
)
def mass_organisation_posts(user, year=None):
    """Posts of model workers and front-line workers in their term at the end of the year."""
    end = year_end(year) or timezone.localdate()
    return restrict(
        MassOrgPost.objects.filter(term_from__lte=end).filter(
            Q(term_until__isnull=True) | Q(term_until__gte=end)
        ),
        user,
    )


# --- what other pages read ---------------------------------------------------------------------


def pioneer_team_share(user, year: int) -> dict:
    """The teams' share of the year's named pioneer units checked as a quota (≥ 70 %)."""
    line = parameters.value("honours.pioneer_team_share", dt.date(year, 12, 31))
    named = restrict(PioneerUnit.objects.filter(named_on__year=year), user)
    people = [{k} for k in named.values_list("kind", flat=True)]
    rule = {"category": "team", "op": line["op"], "pct": str(line["pct"]), "base": "all"}
    names = {"team": str(PioneerUnit.Kind.TEAM.label)}
    return quota.check(people, [rule], names)[0]


def care_batches_open_to(member):
    """Batches taking applications whose organiser is above the member's union."""
    path, step = member.union.path, type(member.union).steplen
    above = [path[:n] for n in range(step, len(path) + 1, step)]
    return CareBatch.objects.filter(
        organiser__path__in=above,
        status=CareBatch.Status.OPEN,
        applications_until__gte=timezone.localdate(),
    ).order_by("starts_on")


# --- what waits --------------------------------------------------------------------------------


@todo(
    "honours.clearance",
    label=_("Honour nominees awaiting the departments' clearance"),
    perm="honours.change_clearance",
    link="admin:honours_nomination_changelist",
    query="status__exact=nominated&batch__status__exact=clearance",
)
def awaiting_clearance(user):
    answered = Clearance.objects.values("nomination")
    return (
        restrict(
            Nomination.objects.filter(
                status=Nomination.Status.NOMINATED, batch__status=Batch.Status.CLEARANCE
            ),
            user,
            "change",
        )
        .exclude(pk__in=answered)
        .count()
    )


@todo(
    "honours.objections",
    label=_("Objections to honour nominees to look into"),
    perm="honours.approve_batch",
    link="admin:honours_objection_changelist",
    query="status__exact=open",
)
def objections_open(user):
    return restrict(Objection.objects.filter(status=Objection.Status.OPEN), user, "approve").count()


@todo(
    "honours.to_allocate",
    label=_("Recuperation and health-check batches to allocate"),
    perm="honours.allocate_carebatch",
    link="admin:honours_carebatch_changelist",
    query="status__exact=open",
)
def to_allocate(user):
    return restrict(
        CareBatch.objects.filter(
            status=CareBatch.Status.OPEN, applications_until__lt=timezone.localdate()
        ),
        user,
        "allocate",
    ).count()


@todo(
    "honours.exemplars_to_decide",
    label=_("Pioneer units, studios and methods awaiting a decision"),
    perm="honours.approve_pioneerunit",
    link="admin:honours_pioneerunit_changelist",
    query="status__exact=recommended",
)
def exemplars_to_decide(user):
    return (
        restrict(
            PioneerUnit.objects.filter(status=PioneerUnit.Status.RECOMMENDED), user, "approve"
        ).count()
        + restrict(Studio.objects.filter(status=Studio.Status.APPLIED), user, "approve").count()
        + restrict(
            NamedMethod.objects.filter(status=NamedMethod.Status.PROPOSED), user, "approve"
        ).count()
    )


def batches_open_to(user):
    """Batches being assembled that `user` may put nominees into: those organised by one of the
    units where they may nominate, or by a unit above it (a town's officers nominate into the
    district's selection, which they cannot otherwise open)."""
    open_ = Batch.objects.filter(status=Batch.Status.ASSEMBLING).select_related(
        "organiser", "programme"
    )
    if user is scope.SYSTEM:
        return open_
    prefixes = scope.unit_prefixes(user, Nomination, "add")
    if prefixes is None:
        return open_
    step = OrgUnit.steplen
    above: set[str] = set()
    within = Q(pk__in=[])
    for p in prefixes:
        above.update(p[:n] for n in range(step, len(p) + 1, step))
        within |= Q(organiser__path__startswith=p)
    return open_.filter(Q(organiser__path__in=sorted(above)) | within)
