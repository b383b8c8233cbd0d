"""Indicators of hardship assistance (keys are stable; see the cockpit)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from gongjia.assistance.models import Household, HouseholdMember
from gongjia.platform.kpis import indicator
from gongjia.platform.scope import restrict


def archived(user):
    return restrict(Household.objects.filter(status=Household.Status.ARCHIVED), user)


@indicator(
    "assistance.archived_households",
    label=_("Archived hardship households, by category"),
    unit=_("households"),
    link="admin:assistance_household_changelist",
)
def archived_households(user, year=None):
    rows = archived(user).values_list("category").annotate(n=Count("id")).order_by("category")
    return {category or "none": n for category, n in rows}


@indicator(
    "assistance.employed_members",
    label=_("Employed members of archived households"),
    unit=_("people"),
    link="admin:assistance_household_changelist",
)
def employed_members(user, year=None):
    return (
        restrict(HouseholdMember.objects.all(), user)
        .filter(household__status=Household.Status.ARCHIVED, work=HouseholdMember.Work.EMPLOYED)
        .count()
    )
