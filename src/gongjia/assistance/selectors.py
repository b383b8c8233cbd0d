"""Indicators of hardship assistance (keys are stable; see the cockpit)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.assistance.models import (
    ArchivePeriod,
    Household,
    HouseholdMember,
    Pairing,
    ReliefApplication,
    ReliefFund,
    ReliefPayment,
    RiskGrade,
)
from gongjia.platform import money
from gongjia.platform.kpis import MONEY, STOCK, Per, indicator, year_end
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo


def periods_at(user, on):
    """The periods in the archive that cover the end of the day `on`, over the user's scope."""
    return ArchivePeriod.objects.filter(
        Q(ended_on=None) | Q(ended_on__gt=on),
        household__in=restrict(Household.objects.all(), user),
        started_on__lte=on,
    )


@indicator(
    "assistance.archived_households",
    kind=STOCK,
    label=_("Archived hardship households, by category"),
    unit=_("households"),
    link="admin:assistance_household_changelist",
    by_year=True,
    parts={**dict(Household.Category.choices), "none": _("no category")},
    per=Per("members.total", 10_000, _("per 10,000 members")),
    sentence=_(
        "%(n:assistance.archived_households)s hardship households archived, with"
        " %(n:assistance.employed_members)s employed family members registered"
    ),
    records=lambda user, year: Household.objects.filter(
        pk__in=periods_at(user, year_end(year) or timezone.localdate()).values("household")
    ),
)
def archived_households(user, year=None):
    rows = (
        periods_at(user, year_end(year) or timezone.localdate())
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by("category")
    )
    return {category or "none": n for category, n in rows}


@indicator(
    "assistance.employed_members",
    kind=STOCK,
    label=_("Employed members of archived households"),
    unit=_("people"),
    link="admin:assistance_householdmember_changelist",
    by_year=True,
    counts=True,
)
def employed_members(user, year=None):
    """Members of the households in the archive at the day, employed as last recorded (the
    member's employment has no history of its own)."""
    households = periods_at(user, year_end(year) or timezone.localdate()).values("household")
    return HouseholdMember.objects.filter(
        household__in=households, work=HouseholdMember.Work.EMPLOYED
    )


def _risk(user, grade):
    return restrict(RiskGrade.objects.filter(grade=grade), user).filter(
        member__household__status=Household.Status.ARCHIVED
    )


@indicator(
    "assistance.risk_red",
    label=_("Employed members at red unemployment risk"),
    unit=_("people"),
    link="admin:assistance_riskgrade_changelist",
    counts=True,
)
def risk_red(user, year=None):
    return _risk(user, "red")


@indicator(
    "assistance.risk_yellow",
    label=_("Employed members at yellow unemployment risk"),
    unit=_("people"),
    link="admin:assistance_riskgrade_changelist",
    counts=True,
)
def risk_yellow(user, year=None):
    return _risk(user, "yellow")


@indicator(
    "assistance.risk_green",
    label=_("Employed members at green unemployment risk"),
    unit=_("people"),
    link="admin:assistance_riskgrade_changelist",
    counts=True,
)
def risk_green(user, year=None):
    return _risk(user, "green")


@indicator(
    "assistance.relief_paid",
    label=_("Relief paid to archived households"),
    unit=_("yuan"),
    fmt=MONEY,
    link="admin:assistance_reliefpayment_changelist",
    by_year=True,
    sums="amount_fen",
)
def relief_paid(user, year=None):
    return restrict(ReliefPayment.objects.filter(year=year or timezone.localdate().year), user)


@indicator(
    "assistance.relief_budget_left",
    kind=STOCK,
    label=_("Relief budget left this year (district)"),
    unit=_("yuan"),
    fmt=MONEY,
    link="admin:assistance_relieffund_changelist",
    by_year=True,
    # The year's budget line, with what has been paid from it (none until a first payment).
    records=lambda user, year: restrict(
        ReliefFund.objects.filter(year=year or timezone.localdate().year), user
    ),
)
def relief_budget_left(user, year=None):
    from gongjia.assistance import relief

    year = year or timezone.localdate().year
    if not user.has_perm("assistance.view_relieffund"):
        return None  # the district's budget is shown to those who may see it
    fund = ReliefFund.objects.filter(year=year).first()
    try:
        budget = relief.budget(year)
    except LookupError:
        return None
    return money.yuan_figure(budget - (fund.paid_fen if fund else 0))


@indicator(
    "assistance.exited",
    label=_("Households that left the archive"),
    unit=_("households"),
    link="admin:assistance_household_changelist",
    by_year=True,
    counts=True,
)
def exited(user, year=None):
    year = year or timezone.localdate().year
    return restrict(Household.objects.filter(exited_on__year=year), user)


@todo(
    "assistance.visits_overdue",
    label=_("Helper visits overdue"),
    perm="assistance.view_pairing",
    link="admin:assistance_pairing_changelist",
    query="visit=overdue",
    urgent=True,
)
@indicator(
    "assistance.visits_overdue",
    label=_("One-to-one pairings with an overdue visit"),
    unit=_("pairings"),
    link="admin:assistance_pairing_changelist",
    counts=True,
)
def visits_overdue(user, year=None):
    return restrict(Pairing.objects.filter(overdue_visit()), user)


def overdue_visit() -> Q:
    """An active pairing whose next visit is past (the list's filter, the indicator and the
    to-do read this)."""
    return Q(ended_on=None, next_visit_on__lt=timezone.localdate())


# --- what waits for each part of the procedure ------------------------------------------------

H = Household.Status


def _households(user, action, **where):
    return restrict(Household.objects.filter(**where), user, action).count()


@todo(
    "assistance.to_check",
    label=_("Hardship applications to check (base union)"),
    perm="assistance.check_household",
    link="admin:assistance_household_changelist",
    query="status__exact=applied",
)
def to_check(user):
    return _households(user, "check", status=H.APPLIED)


@todo(
    "assistance.to_visit",
    label=_("Home visits to make (base union)"),
    perm="assistance.check_household",
    link="admin:assistance_household_changelist",
    query="status__exact=checked",
)
def to_visit(user):
    return _households(user, "check", status=H.CHECKED)


@todo(
    "assistance.to_confirm",
    label=_("Hardship files to confirm (higher union)"),
    perm="assistance.approve_household",
    link="admin:assistance_household_changelist",
    query="status__exact=visited",
)
def to_confirm(user):
    return _households(user, "approve", status=H.VISITED)


@todo(
    "assistance.notice_over",
    label=_("Public notices ended: archive or refuse"),
    perm="assistance.change_household",
    link="admin:assistance_household_changelist",
    query="status__exact=notice",
)
def notice_over(user):
    return _households(user, "change", status=H.NOTICE, notice_until__lt=timezone.localdate())


@todo(
    "assistance.relief_to_approve",
    label=_("Relief applications prepared by colleagues, to approve"),
    perm="assistance.approve_reliefapplication",
    link="admin:assistance_reliefapplication_changelist",
    query="status__exact=submitted",
)
def relief_to_approve(user):
    waiting = ReliefApplication.objects.filter(status=ReliefApplication.Status.SUBMITTED)
    return restrict(waiting.exclude(prepared_by=user), user, "approve").count()


def households_helped(user) -> int:
    """How many households `user` is the active helper of (their portal shows the visits)."""
    return Pairing.objects.filter(helper=user, ended_on=None).count()
