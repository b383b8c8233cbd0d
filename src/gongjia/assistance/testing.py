import itertools

from gongjia.assistance import actions
from gongjia.assistance.models import (
    ArchivePeriod,
    AssistanceRecord,
    CategoryDecision,
    CheckUp,
    EmployerSignal,
    Household,
    HouseholdMember,
    Pairing,
    PaymentBatch,
    ReliefApplication,
    ReliefPayment,
    RiskGrade,
    Visit,
    YearFinance,
)
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory

_seq = itertools.count(1)


@factory(Household)
def make_household(tree, town):
    n = next(_seq)
    return actions.open_household(
        acting_user=SYSTEM,
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
    actions.record_authorisation(h, acting_user=_officers(town)[0])
    actions.record_finances(
        h, acting_user=SYSTEM, year=2025, income_fen=3_000_000, rigid_fen=0, members_living=3
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


def _person(unit, role):
    from gongjia.accounts import actions as accounts

    return accounts.create_user(
        f"{unit.code}-{role}-{next(_seq)}",
        acting_user=SYSTEM,
        password="Gongjia-test-2026!",
        role=role,
        unit=unit,
        must_change_password=False,
    )[0]


def archive(household, *, acting_user, on, year=None, income_fen=2_400_000, members_living=3):
    """Take a household through the whole filing procedure to the archive, as officers would:
    the base union's officer checks and visits, `acting_user` confirms, checks the economy and
    starts the notice, a colleague archives (the platform itself may take every step)."""
    import datetime as dt

    system = acting_user is SYSTEM
    base = SYSTEM if system else _person(household.unit, "union_officer")
    actions.record_authorisation(household, acting_user=base)
    actions.record_finances(
        household,
        acting_user=acting_user,
        year=year or on.year - 1,
        income_fen=income_fen,
        rigid_fen=0,
        members_living=members_living,
    )
    for step in ("check", "visit"):
        actions.household_step(household, step, acting_user=base, on=on)
    for step in ("confirm", "economic_ok", "start_notice"):
        actions.household_step(household, step, acting_user=acting_user, on=on)
    colleague = (
        SYSTEM
        if system
        else _person(type(household.unit).objects.get_parent(household.unit), "town_officer")
    )
    actions.household_step(
        household, "archive", acting_user=colleague, on=household.notice_until + dt.timedelta(1)
    )
    return household


def _officers(town):
    from gongjia.accounts import actions as accounts

    return [
        accounts.create_user(
            f"{town.code}-relief-{next(_seq)}",
            acting_user=SYSTEM,
            password="Gongjia-test-2026!",
            role="town_officer",
            unit=town,
            must_change_password=False,
        )[0]
        for _i in range(2)
    ]


@factory(ReliefApplication)
def make_relief_application(tree, town, users=None):
    import datetime as dt

    from gongjia.assistance import relief

    preparer, _approver = users or _officers(town)
    h = make_household(tree, town)
    h.members.update(work="unemployed")
    archive(h, acting_user=preparer, on=dt.date(2026, 3, 2))
    return relief.apply(
        h,
        acting_user=preparer,
        policy="unemployment",
        first_period="2026-04",
        periods=2,
        reason="失业，家庭无收入",
        beneficiary=h.members.get(),
    )


@factory(ReliefPayment)
def make_relief_payment(tree, town):
    from gongjia.assistance import relief

    users = _officers(town)
    a = make_relief_application(tree, town, users)
    return relief.approve(a, acting_user=users[1])[0]


@factory(PaymentBatch)
def make_payment_batch(tree, town):
    from gongjia.assistance import relief

    p = make_relief_payment(tree, town)
    return relief.make_batch(acting_user=p.entered_by, unit=town)


def _archived(tree, town):
    import datetime as dt

    h = make_household(tree, town)
    return archive(h, acting_user=_officers(town)[0], on=dt.date(2026, 3, 2))


@factory(ArchivePeriod)
def make_archive_period(tree, town):
    return _archived(tree, town).periods.get()


@factory(AssistanceRecord)
def make_assistance_record(tree, town):
    import datetime as dt

    return actions.record_assistance(
        _archived(tree, town), acting_user=SYSTEM, kind="seasonal", given_on=dt.date(2026, 4, 1)
    )


@factory(Pairing)
def make_pairing(tree, town):
    helper = _officers(town)[0]
    return actions.pair(_archived(tree, town), acting_user=SYSTEM, helper=helper, helper_unit=town)


@factory(Visit)
def make_visit(tree, town):
    return actions.log_visit(make_pairing(tree, town), acting_user=SYSTEM, notes="走访")


@factory(CheckUp)
def make_checkup(tree, town):
    h = _archived(tree, town)
    return CheckUp.objects.create(household=h, kind="review", due_on=h.archived_on)
