"""Demo rights network, reproducing seed programme 1 from records: 77 rights stations and rooms
covering every village and community, 26 lawyers, 81 regional chief maintainers (three per town
or street) and 1,252 union labour-law supervisors; the agencies of "1+X", a duty roster and
legal talks."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gongjia.orgs.demo import person_name
from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform import audit
from gongjia.platform.demo import step
from gongjia.platform.models import AuditEvent
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions
from gongjia.rights.models import Agency, DutyShift, Station, TeamMember

STATIONS = 77
LAWYERS = 26
CHIEFS_PER_TOWN = 3  # 27 towns and streets × 3 = 81
SUPERVISORS = 1_252
FIRMS = ["浙江萧然律师事务所", "浙江湘湖律师事务所", "浙江钱江律师事务所", "浙江瓜沥律师事务所"]
AGENCIES = [
    ("萧山区总工会", Agency.Kind.UNION),
    ("萧山区劳动人事争议仲裁委员会", Agency.Kind.ARBITRATION),
    ("萧山区人民法院", Agency.Kind.COURT),
    ("萧山区人民检察院", Agency.Kind.PROCURATORATE),
    ("萧山区司法局", Agency.Kind.JUSTICE_BUREAU),
    ("萧山区人力资源和社会保障局", Agency.Kind.HRSS),
    ("萧山区劳动争议人民调解委员会", Agency.Kind.PEOPLES_MEDIATION),
    ("浙江萧然律师事务所", Agency.Kind.LAW_FIRM),
]


def _split(items: list, parts: int) -> list[list]:
    base, extra = divmod(len(items), parts)
    out, i = [], 0
    for k in range(parts):
        n = base + (1 if k < extra else 0)
        out.append(items[i : i + n])
        i += n
    return out


@step(30)
@transaction.atomic
def rights_network(scale: str = "small", out=print):
    if Station.objects.exists():
        out("rights: demo records already present")
        return
    rng = random.Random(1)
    district = OrgUnit.objects.get(depth=1)
    towns = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION, region__isnull=False)
        .select_related("region")
        .order_by("code")
    )
    # 77 stations over the towns (two or three each), each town's villages split among them.
    per_town = [len(s) for s in _split(list(range(STATIONS)), len(towns))]
    stations = []
    for town, n in zip(towns, per_town, strict=True):
        villages = list(
            Region.objects.filter(path__startswith=town.region.path, level="village").order_by(
                "code"
            )
        )
        for k, served in enumerate(_split(villages, n), start=1):
            kind = Station.Kind.STATION if k == 1 else Station.Kind.ROOM
            label = "职工维权站" if k == 1 else f"第{k - 1}职工维权室"
            stations.append(
                actions.save_station(
                    None,
                    acting_user=SYSTEM,
                    host=town,
                    name=f"{town.region.name}{label}",
                    kind=kind,
                    address=f"{town.region.name}{rng.randint(1, 300)}号",
                    hours="工作日 8:30-17:00",
                    phone=f"0571-8{rng.randint(1000000, 9999999)}",
                    opened_on=dt.date(2019, 3, 1),
                    serves=served,
                )
            )
    lawyers = []
    for i in range(LAWYERS):
        lawyers.append(
            actions.save_team_member(
                None,
                acting_user=SYSTEM,
                unit=district,
                kind=TeamMember.Kind.LAWYER,
                name=person_name(rng),
                firm=FIRMS[i % len(FIRMS)],
                licence_number=f"133012{2010 + i % 12}1{i:06d}",
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2028, 12, 31),
                stations=stations[i * 3 % STATIONS : i * 3 % STATIONS + 3],
            )
        )
    for town in towns:
        town_stations = [s for s in stations if s.host_id == town.pk]
        for k in range(CHIEFS_PER_TOWN):
            actions.save_team_member(
                None,
                acting_user=SYSTEM,
                unit=town,
                kind=TeamMember.Kind.CHIEF_MAINTAINER,
                name=person_name(rng),
                region=town.region,
                credential_number=f"萧工维{town.region.code[-3:]}{k + 1:02d}",
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2029, 12, 31),
                stations=town_stations,
                areas=[town.region],
            )
    unions = list(OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS).order_by("path"))
    # Supervisors in bulk (one per union round the list); validated like the others.
    supervisors = []
    for i in range(SUPERVISORS):
        m = TeamMember(
            kind=TeamMember.Kind.LAW_SUPERVISOR,
            name=person_name(rng),
            unit=unions[i % len(unions)],
            credential_number=f"萧劳监{i + 1:05d}",
            valid_from=dt.date(2020, 1, 1),
            valid_until=dt.date(2029, 12, 31),
        )
        m.full_clean()
        supervisors.append(m)
    TeamMember.objects.bulk_create(supervisors, batch_size=2000)
    for name, kind in AGENCIES:
        actions.save_agency(
            None,
            acting_user=SYSTEM,
            unit=district,
            name=name,
            kind=kind,
            effective_from=dt.date(2019, 1, 1),
        )
    # Two weeks of duty from the first Monday of 2026 for the lawyers.
    start = dt.date(2026, 1, 5)
    for day in range(10):
        on = start + dt.timedelta(days=day + (day // 5) * 2)
        for lawyer in lawyers[day % 2 :: 2]:
            station = lawyer.stations.first()
            DutyShift.objects.create(station=station, member=lawyer, on=on, period="day")
    for i in range(40):
        town = towns[i % len(towns)]
        actions.record_talk(
            acting_user=SYSTEM,
            unit=town,
            held_on=dt.date(2020 + i % 6, 1 + i % 12, 10),
            venue=f"{town.region.name}职工之家",
            speaker=lawyers[i % LAWYERS].name + "律师",
            topic=("劳动合同法", "工资支付条例", "工伤保险条例", "劳动争议调解仲裁法")[i % 4]
            + "宣讲",
            audience=40 + (i * 7) % 120,
        )
    audit.record(
        AuditEvent.Kind.IMPORT,
        "demo_rights",
        data={"stations": len(stations), "supervisors": SUPERVISORS},
    )
    out(
        f"rights: {len(stations)} stations, {LAWYERS} lawyers, "
        f"{len(towns) * CHIEFS_PER_TOWN} chief maintainers, {SUPERVISORS} supervisors"
    )


# Paths through the case state machine: every state is the end of one of them.
# (step, days after the previous step, values; ON stands for the day of the step)
ON = object()
TRADES = ("精密机械", "纺织", "物流", "电子科技")
_MEDIATE = [("mediate", 1, None)]
_AGREE = [*_MEDIATE, ("agree", 9, {"agreement_effective_on": ON})]
_ARB = [("refer_arbitration", 2, None), ("accept_arbitration", 3, None)]
_AWARD = [*_ARB, ("award", 40, {"award_received_on": ON})]
_LIT = [("refer_arbitration", 2, None), ("arbitration_refused", 5, None)]
PATHS = {
    "received": [],
    "rejected": [("reject", 1, None)],
    "negotiating": [("negotiate", 1, None)],
    "settled": [("negotiate", 1, None), ("settle", 4, None)],
    "mediating": _MEDIATE,
    "agreed": _AGREE,
    "mediation_failed": [*_MEDIATE, ("fail_mediation", 14, None)],
    "confirming": [*_AGREE, ("apply_confirmation", 5, None)],
    "performed": [*_AGREE, ("perform", 12, None)],
    "payment_order": [*_AGREE, ("payment_order", 20, None)],
    "referred_arbitration": [("refer_arbitration", 2, None)],
    "arb_accepted": _ARB,
    "arb_mediated": [*_ARB, ("arbitration_mediated", 20, None)],
    "arb_award": _AWARD,
    "final": [*_AWARD, ("award_in_effect", 20, None)],
    "litigation": _LIT,
    "court_entrusted": [*_LIT, ("entrust", 10, None)],
    "withdrawn": [("negotiate", 1, None), ("withdraw", 3, {"after_settlement": True})],
    "closed": [
        *_AWARD,
        ("award_in_effect", 20, None),
        ("close", 30, {"closure": "award_won", "fully_performed": True}),
    ],
}
CLAIMS = [
    [{"kind": "wages", "amount": "18600"}],
    [{"kind": "wages", "amount": "9200"}, {"kind": "compensation", "amount": "24000"}],
    [{"kind": "injury_medical", "amount": "36000"}],
    [{"kind": "social_insurance", "amount": None}, {"kind": "wages", "amount": "6400"}],
]


@step(32)
@transaction.atomic
def dispute_cases(scale: str = "small", out=print):
    """Cases in every state, received from 2024 on, at the stations of the towns."""
    from gongjia.orgs.demo import demo_id_number
    from gongjia.rights.models import DisputeCase

    if DisputeCase.objects.exists():
        out("rights cases: demo records already present")
        return
    rng = random.Random(32)
    stations = list(Station.objects.select_related("host").order_by("pk"))
    handlers = list(TeamMember.objects.filter(kind=TeamMember.Kind.LAWYER).order_by("pk"))
    n = 0
    for round_ in range(3):
        for target, path in PATHS.items():
            station = stations[n % len(stations)]
            received = dt.date(2024 + round_, 1, 8) + dt.timedelta(days=(n * 11) % 300)
            if target in ("received", "negotiating", "mediating") and round_ < 2:
                # Open cases in their first days look odd years later: keep these recent.
                received = dt.date(2026, 11, 2) + dt.timedelta(days=n % 14)
            workers = 12 if n % 9 == 0 else 1
            case = actions.open_case(
                acting_user=SYSTEM,
                unit=station.host,
                station=station,
                channel=("station", "union", "portal", "court")[n % 4],
                employer_name=f"杭州{TRADES[n % 4]}第{n + 1}有限公司",
                received_on=received,
                summary="拖欠工资及经济补偿" if n % 2 else "加班费与社会保险争议",
                facts={"hired_on": f"{2015 + n % 8}-03-01", "post": "一线操作工"},
                common_claim=workers > 1,
                handler=handlers[n % len(handlers)],
                known_on=received - dt.timedelta(days=20 + n % 60),
                workers=[
                    {"name": person_name(rng, i), "id_number": i}
                    for i in (demo_id_number(900_000 + n * 20 + k) for k in range(workers))
                ],
                claims=CLAIMS[n % len(CLAIMS)],
            )
            on = received
            for name, days, values in path:
                on = on + dt.timedelta(days=days)
                values = {k: (on if v is ON else v) for k, v in (values or {}).items()}
                note = _NOTED.get(name, "")
                actions.case_step(case, name, acting_user=SYSTEM, on=on, note=note, values=values)
            n += 1
    out(f"rights cases: {n} cases in {len(PATHS)} states")


_NOTED = {
    "reject": "不属于劳动争议，已引导至市场监管部门",
    "fail_mediation": "企业拒绝调解方案",
    "apply_confirmation": "双方共同申请司法确认",
    "arbitration_refused": "仲裁委不予受理",
    "withdraw": "双方和解后撤回",
}


@step(34)
@transaction.atomic
def negotiations(scale: str = "small", out=print):
    """A few collective negotiations: an industry wage negotiation held online (14 worker
    representatives voting by phone, 22 clauses, in force), an enterprise contract in force,
    one at the table, one under review."""
    from gongjia.orgs.demo import demo_id_number
    from gongjia.orgs.models import Enterprise
    from gongjia.rights.models import Clause, Negotiation

    if Negotiation.objects.exists():
        out("rights negotiations: demo records already present")
        return
    rng = random.Random(34)
    town = OrgUnit.objects.get(code="330109001")
    # The town's enterprises first, then others of the district to make up twelve.
    ents = list(Enterprise.objects.filter(federation=town).order_by("pk")[:12])
    ents += list(Enterprise.objects.exclude(federation=town).order_by("pk")[: 12 - len(ents)])
    seq = iter(range(950_000, 960_000))

    def seat_all(n, per_side, voters=()):
        voters = list(voters)
        for side in ("workers", "employer"):
            for k in range(per_side):
                actions.seat(
                    n,
                    acting_user=SYSTEM,
                    side=side,
                    name=person_name(rng),
                    id_number=demo_id_number(next(seq)),
                    chief=k == 0,
                    appointed_on=dt.date(2026, 3, 2),
                    user=voters.pop(0) if side == "workers" and voters else None,
                )

    def walk(n, steps):
        for name, on, values in steps:
            actions.negotiation_step(
                n, name, acting_user=SYSTEM, on=on, values=values or {}, note="记录"
            )

    start = dt.date(2026, 3, 2)
    online = actions.open_negotiation(
        acting_user=SYSTEM,
        unit=town,
        title="城厢街道机械行业 2026 年度工资集体协商",
        level="industry",
        kind="wage",
        online=True,
        offer_text="依据《工资集体协商试行办法》，提出 2026 年度行业工资集体协商要约。",
        offer_delivered_on=start,
        covered=ents[:8],
    )
    seat_all(online, 14)
    walk(
        online,
        [
            ("send_offer", start, None),
            ("accept_offer", start + dt.timedelta(days=10), None),
            ("appoint", start + dt.timedelta(days=12), None),
            ("prepare", start + dt.timedelta(days=13), None),
            ("open_talks", start + dt.timedelta(days=20), None),
        ],
    )
    # Each clause: its topic, the workers' proposal and the employer's counter-proposal.
    topics = [
        (
            "最低工资",
            "企业最低工资标准不低于每月 2800 元（税前）。",
            "企业最低工资标准为每月 2700 元（税前），次年起随本市最低工资标准同步调整。",
        ),
        (
            "工资支付日",
            "每月 10 日前以货币形式足额支付上月工资。",
            "每月 15 日前支付上月工资，遇节假日提前支付。",
        ),
        (
            "软件工程师工资下限",
            "软件工程师月工资不低于 8000 元。",
            "软件工程师月工资不低于 7500 元，试用期不低于其 80%。",
        ),
        (
            "加班工资基数",
            "加班工资以劳动合同约定的月工资为计算基数。",
            "加班工资以上年度本人月平均工资为计算基数，且不低于本市最低工资标准。",
        ),
        ("夜班津贴", "夜班津贴每班 40 元。", "夜班津贴每班 30 元，连续夜班满 5 天另加 50 元。"),
        (
            "高温津贴",
            "6 月至 9 月发放高温津贴每月 300 元。",
            "按省定标准于 6 月至 9 月发放高温津贴。",
        ),
    ]
    for k in range(22):
        clause = Clause.objects.create(
            negotiation=online,
            number=k + 1,
            title=topics[k % len(topics)][0] + ("" if k < 6 else f"（{k + 1}）"),
        )
        _topic, workers_text, employer_text = topics[k % len(topics)]
        actions.propose(clause, acting_user=SYSTEM, side="workers", text=workers_text)
        actions.propose(clause, acting_user=SYSTEM, side="employer", text=employer_text)
    ballot = actions.open_ballot(
        online, acting_user=SYSTEM, question="最低工资（税前）方案", options=["2800 元", "2700 元"]
    )
    voters = list(online.representatives.filter(side="workers"))
    for i, rep in enumerate(voters):
        from gongjia.rights.models import Vote

        Vote.objects.create(
            ballot=ballot,
            representative=rep,
            choice="2800 元" if i % 5 else "2700 元",
            cast_at=timezone.now(),
        )
    actions.close_ballot(ballot, acting_user=SYSTEM)
    walk(
        online,
        [
            ("sign_draft", dt.date(2026, 4, 20), None),
            ("to_congress", dt.date(2026, 4, 21), None),
            (
                "congress_approved",
                dt.date(2026, 4, 28),
                {
                    "congress_total": 120,
                    "congress_present": 104,
                    "congress_yes": 98,
                    "signed_on": dt.date(2026, 4, 28),
                },
            ),
            ("submit", dt.date(2026, 4, 30), {"submitted_on": dt.date(2026, 4, 30)}),
            (
                "under_review",
                dt.date(2026, 5, 6),
                {"received_by_labour_dept_on": dt.date(2026, 5, 6)},
            ),
            ("take_effect", dt.date(2026, 5, 25), {"term_months": 12}),
            ("publish", dt.date(2026, 5, 27), {"published_on": dt.date(2026, 5, 27)}),
            ("in_force", dt.date(2026, 5, 28), None),
        ],
    )
    contract = actions.open_negotiation(
        acting_user=SYSTEM,
        unit=town,
        title=f"{ents[8].name}集体合同",
        level="enterprise",
        kind="contract",
        enterprise=ents[8],
        offer_text="提出签订集体合同的要约。",
        offer_delivered_on=dt.date(2025, 1, 6),
    )
    seat_all(contract, 3)
    walk(
        contract,
        [
            ("send_offer", dt.date(2025, 1, 6), None),
            ("accept_offer", dt.date(2025, 1, 15), None),
            ("appoint", dt.date(2025, 1, 16), None),
            ("prepare", dt.date(2025, 1, 17), None),
            ("open_talks", dt.date(2025, 2, 10), None),
            ("sign_draft", dt.date(2025, 3, 3), None),
            ("to_congress", dt.date(2025, 3, 4), None),
            (
                "congress_approved",
                dt.date(2025, 3, 10),
                {
                    "congress_total": 45,
                    "congress_present": 40,
                    "congress_yes": 37,
                    "signed_on": dt.date(2025, 3, 10),
                },
            ),
            ("submit", dt.date(2025, 3, 14), {"submitted_on": dt.date(2025, 3, 14)}),
            (
                "under_review",
                dt.date(2025, 3, 17),
                {"received_by_labour_dept_on": dt.date(2025, 3, 17)},
            ),
            ("take_effect", dt.date(2025, 4, 2), {"term_months": 24}),
            ("publish", dt.date(2025, 4, 8), {"published_on": dt.date(2025, 4, 8)}),
            ("in_force", dt.date(2025, 4, 9), None),
        ],
    )
    talking = actions.open_negotiation(
        acting_user=SYSTEM,
        unit=town,
        title=f"{ents[9].name} 2026 年工资专项集体协商",
        level="enterprise",
        kind="wage",
        enterprise=ents[9],
        offer_text="提出工资专项集体协商要约。",
        offer_delivered_on=dt.date(2026, 10, 12),
    )
    seat_all(talking, 3)
    walk(
        talking,
        [
            ("send_offer", dt.date(2026, 10, 12), None),
            ("accept_offer", dt.date(2026, 10, 20), None),
            ("appoint", dt.date(2026, 10, 21), None),
            ("prepare", dt.date(2026, 10, 22), None),
            ("open_talks", dt.date(2026, 11, 5), None),
        ],
    )
    offered = actions.open_negotiation(
        acting_user=SYSTEM,
        unit=town,
        title=f"{ents[10].name}集体合同续订",
        level="enterprise",
        kind="contract",
        enterprise=ents[10],
        offer_text="提出续订集体合同的要约。",
        offer_delivered_on=dt.date(2026, 11, 10),
    )
    walk(offered, [("send_offer", dt.date(2026, 11, 10), None)])
    areas = _area_contracts_2019()
    out(f"rights negotiations: 4 (one online, 22 clauses), and {areas} area contracts of 2019")


def _area_contracts_2019() -> int:
    """The towns' area collective contracts of 2019-2021 (区域性集体合同), long expired: the
    history the 2020 figures and the pioneer title's bars read. Entered as the filed records
    they are, not negotiated again step by step."""
    from gongjia.orgs.models import Enterprise
    from gongjia.rights.models import Negotiation

    made = 0
    for k, town in enumerate(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code")
    ):
        covered = list(
            Enterprise.objects.filter(federation=town, union__isnull=False).order_by("pk")
        )
        if not covered:
            continue
        n = Negotiation.objects.create(
            number=f"QY2019{k + 1:04d}",
            title=f"{town.name}区域性集体合同（2019—2021年）",
            unit=town,
            level=Negotiation.Level.AREA,
            kind=Negotiation.Kind.CONTRACT,
            status=Negotiation.Status.EXPIRED,
            workers=sum(e.headcount or 0 for e in covered) or None,
            signed_on=dt.date(2018, 12, 10),
            submitted_on=dt.date(2018, 12, 14),
            received_by_labour_dept_on=dt.date(2018, 12, 17),
            effective_on=dt.date(2019, 1, 1),
            published_on=dt.date(2019, 1, 4),
            term_months=36,
            expires_on=dt.date(2021, 12, 31),
        )
        n.covered.set(covered)
        made += 1
    return made


@step(36)
@transaction.atomic
def harmony(scale: str = "small", out=print):
    """The district's checklist and evaluations: certified (one later revoked), one declined,
    one still being scored."""
    from gongjia.orgs.models import Enterprise
    from gongjia.rights.models import Checklist, ChecklistItem

    if Checklist.objects.exists():
        out("rights harmony: demo records already present")
        return
    district = OrgUnit.objects.get(depth=1)
    checklist = Checklist.objects.create(
        name="萧山区和谐劳动关系企业评价标准（2024 版）",
        unit=district,
        effective_from=dt.date(2024, 1, 1),
        grades=[{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 80}, {"grade": "A", "min": 70}],
        certificate_years=3,
    )
    criteria = [
        ("1", "依法订立劳动合同，签订率 100%", 15),
        ("2", "按时足额支付工资，无拖欠", 20),
        ("3", "依法缴纳社会保险", 15),
        ("4", "工作时间和休息休假符合规定", 10),
        ("5", "建立工会并开展集体协商", 15),
        ("6", "职工代表大会制度健全", 10),
        ("7", "劳动安全卫生条件达标", 10),
        ("8", "三年内无重大劳动争议和群体性事件", 5),
    ]
    items = [
        ChecklistItem.objects.create(checklist=checklist, code=c, text=t, weight=w)
        for c, t, w in criteria
    ]
    towns = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code")[:6])
    made = 0
    for i, town in enumerate(towns):
        ent = Enterprise.objects.filter(federation=town).order_by("pk").first()
        if ent is None:
            continue
        e = actions.open_evaluation(
            acting_user=SYSTEM, unit=town, enterprise=ent, checklist=checklist, round="2025 年度"
        )
        for k, item in enumerate(items):
            actions.score(
                e, acting_user=SYSTEM, item=item, percent=100 - ((i * 7 + k * 3) % (10 + i * 8))
            )
        made += 1
        if i == 5:
            continue  # still being scored
        actions.evaluation_step(e, "submit", acting_user=SYSTEM, on=dt.date(2025, 11, 20))
        e.refresh_from_db()
        from gongjia.rights.steps import grade_for

        step_name = "certify" if grade_for(e.total, checklist.grades) else "decline"
        actions.evaluation_step(e, step_name, acting_user=SYSTEM, on=dt.date(2025, 12, 10))
        if i == 4 and step_name == "certify":
            actions.evaluation_step(
                e,
                "revoke",
                acting_user=SYSTEM,
                note="发生拖欠工资群体性事件",
                on=dt.date(2026, 8, 3),
            )
    out(f"rights harmony: {made} evaluations")
