"""Demo craftsman titles, reproducing seed programme 9 from records: two rounds of 萧山工匠 (2019
and 2020, the second held in 2020), each with its nominations checked against the scheme (some
found not eligible), scored by a panel of five (each item's highest and lowest score dropped),
ranked with the quota of 10 titles and 5 nomination awards, noticed for five working days (an
objection in the second, looked into and dismissed) and conferred on the eve of the 9·26
craftsman day; each holder's ¥10,000 award prepared by one officer, approved and paid by
another, sent to the bank, and their recuperation entitlement recorded. The 百千万 plan counts a
title held among its craftsman-type talents."""

import datetime as dt
import random

from django.db import transaction

from gongjia.accounts.models import User
from gongjia.craftsmen import actions
from gongjia.craftsmen.models import Nomination, Round, Title
from gongjia.members.selectors import active_members
from gongjia.orgs.models import OrgUnit
from gongjia.platform.demo import step
from gongjia.platform.scope import SYSTEM
from gongjia.skills import selectors as skills
from gongjia.training.models import PlanTier

ROUNDS = [  # (round, nominations from, until, published, conferred, awards paid)
    (1, dt.date(2019, 5, 6), dt.date(2019, 6, 28), dt.date(2019, 9, 2), dt.date(2019, 9, 25)),
    (2, dt.date(2020, 5, 8), dt.date(2020, 6, 30), dt.date(2020, 9, 1), dt.date(2020, 9, 25)),
]
NOMINEES = 17  # of whom two are found not eligible: 15 ranked for 10 titles and 5 awards
# The panel: people whose scope is the district, so each reads every nomination they score.
PANEL = ["district", "judge", "judge2", "judge3", "helpdesk"]
SKILLS = ["数控车工", "焊工", "电工", "钳工", "工业机器人系统操作员", "民航维修", "化学检验员"]


def _candidates(on: dt.date, n: int, taken: set) -> list:
    """District champions first (their placing meets a qualifying condition), then active
    members of working age."""
    rows = skills.placed([skills.CompetitionLevel.DISTRICT], 1, dt.date(2015, 1, 1), on)
    champions = list(dict.fromkeys(rows.values_list("member_id", flat=True)))
    people = {m.pk: m for m in active_members(4_000)}
    ordered = [people[pk] for pk in champions if pk in people] + list(people.values())
    chosen = []
    for m in ordered:
        age = on.year - m.birth_date.year
        if m.pk in taken or not 30 <= age <= 55 or m in chosen:
            continue
        chosen.append(m)
        if len(chosen) == n:
            break
    taken.update(m.pk for m in chosen)
    return chosen


def _round(district, number, opens, closes, published, conferred, panel, rng, taken):
    r = actions.save_round(
        None,
        acting_user=SYSTEM,
        organiser=district,
        number=number,
        name=f"第{'一二三四五'[number - 1]}届“萧山工匠”认定",
        year=opens.year,
        nominations_from=opens,
        nominations_until=closes,
    )
    for user in panel:
        actions.add_to_panel(r, user, acting_user=SYSTEM)
    actions.round_step(r, "open", acting_user=SYSTEM, on=opens)
    people = _candidates(closes, NOMINEES, taken)
    nominations = []
    for k, m in enumerate(people):
        # Two found not eligible: one too few years in the skill, one not on the front line.
        years = 6 if k == NOMINEES - 2 else 12 + k % 9
        n = actions.nominate(
            r,
            m.pk,
            unit=m.union,
            acting_user=SYSTEM,
            submitted_on=opens + dt.timedelta(days=7 + k),
            skill=SKILLS[k % len(SKILLS)],
            skill_since=dt.date(closes.year - years, 3, 1),
            frontline=k != NOMINEES - 1,
            claimed=["unique_skill"] if k % 3 == 0 else ["innovation", "mentoring"],
            evidence=(
                f"扎根一线{years}年，带徒{3 + k % 6}名，牵头完成技术革新项目{1 + k % 4}项，"
                "获企业技术能手称号。"
            ),
        )
        nominations.append(n)
    checked = closes + dt.timedelta(days=10)
    for n in nominations:
        if n.eligibility and all(f["met"] for f in n.eligibility):
            actions.nomination_step(n, "accept", acting_user=SYSTEM, on=checked)
        else:
            actions.nomination_step(
                n, "refuse", acting_user=SYSTEM, on=checked, note="经资格审核，不符合认定条件。"
            )
    actions.round_step(r, "review", acting_user=SYSTEM, on=checked)
    eligible = list(r.nominations.filter(status=Nomination.Status.ELIGIBLE).order_by("pk"))
    for k, n in enumerate(eligible):
        base = 92 - 2 * k  # distinct standings, so the quota never cuts through a tie
        for judge in panel:
            spread = [rng.choice((-1, 0, 1)) for _ in r.rubric]
            points = {
                i["key"]: max(0, min(i["max"], round(i["max"] * base / 100) + d))
                for i, d in zip(r.rubric, spread, strict=True)
            }
            actions.score(n, points, acting_user=judge)
    actions.round_step(r, "publish", acting_user=panel[0], on=published)
    r.refresh_from_db()
    if number == 2:
        proposed = r.nominations.filter(status=Nomination.Status.SELECTED).order_by("rank")[3]
        o = actions.record_objection(
            proposed,
            name="王建国",
            phone="13905710000",
            received_on=published + dt.timedelta(days=2),
            content="反映该同志获奖项目系团队成果。",
            acting_user=panel[0],
        )
        actions.decide_objection(
            o,
            upheld=False,
            finding="经核实，该同志为项目第一完成人，团队成员出具证明，异议不成立。",
            acting_user=panel[0],
            on=published + dt.timedelta(days=4),
        )
    actions.round_step(r, "confer", acting_user=panel[0], on=conferred)
    return r


@step(94)
@transaction.atomic
def craftsmen(scale: str = "small", out=print):
    if Round.objects.exists():
        out("craftsmen: demo records already present")
        return
    rng = random.Random(926)
    district = OrgUnit.objects.get(depth=1)
    panel = [User.objects.get(username=u) for u in PANEL]
    preparer, approver = User.objects.get(username="helpdesk"), panel[0]
    taken: set = set()
    paid = 0
    for number, opens, closes, published, conferred in ROUNDS:
        r = _round(district, number, opens, closes, published, conferred, panel, rng, taken)
        titles = Title.objects.filter(round=r, kind=Title.Kind.TITLE).order_by("number")
        for k, t in enumerate(titles):
            a = actions.prepare_award(
                t,
                bank_name="浙江萧山农村商业银行",
                bank_account=f"62010200{r.year}{number:02d}{k:05d}",
                acting_user=preparer,
            )
            actions.award_step(a, "approve", acting_user=approver, on=conferred)
            paid += 1
        actions.make_batch(acting_user=approver, unit=district)
    # The plan's craftsman-type talents count a title held (beside levels and placings).
    for tier in PlanTier.objects.filter(key=PlanTier.Key.CRAFTSMAN_TALENT):
        if not any(c.get("kind") == "title" for c in tier.criteria):
            tier.criteria = [*tier.criteria, {"kind": "title"}]
            tier.save(update_fields=["criteria"])
    out(
        f"craftsmen: {len(ROUNDS)} rounds of 萧山工匠, "
        f"{Title.objects.filter(kind=Title.Kind.TITLE).count()} titles and "
        f"{Title.objects.filter(kind=Title.Kind.NOMINATION).count()} nomination awards, "
        f"{paid} awards paid"
    )
