"""Read queries of rights protection and its indicators (keys are stable; see the cockpit)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform.kpis import indicator
from gongjia.platform.scope import restrict
from gongjia.rights.models import LegalTalk, Station, TeamMember


def regions_in_scope(user):
    """Villages and communities in the areas of the federations the user may see."""
    feds = restrict(OrgUnit.objects.filter(kind__in=OrgUnit.FEDERATIONS), user).select_related(
        "region"
    )
    prefixes = sorted({f.region.path for f in feds if f.region_id}, key=len)
    minimal = [p for i, p in enumerate(prefixes) if not any(p.startswith(q) for q in prefixes[:i])]
    if not minimal:
        return Region.objects.none()
    cond = Q()
    for p in minimal:
        cond |= Q(path__startswith=p)
    return Region.objects.filter(cond, level=Region.Level.VILLAGE)


def coverage(user):
    """Every village and community in scope with the stations in service that serve it,
    ordered by division code: [(region, [station, ...]), ...]."""
    villages = list(regions_in_scope(user).order_by("code"))
    served: dict[int, list] = {}
    through = Station.serves.through.objects.filter(
        region__in=[v.pk for v in villages], station__active=True
    ).select_related("station")
    for row in through.order_by("station__name"):
        served.setdefault(row.region_id, []).append(row.station)
    return [(v, served.get(v.pk, [])) for v in villages]


def _covered_share(user):
    villages = regions_in_scope(user)
    total = villages.count()
    if not total:
        return None
    served = Station.serves.through.objects.filter(region=OuterRef("pk"), station__active=True)
    covered = villages.filter(Exists(served)).count()
    return round(covered / total, 4)


def stations(user):
    return restrict(Station.objects.filter(active=True), user)


def team(user, kind, on: dt.date | None = None):
    """Active team members of a kind whose credential is valid on the day (today by default)."""
    on = on or dt.date.today()
    return restrict(TeamMember.objects.filter(kind=kind, active=True), user).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
    )


def _year_end(year):
    return dt.date(year, 12, 31) if year else None


@indicator(
    "rights.stations",
    label=_("Rights stations and rooms"),
    unit=_("stations"),
    link="admin:rights_station_changelist",
)
def stations_count(user, year=None):
    return stations(user).count()


@indicator(
    "rights.village_coverage",
    label=_("Villages and communities covered by a rights station"),
    unit=_("share (0-1)"),
    link="admin:rights_station_coverage",
    target=1.0,
)
def village_coverage(user, year=None):
    return _covered_share(user)


@indicator(
    "rights.lawyers",
    label=_("Lawyers in the legal service team"),
    unit=_("people"),
    link="admin:rights_teammember_changelist",
)
def lawyers(user, year=None):
    return team(user, TeamMember.Kind.LAWYER, _year_end(year)).count()


@indicator(
    "rights.chief_maintainers",
    label=_("Regional chief maintainers"),
    unit=_("people"),
    link="admin:rights_teammember_changelist",
)
def chief_maintainers(user, year=None):
    return team(user, TeamMember.Kind.CHIEF_MAINTAINER, _year_end(year)).count()


@indicator(
    "rights.law_supervisors",
    label=_("Union labour-law supervisors"),
    unit=_("people"),
    link="admin:rights_teammember_changelist",
)
def law_supervisors(user, year=None):
    return team(user, TeamMember.Kind.LAW_SUPERVISOR, _year_end(year)).count()


@indicator(
    "rights.legal_talks",
    label=_("Legal talks"),
    unit=_("talks"),
    link="admin:rights_legaltalk_changelist",
    by_year=True,
)
def legal_talks(user, year=None):
    year = year or dt.date.today().year
    return restrict(LegalTalk.objects.filter(held_on__year=year), user).count()


@indicator(
    "rights.legal_talk_audience",
    label=_("Audience of legal talks"),
    unit=_("people"),
    link="admin:rights_legaltalk_changelist",
    by_year=True,
)
def legal_talk_audience(user, year=None):
    year = year or dt.date.today().year
    qs = restrict(LegalTalk.objects.filter(held_on__year=year), user)
    return qs.aggregate(s=Sum("audience"))["s"] or 0
