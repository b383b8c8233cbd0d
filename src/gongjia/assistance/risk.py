"""Unemployment-risk grading of employed members of archived households (assistance.md §5): a
transparent points table held as a dated parameter. A grade lists the factors that fired and
their points; it prompts a visit or an offer of help and never grants, cuts or refuses anything
by itself (PIPL art. 24): an officer decides."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.assistance.models import EmployerSignal, Household, HouseholdMember, RiskGrade
from gongjia.members.selectors import skill_level
from gongjia.platform import parameters
from gongjia.platform.batches import in_batches


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# The factors by name, for people (a grade keeps their keys and points).
FACTOR_LABELS = {
    "layoff_plan": gettext_lazy("the employer plans layoffs"),
    "monitored": gettext_lazy("the employer is on the monitored list"),
    "wage_arrears": gettext_lazy("wages in arrears"),
    "contract_ending": gettext_lazy("the labour contract ends soon"),
    "age_45": gettext_lazy("aged 45 or over"),
    "sole_earner": gettext_lazy("the household's only earner"),
    "archived": gettext_lazy("an archived hardship household"),
    "low_skill": gettext_lazy("a low skill level"),
}


def reasons_text(reasons: dict | None) -> str:
    """A grade's factors in words: "企业有裁员计划 40 分；家庭唯一就业人员 10 分"."""
    if not reasons:
        return "—"
    return "；".join(
        _("%(factor)s %(n)d points") % {"factor": FACTOR_LABELS.get(k, k), "n": n}
        for k, n in reasons.items()
    )


def factors(member: HouseholdMember, on: dt.date) -> dict[str, bool]:
    """Which factors hold for the member on the day."""
    signals = set()
    if member.employer_id:
        signals = set(
            EmployerSignal.objects.filter(enterprise_id=member.employer_id, since__lte=on)
            .exclude(until__lt=on)
            .values_list("kind", flat=True)
        )
    # Read afresh: a member fetched through its household carries that household as it was.
    household = Household.objects.only("status").get(pk=member.household_id)
    employed = HouseholdMember.objects.filter(
        household_id=member.household_id, work=HouseholdMember.Work.EMPLOYED
    ).count()
    age = _age(member.birth_date, on)
    ends = member.contract_ends_on
    # The skill level comes from the member registry; unknown when the person is not linked.
    skill = skill_level(member.member_id)
    low_skill = parameters.value("assistance.risk_low_skill_level", on=on)
    window = parameters.value("assistance.risk_thresholds", on=on)
    return {
        "layoff_plan": "layoff_plan" in signals,
        "monitored": "monitored" in signals,
        "wage_arrears": "wage_arrears" in signals or member.wage_arrears,
        "contract_ending": bool(
            ends and on <= ends <= on + dt.timedelta(days=window["contract_ends_within_days"])
        ),
        "age_45": age is not None and age >= window["age_from"],
        "sole_earner": employed == 1,
        "archived": household.status == Household.Status.ARCHIVED,
        "low_skill": skill is not None and skill <= low_skill,
    }


def grade_member(member: HouseholdMember, on: dt.date | None = None) -> RiskGrade:
    on = on or timezone.localdate()
    table = parameters.value("assistance.risk_points", on=on)
    limits = parameters.value("assistance.risk_grades", on=on)
    fired = {k: table[k] for k, holds in factors(member, on).items() if holds and k in table}
    points = sum(fired.values())
    colour = (
        "red" if points >= limits["red"] else "yellow" if points >= limits["yellow"] else "green"
    )
    with transaction.atomic():
        grade, _created = RiskGrade.objects.update_or_create(
            member=member,
            defaults={
                "grade": colour,
                "points": points,
                "reasons": fired,
                "graded_on": on,
                "parameters_since": str(
                    max(s for s, _v in parameters.get("assistance.risk_points").values if s <= on)
                ),
            },
        )
    return grade


def regrade_household(household: Household, on: dt.date | None = None) -> int:
    """After a change to the household: employed members of an archived household are graded,
    anyone else loses a grade that no longer applies."""
    archived = Household.objects.filter(pk=household.pk, status=Household.Status.ARCHIVED).exists()
    n = 0
    for m in HouseholdMember.objects.filter(household=household):
        if archived and m.work == HouseholdMember.Work.EMPLOYED:
            grade_member(m, on)
            n += 1
        else:
            RiskGrade.objects.filter(member=m).delete()
    return n


def regrade_all(on: dt.date | None = None) -> int:
    """The monthly sweep: every employed member of an archived household."""
    members = HouseholdMember.objects.filter(
        work=HouseholdMember.Work.EMPLOYED, household__status=Household.Status.ARCHIVED
    ).select_related("household")
    n = 0
    for m in in_batches(members):
        grade_member(m, on)
        n += 1
    return n
