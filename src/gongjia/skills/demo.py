"""Demo skill competitions, reproducing seed programme 8 from records over 2016–2020: 51
district competitions across 29 trades, 590 competitions run by towns, streets and
enterprises and reported with their participants (checked by the town federations), and
1,120,000 participations in all. Three district competitions of 2020 are marked through the
actions from start to end (schemes, three-judge panels, measurement and judgement, signatures,
rechecks, publication by the jury, awards, promotions); the others carry results imported."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from gongjia.accounts import actions as accounts
from gongjia.accounts.demo import DEMO_PASSWORD
from gongjia.accounts.models import User
from gongjia.members.selectors import active_members
from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters
from gongjia.platform.demo import step
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.models import (
    Aspect,
    Competition,
    Criterion,
    Entrant,
    Entry,
    Event,
    Judge,
    Recheck,
    Scheme,
    Section,
    SubCriterion,
    Trade,
)

TRADES = [
    ("民航飞机维修", "6-23-01-00"),
    ("机械设计与增材制造", "2-02-07-10"),
    ("可编程控制系统（PLC）应用", "6-31-01-09"),
    ("工业机器人系统操作", "6-30-99-00"),
    ("焊工", "6-18-02-04"),
    ("电工", "6-31-01-03"),
    ("数控车工", "6-18-01-01"),
    ("钳工", "6-20-01-01"),
    ("汽车维修工", "4-12-01-01"),
    ("化工总控工", "6-11-01-03"),
    ("电梯安装维修工", "6-29-03-03"),
    ("茶艺师", "4-03-02-07"),
    ("中式烹调师", "4-03-02-01"),
    ("育婴员", "4-10-01-02"),
    ("美发师", "4-10-03-01"),
    ("快递员", "4-02-07-02"),
    ("网约配送员", "4-02-07-10"),
    ("砌筑工", "6-29-01-01"),
    ("钢筋工", "6-29-01-04"),
    ("架子工", "6-29-01-05"),
    ("混凝土工", "6-29-01-03"),
    ("起重装卸机械操作工", "6-30-05-01"),
    ("叉车司机", "6-30-05-02"),
    ("电子商务师", "4-01-06-01"),
    ("网络与信息安全管理员", "4-04-04-02"),
    ("农产品食品检验员", "6-31-03-03"),
    ("印染工", "6-04-05-00"),
    ("服装制版师", "6-05-01-01"),
    ("建筑信息模型技术员", "4-04-05-04"),
]
DISTRICT_BY_YEAR = {2016: 10, 2017: 10, 2018: 10, 2019: 10, 2020: 11}  # 51
LOCAL_BY_YEAR = {2016: 100, 2017: 110, 2018: 120, 2019: 125, 2020: 135}  # 590
PARTICIPATIONS = 1_120_000
IMPORTED_ENTRANTS = 24  # per event of a district competition with results imported
MARKED = 3  # district competitions of 2020 marked on the platform
MARKED_ENTRANTS = 10


def _judges(district, out) -> list[Judge]:
    """The demo judge and two colleagues, one of them the chief referee."""
    judges, lines = [], []
    for username, name in [("judge", "竞赛裁判"), ("judge2", "钱裁判"), ("judge3", "孙裁判")]:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, secret = accounts.create_user(
                username,
                acting_user=SYSTEM,
                password=DEMO_PASSWORD,
                full_name=name,
                role="judge",
                unit=district,
                must_change_password=False,
            )
            lines.append((username, secret))
        judges.append(Judge.objects.create(user=user, name=user.full_name or name, unit=district))
    for username, secret in lines:
        out(f"  {username:<11} {'judge':<15} {district.name}  TOTP secret {secret}")
    return judges


def _scheme(event: Event) -> Scheme:
    """Two standard sections (60 + 40) and six aspects: three judged, three measured."""
    scheme = Scheme.objects.create(event=event)
    work = Section.objects.create(scheme=scheme, number="1", title="工作组织与安全", weight=60)
    piece = Section.objects.create(scheme=scheme, number="2", title="工件质量", weight=40)
    crit = Criterion.objects.create(scheme=scheme, letter="A", title="实操模块")
    sub = SubCriterion.objects.create(criterion=crit, code="A1", title="第一天", marking_day=1)
    spec = [
        (work, "J", "", {}, "20", "工作区域整洁、工具摆放规范"),
        (work, "J", "", {}, "20", "操作规范与安全防护"),
        (work, "J", "", {}, "20", "工艺方案合理"),
        (piece, "M", "pass_fail", {}, "10", "关键尺寸在公差内"),
        (piece, "M", "completed", {"n": 5}, "15", "完成工序数"),
        (
            piece,
            "M",
            "choice",
            {
                "choices": [
                    {"label": "无缺陷", "deduction": 0},
                    {"label": "轻微缺陷", "deduction": 33.3},
                    {"label": "明显缺陷", "deduction": 66.6},
                    {"label": "不合格", "deduction": 100},
                ]
            },  # noqa: E501
            "15",
            "表面质量",
        ),
    ]
    for order, (section, kind, calc, params, top, text) in enumerate(spec, start=1):
        Aspect.objects.create(
            sub=sub,
            section=section,
            order=order,
            kind=kind,
            calculation=calc,
            params=params,
            description=text,
            max_mark=Decimal(top),
        )
    return scheme


def _mark_on_the_platform(competition: Competition, judges, members, jury, rng) -> None:
    """A competition walked through every step, as its officers and judges would."""
    event = competition.events.get()
    actions.scheme_step(_scheme(event), "approve", acting_user=SYSTEM)
    for i, judge in enumerate(judges):
        actions.seat_judge(event, judge, acting_user=SYSTEM, chief=i == 0)
    competition.jury.add(jury)
    actions.step(competition, "open", acting_user=SYSTEM)
    entries = []
    for m in members:
        entry = actions.register_entry(
            event, [m.pk], acting_user=SYSTEM, theory=Decimal(rng.randint(60, 98))
        )
        Entry.objects.filter(pk=entry.pk).update(practical_seconds=rng.randint(5400, 7200))
        entries.append(entry)
    actions.step(competition, "start_marking", acting_user=SYSTEM)
    aspects = list(Aspect.objects.filter(sub__criterion__scheme__event=event).order_by("order"))
    for entry in entries:
        base = rng.randint(1, 2)
        for a in aspects:
            if a.kind == Aspect.Kind.JUDGEMENT:
                for judge in judges:
                    score = min(3, base + rng.randint(0, 1))
                    actions.enter_score(entry, a, score, acting_user=judge.user)
            elif a.calculation == Aspect.Calculation.PASS_FAIL:
                actions.enter_score(entry, a, rng.random() < 0.8, acting_user=judges[0].user)
            elif a.calculation == Aspect.Calculation.COMPLETED:
                actions.enter_score(entry, a, rng.randint(3, 5), acting_user=judges[0].user)
            else:
                actions.enter_score(entry, a, rng.randint(0, 2), acting_user=judges[0].user)
        for judge in judges:
            actions.sign(entry, acting_user=judge.user)
    actions.step(competition, "close_marking", acting_user=SYSTEM)
    tied = {}
    for e in Entry.objects.filter(event=event, tied=True).order_by("rank", "number"):
        tied.setdefault(e.rank, []).append(e)
    for group in tied.values():
        actions.decide_tie(group, acting_user=jury)
    recheck = actions.draw_recheck(event, acting_user=SYSTEM)
    actions.record_recheck(recheck, checked=recheck.entries.count(), wrong=0, acting_user=SYSTEM)
    actions.confirm_recheck(Recheck.objects.get(pk=recheck.pk), acting_user=judges[0].user)
    actions.step(competition, "publish", acting_user=jury, on=competition.ends_on)
    later = competition.ends_on + dt.timedelta(days=30)
    actions.step(competition, "freeze", acting_user=SYSTEM, on=later)
    actions.promote(event, acting_user=SYSTEM, on=later)


def _imported(competition, event, members, rng) -> None:
    """Results kept elsewhere and brought in: entries with their ranks and awards."""
    numbers = counters.allocate(f"skills.entry.{event.pk}", len(members))
    rows = []
    for rank, (m, n) in enumerate(zip(members, numbers, strict=True), start=1):
        total = Decimal(str(round(95 - rank * 1.1 - rng.random(), 2)))
        award = {1: "first", 2: "second", 3: "third"}.get(rank, "merit" if rank <= 12 else "")
        rows.append(
            Entry(
                event=event,
                number=n,
                enterprise_id=m.employer_id,
                union=m.union,
                total=total,
                practical=total,
                rank=rank,
                award=award,
            )
        )
    made = Entry.objects.bulk_create(rows)
    Entrant.objects.bulk_create(
        [Entrant(entry=e, member=m, event=event) for e, m in zip(made, members, strict=True)]
    )


@step(92)
@transaction.atomic
def skill_competitions(scale: str = "small", out=print):
    if Competition.objects.exists():
        out("skills: demo records already present")
        return
    rng = random.Random(8)
    district = OrgUnit.objects.get(depth=1)
    towns = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code"))
    enterprises_unions = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS_UNION)
        .exclude(code__contains="-X")
        .order_by("path")[:200]
    )
    trades = Trade.objects.bulk_create(
        [Trade(name=name, occupation_code=code) for name, code in TRADES]
    )
    judges = _judges(district, out)
    jury = User.objects.get(username="district")
    pool = active_members(
        sum(DISTRICT_BY_YEAR.values()) * 2 * IMPORTED_ENTRANTS + MARKED * MARKED_ENTRANTS
    )
    taken = 0
    trade_turn = 0
    district_entrants = 0
    for year, count in DISTRICT_BY_YEAR.items():
        for k in range(count):
            starts = dt.date(year, 4 + k % 8, 10 + k % 15)
            events_here = 1 if (year == 2020 and k < MARKED) else 1 + (k % 2)
            c = Competition.objects.create(
                name=f"{year}年萧山区职工职业技能竞赛（第{k + 1}场）",
                level=Competition.Level.DISTRICT,
                organiser=district,
                year=year,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=1),
                venue="萧山区职工技能实训基地",
            )
            events = []
            for _ in range(events_here):
                trade = trades[trade_turn % len(trades)]
                trade_turn += 1
                events.append(Event.objects.create(competition=c, trade=trade))
            if year == 2020 and k < MARKED:
                members = pool[taken : taken + MARKED_ENTRANTS]
                taken += MARKED_ENTRANTS
                _mark_on_the_platform(c, judges, members, jury, rng)
                district_entrants += len(members)
                continue
            for event in events:
                members = pool[taken : taken + IMPORTED_ENTRANTS]
                taken += IMPORTED_ENTRANTS
                _imported(c, event, members, rng)
                district_entrants += len(members)
            Competition.objects.filter(pk=c.pk).update(
                status=Competition.Status.FROZEN, published_on=c.ends_on
            )
    # The competitions towns, streets and enterprises ran under the district's guidance,
    # reported with their events' participants and checked by the town federations.
    local_total = sum(LOCAL_BY_YEAR.values())
    reported = PARTICIPATIONS - district_entrants
    base, extra = divmod(reported, local_total)
    local = []
    for year, count in LOCAL_BY_YEAR.items():
        for k in range(count):
            by_enterprise = k % 3 == 0 and enterprises_unions
            organiser = rng.choice(enterprises_unions) if by_enterprise else towns[k % len(towns)]
            starts = dt.date(year, 3 + k % 9, 1 + k % 27)
            local.append(
                Competition(
                    name=f"{year}年{organiser.name}职工技术比武",
                    level=Competition.Level.ENTERPRISE if by_enterprise else Competition.Level.TOWN,
                    organiser=organiser,
                    year=year,
                    starts_on=starts,
                    ends_on=starts,
                    status=Competition.Status.CHECKED,
                    reported=True,
                )
            )
    local = Competition.objects.bulk_create(local, batch_size=500)
    Event.objects.bulk_create(
        [
            Event(
                competition=c,
                trade=trades[i % len(trades)],
                participants_reported=base + (1 if i < extra else 0),
            )
            for i, c in enumerate(local)
        ],
        batch_size=500,
    )
    # Two reports of the next spring wait for their evidence and the town federation's check
    # (they count once checked, so the seed's figures stand).
    for organiser, participants in ((towns[0], 46), (towns[1], 28)):
        report = actions.report_competition(
            name=f"2021年{organiser.name}春季职工技能比武",
            level=Competition.Level.TOWN,
            organiser=organiser,
            starts_on=dt.date(2021, 4, 16),
            ends_on=dt.date(2021, 4, 17),
            acting_user=SYSTEM,
        )
        actions.report_event(report, trades[0], participants, acting_user=SYSTEM)
    out(
        f"skills: {sum(DISTRICT_BY_YEAR.values())} district competitions over {len(trades)}"
        f" trades ({MARKED} marked on the platform), {local_total} local competitions,"
        f" {PARTICIPATIONS:,} participations"
    )
