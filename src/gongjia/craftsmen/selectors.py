"""Indicators of the craftsman title (keys are stable; see the cockpit), what waits for the
round's officers and its panel, the plan criterion "title held", and the benefits other
programmes read (the recuperation allocation reads the entitlements)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongjia.craftsmen.models import Award, AwardPayment, Entitlement, Nomination, Round, Title
from gongjia.platform.kpis import MONEY, indicator
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo
from gongjia.training import plans


def _year(year):
    return year or timezone.localdate().year


@indicator(
    "craftsmen.titles",
    label=_("Craftsman titles conferred (by round)"),
    unit=_("people"),
    link="admin:craftsmen_title_changelist",
    by_year=True,
    counts=True,
    sentence=_(
        "%(value)s workers were named district craftsmen in the year's round, each with a"
        " one-off award (%(craftsmen.awards_paid)s paid) and a recuperation place"
    ),
)
def titles(user, year=None):
    """The titles a round conferred in the year (a round confers once, on one day)."""
    return restrict(Title.objects.filter(kind=Title.Kind.TITLE, held_from__year=_year(year)), user)


@indicator(
    "craftsmen.awards_paid",
    label=_("Craftsman awards paid"),
    unit=_("yuan"),
    fmt=MONEY,
    link="admin:craftsmen_awardpayment_changelist",
    by_year=True,
    sums="amount_fen",  # payments less their reversals, in the year of each line
)
def awards_paid(user, year=None):
    return restrict(AwardPayment.objects.filter(on__year=_year(year)), user)


# --- the talent plan counts a title held -------------------------------------------------------


@plans.criterion("title", describe=lambda c: gettext("Holds the district craftsman title"))
def _titled(c, start, end):
    return (
        Title.objects.filter(kind=Title.Kind.TITLE, held_from__range=(start, end))
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=end))
        .values("member_id")
    )


# --- what other programmes read ----------------------------------------------------------------


def recuperation_entitled(member_ids=None):
    """The unused recuperation entitlements of titles in force (honours.md §7: craftsman-title
    holders get a priority flag), with their member; for the recuperation allocation."""
    qs = Entitlement.objects.filter(
        kind=Entitlement.Kind.RECUPERATION, used_on__isnull=True, title__revoked_on__isnull=True
    ).select_related("title__member")
    if member_ids is not None:
        qs = qs.filter(title__member_id__in=list(member_ids))
    return qs


def titles_of(member_id: int):
    """A person's titles, for their honours and their portal."""
    return Title.objects.filter(member_id=member_id).select_related("round").order_by("held_from")


# --- what waits --------------------------------------------------------------------------------


@todo(
    "craftsmen.to_check",
    label=_("Craftsman nominations awaiting the eligibility check"),
    perm="craftsmen.change_nomination",
    link="admin:craftsmen_nomination_changelist",
    query="status__exact=submitted",
)
def to_check(user):
    return restrict(
        Nomination.objects.filter(status=Nomination.Status.SUBMITTED), user, "change"
    ).count()


@todo(
    "craftsmen.to_score",
    label=_("Craftsman nominations for you to score"),
    perm="craftsmen.view_nomination",
    link="admin:craftsmen_nomination_changelist",
    query="status__exact=eligible",
)
def to_score(user):
    scored = Nomination.objects.filter(scores__judge=user).values("pk")
    return (
        Nomination.objects.filter(
            status=Nomination.Status.ELIGIBLE,
            round__status=Round.Status.REVIEW,
            round__panel__user=user,
        )
        .exclude(pk__in=scored)
        .count()
    )


@todo(
    "craftsmen.to_approve",
    label=_("Craftsman awards to approve"),
    perm="craftsmen.approve_award",
    link="admin:craftsmen_award_changelist",
    query="status__in=prepared,reversed",
)
def awards_to_approve(user):
    waiting = (Award.Status.PREPARED, Award.Status.REVERSED)
    return (
        restrict(Award.objects.filter(status__in=waiting), user, "approve")
        .exclude(prepared_by=user)
        .count()
    )
