"""Demo hardship assistance, reproducing seed programme 2 from records: 116 households in the
archive at the end of 2020 whose 152 employed members are registered and graded by unemployment
risk. Since then a few have left the archive (with their follow-ups) and a few were archived;
unemployment relief is paid from the ledger this year, with one-to-one pairings and their visits,
help on record, reviews, and a few households still in the procedure.

Every record goes through the actions officers use (the filing procedure with its consent, the
category computed from the finances, approvals by a second officer), so the indicators are
computed, never typed in."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gongjia.accounts.models import User
from gongjia.assistance import actions, relief
from gongjia.assistance.models import EmployerSignal, Household, HouseholdMember
from gongjia.assistance.risk import regrade_all
from gongjia.orgs.demo import person_name
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform import validators
from gongjia.platform.demo import step

ARCHIVED = 116  # in the archive at the end of 2020, all archived in 2020 (the seed's survey)
TWO_EARNERS = 36  # households where two members work: 36 × 2 + 80 × 1 = 152 employed members
JOBLESS_HEADS = 24  # of the one-earner households, the worker applying lost their job
EXITED = 6  # of the 116, out of hardship in the past year
LATER = 6  # archived one a year or so since 2021: 116 in the archive today as in 2020
IN_PROCEDURE = 4
CAUSES = ["illness", "disability", "schooling", "unemployment", "accident", "low_income"]
# (income, rigid expenditure, accident cost) in fen, for the year before filing, three people
FINANCES = {
    "deep": (3_000_000, 200_000, 0),
    "relative": (5_500_000, 300_000, 0),
    "accident": (9_000_000, 0, 5_000_000),
}


def _id(i: int, birth: dt.date) -> str:
    body = f"330109{birth:%Y%m%d}{i % 1000:03d}"  # the sequence alone keeps them apart
    return body + validators.id_check_char(body)


def _birth(rng, low: int, high: int) -> dt.date:
    return dt.date(rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))


def _members(rng, i, *, earners, head_jobless, employers, today):
    head_birth = _birth(rng, 1968, 1990)
    head_id = _id(3 * i, head_birth)
    head = {
        "name": person_name(rng, head_id),
        "relationship": "self",
        "id_number": head_id,
        "work": "unemployed" if head_jobless else "employed",
    }
    spouse_works = earners == 2 or head_jobless
    spouse_id = _id(3 * i + 1, _birth(rng, 1968, 1990))
    spouse = {
        "name": person_name(rng, spouse_id),
        "relationship": "spouse",
        "id_number": spouse_id,
        "work": "employed" if spouse_works else rng.choice(["unable", "flexible", "retired"]),
    }
    child_birth = _birth(rng, 2008, 2019)
    child_id = _id(3 * i + 2, child_birth)
    child = {
        "name": person_name(rng, child_id),
        "relationship": "child",
        "id_number": child_id,
        "work": "student",
        "schooling": "小学" if child_birth.year >= 2014 else "中学",
    }
    for m in (head, spouse):
        if m["work"] == "employed":
            m["employer"] = rng.choice(employers)
            m["employer_name"] = m["employer"].name
            if rng.random() < 0.2:  # contract ending within the next 90 days
                m["contract_ends_on"] = today + dt.timedelta(days=rng.randint(5, 85))
    return [head, spouse, child]


def _file(h, officer, colleague, category, on):
    """The whole procedure: finances, the signed authorisation, the steps, the archive; the
    confirmation and the archive are the colleague's (two people, as the workflow requires)."""
    income, rigid, accident = FINANCES[category]
    actions.record_finances(
        h,
        acting_user=officer,
        # the year before filing; the minimum living standard is on record from 2020 only
        year=max(on.year - 1, 2020),
        income_fen=income,
        rigid_fen=rigid,
        members_living=3,
        accident_event="",
        accident_cost_fen=accident,
    )
    actions.record_authorisation(h, acting_user=officer)
    for name in ("check", "visit"):
        actions.household_step(h, name, acting_user=officer, on=on)
    actions.household_step(h, "confirm", acting_user=colleague, on=on)
    for name in ("economic_ok", "start_notice"):
        actions.household_step(h, name, acting_user=officer, on=on)
    actions.household_step(
        h, "archive", acting_user=colleague, on=h.notice_until + dt.timedelta(days=1)
    )


@step(95)
@transaction.atomic
def assistance(scale: str = "small", out=print):
    if Household.objects.exists():
        return
    rng = random.Random(20202)
    today = timezone.localdate()
    preparer = User.objects.get(username="helpdesk")
    approver = User.objects.get(username="district")
    helpers = list(User.objects.filter(username__in=["helpdesk", "chengxiang", "beigan", "union"]))
    helper_unit = {u.pk: u.roles.filter(active=True).first().unit for u in helpers}
    towns = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code"))
    plan = (
        [("archived", 2)] * TWO_EARNERS
        + [("archived", 1, "jobless")] * JOBLESS_HEADS
        + [("archived", 1)] * (ARCHIVED - TWO_EARNERS - JOBLESS_HEADS - EXITED)
        + [("exited", 1)] * EXITED
        + [("later", 1)] * LATER
        + [("procedure", 1)] * IN_PROCEDURE
    )
    archived, employers_used, jobless = [], [], []
    for i, (fate, earners, *flags) in enumerate(plan):
        town = towns[i % len(towns)]
        unit = (
            OrgUnit.objects.filter(path__startswith=town.path, kind="grassroots_union")
            .order_by("code")[i % 5 : i % 5 + 1]
            .first()
            or town
        )
        employers = list(Enterprise.objects.filter(federation=town).order_by("pk")[:6]) or list(
            Enterprise.objects.order_by("pk")[:6]
        )
        members = _members(
            rng, i, earners=earners, head_jobless=bool(flags), employers=employers, today=today
        )
        h = actions.open_household(
            acting_user=preparer,
            unit=unit,
            head_name=members[0]["name"],
            address=f"{town.name.removesuffix('总工会')}{rng.randint(1, 200)}号",
            primary_cause="unemployment" if flags else CAUSES[i % len(CAUSES)],
            bank_account=f"62220202{i:011d}",
            members=members,
            consent_method="written",
        )
        if fate == "procedure":
            actions.household_step(h, "check", acting_user=preparer, on=today)
            continue
        category = ("deep", "relative", "deep", "accident")[i % 4]
        # Notices start by November, so every 2020 archive is in by the year's end.
        if fate == "later":
            started = dt.date(2021 + i % 5, 1 + i % 11, 1 + i % 27)
        else:
            started = dt.date(2020, 1 + i % 11, 1 + i % 27)
        _file(h, preparer, approver, category, started)
        if fate == "exited":
            on = today - dt.timedelta(days=30 + 60 * (i % 6))
            actions.household_step(
                h, "exit", acting_user=preparer, on=on, values={"exit_reason": "recovered"}
            )
            continue
        archived.append(h)
        if flags:
            jobless.append(h)
        employers_used += [m["employer"] for m in members if m.get("employer")]

    # What is known of employers: a layoff plan, a monitored job-loss list, wage arrears.
    seen = list(dict.fromkeys(employers_used))
    for ent, kind in zip(seen[:3], ["layoff_plan", "monitored", "wage_arrears"], strict=False):
        EmployerSignal.objects.create(
            enterprise=ent, kind=kind, since=today - dt.timedelta(days=40), note="区人社局通报"
        )
    graded = regrade_all(today)

    # Unemployment relief for the households whose worker lost their job.
    paid = 0
    for k, h in enumerate(jobless):
        a = relief.apply(
            h,
            acting_user=preparer,
            policy="unemployment",
            first_period=f"{today.year}-{max(1, today.month - 2):02d}",
            periods=3,
            reason="主要劳动力失业，家庭收入骤降",
            beneficiary=h.members.get(relationship="self"),
        )
        if k < len(jobless) - 4:  # the last few wait for approval
            paid += len(relief.approve(a, acting_user=approver))
    first = jobless[0].payments.order_by("period").first()
    relief.reverse(first, acting_user=approver, reason="银行退回：账号已销户")
    unit = OrgUnit.objects.get(depth=1, code="330109")
    batch = relief.make_batch(acting_user=approver, unit=unit)

    # Help on record, one-to-one pairing with visits, this year's reviews.
    campaign = f"{today.year} 年春节送温暖"
    for k, h in enumerate(archived):
        actions.record_assistance(
            h,
            acting_user=preparer,
            kind="seasonal",
            given_on=dt.date(today.year, 1, 20),
            amount_fen=50_000,
            item="慰问金",
            campaign=campaign,
            fund_source="职工困难帮扶资金",
            signed=True,
        )
        if k % 3 == 0:
            child = h.members.get(relationship="child")
            actions.record_guardian_consent(h, acting_user=preparer, guardian=h.head_name)
            actions.record_assistance(
                h,
                acting_user=preparer,
                kind="education",
                given_on=dt.date(today.year, 9, 1),
                beneficiary=child,
                amount_fen=200_000,
                item="金秋助学金",
                fund_source="职工困难帮扶资金",
                signed=True,
            )
        if h.primary_cause == "illness":
            actions.record_assistance(
                h,
                acting_user=preparer,
                kind="medical",
                given_on=dt.date(today.year, 3, 15),
                amount_fen=300_000,
                item="大病救助",
                fund_source="职工困难帮扶资金",
                note="住院自付费用",
            )
        helper = helpers[k % len(helpers)]
        started = today - dt.timedelta(days=45 + k % 30)
        p = actions.pair(
            h, acting_user=preparer, helper=helper, helper_unit=helper_unit[helper.pk], on=started
        )
        if k % 20 != 7:  # a few helpers have not been since: overdue
            actions.log_visit(
                p,
                acting_user=helper,
                visited_on=today - dt.timedelta(days=k % 25),
                kind="home" if k % 2 else "phone",
                notes="了解家庭近况和就业需求",
            )
    reviews = actions.open_annual_reviews(today.year)
    out(
        f"hardship assistance: {len(archived)} archived households, "
        f"{HouseholdMember.objects.filter(household__status='archived', work='employed').count()}"
        f" employed members graded ({graded}), {paid} relief payments (batch {batch.number}), "
        f"{len(archived)} pairings, {reviews} annual reviews"
    )
