"""Indicators of training (keys are stable; see the cockpit), the "百千万" plan's tiers counted
from records, and what waits for the academy's officers."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.members.selectors import members_in_scope
from gongjia.platform.kpis import STOCK, Target, indicator, year_end
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo
from gongjia.training import plans
from gongjia.training.models import Enrolment, Plan, PlanTier, TrainingBase, TrainingClass


def _year(year):
    return year or timezone.localdate().year


@indicator(
    "training.trainees",
    label=_("Workers who completed academy training"),
    unit=_("people"),
    link="admin:training_enrolment_changelist",
    by_year=True,
    counts=True,
    sentence=_(
        "%(value)s workers completed a class of the craftsman academy, and"
        " %(n:training.bases)s enterprises were district training bases"
    ),
)
def trainees(user, year=None):
    return restrict(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_on__year=_year(year)),
        user,
    )


def bases_in_force(user, day):
    """District training bases named on or before `day` and in force on it."""
    return restrict(
        TrainingBase.objects.filter(kind=TrainingBase.Kind.BASE, named_on__lte=day).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=day), term_until__gte=day
        ),
        user,
    )


@indicator(
    "training.bases",
    label=_("District training bases"),
    unit=_("enterprises"),
    link="admin:training_trainingbase_changelist",
    by_year=True,
    kind=STOCK,
    counts=True,
)
def bases(user, year=None):
    return bases_in_force(user, year_end(year) or timezone.localdate())


def _tier(key: str, year):
    plan = plans.plan_for(_year(year))
    if plan is None:
        return None
    return plan.tiers.select_related("plan").filter(key=key).first()


def tier_members(key: str, user, year):
    """The members in the caller's scope who count in the tier `key` of the plan for the year."""
    tier = _tier(key, year)
    people = members_in_scope(user)
    return people.none() if tier is None else plans.counted(tier, people, _year(year))


def tier_target(key: str):
    """The tier's target, shown to those who see the plan (a town sees its share, no target)."""

    def target(user, year):
        tier = _tier(key, year)
        if tier is None or not restrict(Plan.objects.filter(pk=tier.plan_id), user).exists():
            return None
        return tier.target

    return Target(target, ">=")


def _plan_tier(indicator_key: str, key: str, label):
    @indicator(
        indicator_key,
        label=label,
        unit=_("people"),
        link="admin:members_member_changelist",
        by_year=True,
        kind=STOCK,
        counts=True,
        target=tier_target(key),
    )
    def figure(user, year=None):
        return tier_members(key, user, year)

    figure.__name__ = f"plan_{key}"
    return figure


T = PlanTier.Key
plan_craftsman_talents = _plan_tier(
    "training.plan_craftsman_talents", T.CRAFTSMAN_TALENT, _("百千万 plan: craftsman-type talents")
)
plan_technical_backbones = _plan_tier(
    "training.plan_technical_backbones",
    T.TECHNICAL_BACKBONE,
    _("百千万 plan: applied technical backbones"),
)
plan_frontline_workers = _plan_tier(
    "training.plan_frontline_workers",
    T.FRONTLINE_WORKER,
    _("百千万 plan: frontline professional workers"),
)


# --- what waits for the academy's officers ------------------------------------------------------


@todo(
    "training.to_assess",
    label=_("Running classes with assessments to record"),
    perm="training.change_enrolment",
    link="admin:training_trainingclass_changelist",
    query="status__exact=running",
)
def classes_to_assess(user):
    return (
        restrict(TrainingClass.objects.filter(status=TrainingClass.Status.RUNNING), user, "change")
        .filter(enrolments__status=Enrolment.Status.ENROLLED, enrolments__score__isnull=True)
        .distinct()
        .count()
    )


@todo(
    "training.bases_to_decide",
    label=_("Training base applications to evaluate or decide"),
    perm="training.approve_trainingbase",
    link="admin:training_trainingbase_changelist",
    query="status__in=applied,evaluated",
)
def bases_to_decide(user):
    return restrict(
        TrainingBase.objects.filter(
            status__in=(TrainingBase.Status.APPLIED, TrainingBase.Status.EVALUATED)
        ),
        user,
        "approve",
    ).count()
