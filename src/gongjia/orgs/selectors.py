"""Read queries and indicators of the organisation tree."""

from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform.kpis import STOCK, indicator
from gongjia.platform.scope import restrict


def active_units(user):
    return restrict(OrgUnit.objects.filter(status=OrgUnit.Status.ACTIVE), user)


@indicator(
    "orgs.units",
    label=_("Organisation units"),
    unit=_("units"),
    link="admin:orgs_orgunit_changelist",
)
def units(user, year=None):
    qs = active_units(user)
    if year:
        qs = qs.exclude(founded_on__year__gt=year)
    return qs.count()


@indicator(
    "orgs.grassroots_unions",
    kind=STOCK,
    label=_("Grassroots unions"),
    unit=_("unions"),
    link="admin:orgs_orgunit_changelist",
    by_year=True,
)
def grassroots_unions(user, year=None):
    qs = active_units(user).filter(kind__in=OrgUnit.GRASSROOTS)
    if year:
        qs = qs.exclude(founded_on__year__gt=year)
    return qs.count()


@indicator(
    "orgs.enterprises",
    label=_("Enterprises"),
    unit=_("enterprises"),
    link="admin:orgs_enterprise_changelist",
)
def enterprises(user, year=None):
    return restrict(Enterprise.objects.all(), user).count()
