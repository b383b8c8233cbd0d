"""Read queries and indicators of the organisation tree."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform.kpis import STOCK, indicator, year_end
from gongjia.platform.scope import restrict


def active_units(user):
    return restrict(OrgUnit.objects.filter(status=OrgUnit.Status.ACTIVE), user)


def units_at(user, year=None):
    """Units active today, or at the end of a past year: founded by then (or on a date not
    known) and not yet deregistered (a unit deregistered without a date left at a time not
    known)."""
    on = year_end(year)
    if on is None:
        return active_units(user)
    return (
        restrict(OrgUnit.objects.all(), user)
        .filter(Q(status=OrgUnit.Status.ACTIVE) | Q(deregistered_on__gt=on))
        .exclude(founded_on__gt=on)
    )


@indicator(
    "orgs.units",
    kind=STOCK,
    label=_("Organisation units"),
    unit=_("units"),
    link="admin:orgs_orgunit_changelist",
    by_year=True,
    counts=True,
)
def units(user, year=None):
    return units_at(user, year)


@indicator(
    "orgs.grassroots_unions",
    kind=STOCK,
    label=_("Grassroots unions"),
    unit=_("unions"),
    link="admin:orgs_orgunit_changelist",
    by_year=True,
    counts=True,
)
def grassroots_unions(user, year=None):
    return units_at(user, year).filter(kind__in=OrgUnit.GRASSROOTS)


@indicator(
    "orgs.enterprises",
    label=_("Enterprises"),
    unit=_("enterprises"),
    link="admin:orgs_enterprise_changelist",
    counts=True,
)
def enterprises(user, year=None):
    return restrict(Enterprise.objects.all(), user)
