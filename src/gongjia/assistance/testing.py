import itertools

from gongjia.assistance import actions
from gongjia.assistance.models import (
    CategoryDecision,
    EmployerSignal,
    Household,
    HouseholdMember,
    RiskGrade,
    YearFinance,
)
from gongjia.platform.testing import factory

_seq = itertools.count(1)


@factory(Household)
def make_household(tree, town):
    n = next(_seq)
    return actions.open_household(
        acting_user=None,
        unit=town,
        head_name=f"{town.code}-困难职工{n}",
        address=f"{town.code}路{n}号",
        primary_cause="illness",
        members=[{"name": f"{town.code}-困难职工{n}", "relationship": "self", "work": "employed"}],
    )


@factory(HouseholdMember)
def make_household_member(tree, town):
    return make_household(tree, town).members.get()


@factory(YearFinance)
def make_year_finance(tree, town):
    h = make_household(tree, town)
    actions.record_finances(
        h, acting_user=None, year=2025, income_fen=3_000_000, rigid_fen=0, members_living=3
    )
    return h.finances.get()


@factory(CategoryDecision)
def make_category_decision(tree, town):
    return make_year_finance(tree, town).household.decisions.get()


@factory(RiskGrade)
def make_risk_grade(tree, town):
    from gongjia.assistance.risk import grade_member

    return grade_member(make_household(tree, town).members.get())


@factory(EmployerSignal)
def make_employer_signal(tree, town):
    import datetime as dt

    from gongjia.orgs.testing import make_enterprise

    return EmployerSignal.objects.create(
        enterprise=make_enterprise(tree, town), kind="monitored", since=dt.date(2026, 1, 1)
    )
