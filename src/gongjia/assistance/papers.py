"""Hardship assistance's paperwork: the relief approval form, signed by who prepared and who
approved it, and the public notice list of households in notice, posted in the unit
(assistance.md §2: name, unit and category only)."""

from django.utils.translation import gettext_lazy as _

from gongjia.assistance.models import Household, HouseholdMember, ReliefApplication
from gongjia.assistance.relief import policy_choices
from gongjia.platform import money, scope
from gongjia.platform.paperwork import paper

R = ReliefApplication.Status


def _relief_ready(application):
    if application.status in (R.SUBMITTED, R.APPROVED):
        return None
    return _(
        "Only an application awaiting approval or approved is printed: this one is “%(s)s”."
    ) % {"s": application.get_status_display()}


@paper(
    "assistance.relief_approval",
    ReliefApplication,
    label=_("Relief approval form"),
    template="assistance/papers/relief_approval.html",
    signed=True,
    ready=_relief_ready,
)
def relief_approval(application, user):
    policies = dict(policy_choices(on=application.prepared_at.date()))
    return {
        "a": application,
        "policy": policies.get(application.policy, application.policy),
        "monthly": money.yuan(application.amount_fen, grouped=True),
        "total": money.yuan(application.amount_fen * application.periods, grouped=True),
    }


def _notice_ready(household):
    if household.status == Household.Status.NOTICE:
        return None
    return _("The public notice list is printed while the household is in its notice period.")


@paper(
    "assistance.notice_list",
    Household,
    label=_("Public notice list"),
    template="assistance/papers/notice_list.html",
    ready=_notice_ready,
)
def notice_list(household, user):
    """Every household of the same union in its notice period, as far as the user may see."""
    listed = (
        scope.restrict(Household.objects.all(), user, "view")
        .filter(unit=household.unit, status=Household.Status.NOTICE)
        .order_by("number")
    )
    employers = dict(
        HouseholdMember.objects.filter(
            household__in=listed, relationship=HouseholdMember.Relationship.SELF
        ).values_list("household_id", "employer_name")
    )
    rows = [(h, employers.get(h.id, "")) for h in listed]
    until = max((h.notice_until for h in listed if h.notice_until), default=None)
    return {"unit": household.unit, "rows": rows, "until": until}
