"""Demo special services, reproducing seed programme 3 from records for 2020: the two counselling
rooms opened that year (杭州湾信息港工会 and 育才东苑社区工会) beside the older ones, with
counsellors, schedules and the year's session counts; the "四季如春" quarterly actions and the
national campaigns, fairs and postings, and 8,000 people with employment difficulties placed with
evidence (some hired twice, counted once), beside the government's 16,000 new urban jobs kept as
an external figure with its source; the helmet campaign from June 2020 with its stock, helmets
issued, shared points, persuasion posts and gate counts, reconciled; beautiful factories named on
the marking scheme, their spot checks of 2021, and beautiful workers; rest stations with visits
and checks. Shifts and bookings from today on, so the portal has something to show."""

import datetime as dt
import random
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjia.honours import findings as bars
from gongjia.members.selectors import active_members
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform.demo import step
from gongjia.platform.scope import SYSTEM
from gongjia.rights.models import Checklist, ChecklistItem
from gongjia.services import actions
from gongjia.services.models import (
    Booking,
    Campaign,
    ConductRecord,
    CounsellingRoom,
    Counsellor,
    ExternalFigure,
    Fair,
    GateCount,
    HelmetBatch,
    HelmetIssue,
    HelmetPeriod,
    Hire,
    Hotline,
    PersuasionPost,
    Placement,
    Posting,
    PostLog,
    RestStation,
    ScheduleSlot,
    Seeker,
    Session,
    SharedPoint,
    Shift,
    StationVisits,
)

YEAR = 2020
PLACED = 8_000  # seed: 帮扶8000名就业困难人员实现就业
HIRED_TWICE = 200  # of them, hired again after losing a job: still counted once
NOT_PLACED = 300  # referred, never hired
ROADS = ["人民路", "市心路", "金城路", "建设路"]
URBAN_NEW_JOBS = 16_000  # seed: 新增城镇就业1.6万人 (the government's figure)
CHECKLIST = ["soundproof", "group_space", "posted", "counsellor", "referral", "storage"]
SCHEME = [
    ("1", "环境整洁：厂容厂貌、卫生保洁、物品定置", 20),
    ("2", "安全与职业健康：安全生产、职业病防护", 20),
    ("3", "职工设施：食堂、宿舍、职工之家、阅览室、母婴室、谈心室", 20),
    ("4", "绿化与垃圾分类（绿地率不超过20%，不以面积加分）", 10),
    ("5", "文化与文明：企业文化、文明职工", 15),
    ("6", "工会与民主管理：职代会、厂务公开", 15),
]
LEVELS = [{"grade": "示范", "min": 90}, {"grade": "优秀", "min": 80}, {"grade": "合格", "min": 70}]


def _town(name):
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION, name__startswith=name).first()


def _hotlines():
    Hotline.objects.bulk_create(
        [
            Hotline(
                number="12356",
                name="全国统一心理援助热线",
                operator="杭州市心理危机研究与干预中心",
                hours="每天24小时",
                valid_from=dt.date(2025, 5, 1),
                source="国家卫生健康委关于12356心理援助热线的通知（2024年12月）",
            ),
            Hotline(
                number="12351",
                name="职工服务热线",
                operator="萧山区总工会",
                hours="工作日 8:30–17:00",
                valid_from=dt.date(2015, 1, 1),
                source="全国总工会职工服务热线",
            ),
            Hotline(
                number="12355",
                name="青少年服务台",
                operator="共青团萧山区委",
                hours="工作日 9:00–17:00",
                valid_from=dt.date(2010, 1, 1),
                source="共青团12355青少年服务台",
            ),
        ]
    )


def _counselling(district, rng):
    rooms = [
        (
            district,
            "萧山区职工心理健康服务中心",
            "centre",
            dt.date(2018, 5, 15),
            "萧山区工人文化宫三楼",
        ),
        (
            _town("城厢"),
            "城厢街道职工心理谈心室",
            "station",
            dt.date(2019, 4, 10),
            "城厢街道职工服务中心",
        ),
        (
            _town("瓜沥"),
            "瓜沥镇职工心理谈心室",
            "station",
            dt.date(2019, 9, 20),
            "瓜沥镇职工之家二楼",
        ),
        # The seed's two new rooms of 2020.
        (
            _town("宁围"),
            "杭州湾信息港工会心理谈心室",
            "point",
            dt.date(2020, 9, 16),
            "杭州湾信息港A座",
        ),
        (
            _town("北干"),
            "育才东苑社区工会心理谈心室",
            "point",
            dt.date(2020, 11, 4),
            "育才东苑社区服务中心",
        ),
    ]
    made = []
    for unit, name, level, opened, address in rooms:
        made.append(
            CounsellingRoom.objects.create(
                unit=unit or district,
                name=name,
                level=level,
                address=address,
                hours="周二、周四 13:30–17:00；周六 9:00–12:00",
                area_m2=12 + len(made),
                opened_on=opened,
                checklist=CHECKLIST,
                checked_on=opened,
            )
        )
    people = [("周敏", "old_l2"), ("陈静", "old_l2"), ("王立群", "clinical"), ("沈晓燕", "social")]
    counsellors = [
        Counsellor.objects.create(
            unit=district,
            name=n,
            organisation="杭州市心理咨询行业协会",
            qualification=q,
            certificate_number=f"1{k:03d}00000{k}",
            training_hours=120 + 30 * k,
            supervision="每月一次团体督导",
            contract_from=dt.date(2018, 1, 1),
            contract_until=dt.date(2027, 12, 31),
        )
        for k, (n, q) in enumerate(people)
    ]
    ScheduleSlot.objects.bulk_create(
        [
            ScheduleSlot(
                room=r,
                counsellor=counsellors[(k + d) % 4],
                weekday=d,
                starts_at=dt.time(13, 30),
                ends_at=dt.time(17),
            )
            for k, r in enumerate(made)
            for d in (1, 3)
        ]
    )
    topics = ["work", "relations", "family", "children", "health", "money", "life", "other"]
    sessions = []
    for r in made:
        start = max(r.opened_on, dt.date(YEAR, 1, 1))
        span = (dt.date(YEAR, 12, 31) - start).days + 1
        for k in range(span // 3):
            kind = "individual" if k % 9 else ("group" if k % 2 else "lecture")
            sessions.append(
                Session(
                    room=r,
                    held_on=start + dt.timedelta(days=rng.randrange(span)),
                    minutes=50 if kind == "individual" else 90,
                    kind=kind,
                    topic=topics[rng.randrange(len(topics))],
                    people=1 if kind == "individual" else 8 + k % 30,
                    risk=k % 41 == 0,
                    referred=k % 97 == 0,
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    tz = timezone.get_current_timezone()
    for k, day in enumerate((dt.date(YEAR, 3, 12), dt.date(YEAR, 8, 5), dt.date(YEAR, 11, 23))):
        c = actions.record_crisis(
            made[k % 3],
            acting_user=SYSTEM,
            at=dt.datetime.combine(day, dt.time(15, 20), tz),
            taken=["stayed", "called_120", "contact_told", "referred"][: 2 + k],
            outcome=["hospital", "safe", "hospital"][k],
        )
        actions.follow_up_crisis(c, acting_user=SYSTEM, at=c.at + dt.timedelta(hours=20 + 10 * k))
    return made


def _employment(district, rng):
    seasons = [
        ("春季", 3, 1, 5, 31),
        ("夏季", 6, 1, 8, 31),
        ("秋季", 9, 1, 11, 30),
        ("冬季", 12, 1, 12, 31),
    ]
    campaigns = [
        Campaign.objects.create(
            unit=district,
            kind="spring_wind",
            name="2020年春风行动",
            starts_on=dt.date(YEAR, 1, 26),
            ends_on=dt.date(YEAR, 4, 8),
            content="人社部门会同工会等开展，帮助农民工和就业困难人员返岗就业。",
        ),
        Campaign.objects.create(
            unit=district,
            kind="aid_month",
            name="2020年就业援助月",
            starts_on=dt.date(YEAR, 1, 1),
            ends_on=dt.date(YEAR, 1, 31),
        ),
    ] + [
        Campaign.objects.create(
            unit=district,
            kind="seasons",
            name=f"“四季如春”就业援助精准服务行动·{s}",
            starts_on=dt.date(YEAR, a, b),
            ends_on=dt.date(YEAR, c, d),
            content="走访困难职工家庭、推送岗位、送技能培训、跟踪稳岗。",
        )
        for s, a, b, c, d in seasons
    ]
    towns = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code"))
    fairs = [
        Fair.objects.create(
            unit=towns[k % len(towns)],
            campaign=campaigns[2 + k % 4],
            held_on=dt.date(YEAR, 3 + k, 18),
            venue=f"{towns[k % len(towns)].name.removesuffix('总工会')}人力资源市场",
            employers=40 + 7 * k,
            posts=900 + 110 * k,
            visitors=2600 + 300 * k,
            intentions=520 + 40 * k,
            hires=180 + 25 * k,
        )
        for k in range(8)
    ]
    enterprises = list(Enterprise.objects.select_related("region").order_by("pk")[:60])
    occupations = [
        "装配工",
        "电焊工",
        "数控车工",
        "仓库管理员",
        "保洁员",
        "叉车司机",
        "缝纫工",
        "质检员",
    ]
    postings = [
        Posting(
            unit=e.federation,
            enterprise=e,
            campaign=campaigns[2 + k % 4],
            fair=fairs[k % 8] if k % 3 == 0 else None,
            occupation=occupations[k % 8],
            skill_level=None if k % 4 else 4,
            openings=5 + k % 20,
            pay_min=4200 + 100 * (k % 8),
            pay_max=6000 + 200 * (k % 10),
            region=e.region,
            weekly_hours=40 + 4 * (k % 2),
            contract="fixed",
            insurance=True,
            accommodation=bool(k % 2),
            requirements="能适应倒班，有相关经验者优先",
            posted_on=dt.date(YEAR, 2 + k % 10, 1 + k % 27),
            status="open" if k % 5 else "filled",
        )
        for k, e in enumerate(enterprises)
    ]
    Posting.objects.bulk_create(postings)
    postings = list(Posting.objects.order_by("pk"))
    ExternalFigure.objects.create(
        unit=district,
        key="urban_new_jobs",
        year=YEAR,
        value=URBAN_NEW_JOBS,
        source="萧山区人力资源和社会保障局2020年就业统计（城镇新增就业）",
        published_on=dt.date(2021, 1, 20),
    )
    # The job seekers: members and members of archived hardship households, as certified.
    people = active_members(PLACED + NOT_PLACED, 12_000)
    categories = ["older", "long_term", "low_income", "zero_household", "disabled", "older"]
    villages = list(Region.objects.filter(level="village").order_by("code")[:200])
    seekers = [
        Seeker(
            unit=towns[k % len(towns)],
            member=m,
            name=m.name,
            id_number=m.id_number,
            category=categories[k % len(categories)],
            certified_on=dt.date(YEAR - 1, 10 + k % 3, 1 + k % 28),
            certified_by="萧山区就业管理服务处",
            certificate_number=f"JYKN{YEAR}{k:06d}",
            occupation=occupations[k % 8],
            skill_level=None if k % 3 else 5,
            home_region=villages[k % len(villages)],
            pay_wanted=4000 + 100 * (k % 15),
            registered_on=dt.date(YEAR, 1, 2 + k % 28),
        )
        for k, m in enumerate(people)
    ]
    Seeker.objects.bulk_create(seekers, batch_size=2000)
    seekers = list(Seeker.objects.order_by("pk").values_list("pk", "unit_id"))
    placements, hires = [], []
    for k, (pk, unit_id) in enumerate(seekers):
        posting = postings[k % len(postings)]
        referred = dt.date(YEAR, 1, 10) + dt.timedelta(days=k % 330)
        if k >= PLACED:
            placements.append(
                Placement(
                    seeker_id=pk,
                    unit_id=unit_id,
                    posting=posting,
                    enterprise_id=posting.enterprise_id,
                    referred_on=referred,
                    status="dropped",
                )
            )
            continue
        hired = referred + dt.timedelta(days=7 + k % 14)
        lost = k % 40 == 0  # one in forty lose the job before three months
        p = Placement(
            seeker_id=pk,
            unit_id=unit_id,
            posting=posting,
            enterprise_id=posting.enterprise_id,
            referred_on=referred,
        )
        if lost:
            p.status, p.lost_on = "dropped", hired + dt.timedelta(days=50)
        else:
            s3, s6 = _months(hired, 3), _months(hired, 6)
            p.status, p.hired_on, p.evidence = (
                "closed",
                hired,
                ["contract", "insurance", "employer"][k % 3],
            )
            p.evidence_reference = f"{p.get_evidence_display()}编号{k:06d}"
            p.stable_3_on, p.stable_6_on = s3, s6
        placements.append(p)
    Placement.objects.bulk_create(placements, batch_size=2000)
    rows = (
        Placement.objects.filter(referred_on__year=YEAR)
        .order_by("pk")
        .values_list(
            "pk",
            "seeker_id",
            "unit_id",
            "enterprise_id",
            "referred_on",
            "status",
            "hired_on",
            "evidence",
            "evidence_reference",
            "lost_on",
        )
    )
    twice = 0
    for pk, seeker, unit, ent, referred, _status, hired, evidence, ref, lost in rows:
        if lost:  # hired, then lost: the hire counts, the person once
            hires.append(
                Hire(
                    placement_id=pk,
                    seeker_id=seeker,
                    unit_id=unit,
                    enterprise_id=ent,
                    hired_on=lost - dt.timedelta(days=50),
                    evidence="contract",
                    evidence_reference=f"劳动合同编号L{pk}",
                )
            )
        elif hired:
            hires.append(
                Hire(
                    placement_id=pk,
                    seeker_id=seeker,
                    unit_id=unit,
                    enterprise_id=ent,
                    hired_on=hired,
                    evidence=evidence,
                    evidence_reference=ref,
                )
            )
            if twice < HIRED_TWICE and hired.month <= 6:
                twice += 1  # an earlier hire of the same person, lost within the year
                hires.append(
                    Hire(
                        placement_id=pk,
                        seeker_id=seeker,
                        unit_id=unit,
                        enterprise_id=ent,
                        hired_on=referred,
                        evidence="employer",
                        evidence_reference=f"用人单位证明E{pk}",
                    )
                )
    Hire.objects.bulk_create(hires, batch_size=2000)
    return len(seekers)


def _months(day, n):
    from gongjia.platform import workdays

    return workdays.add_months(day, n)


def _helmets(district, rng):
    period = HelmetPeriod.objects.create(
        unit=district,
        name="2020年下半年",
        starts_on=dt.date(YEAR, 6, 1),
        ends_on=dt.date(YEAR, 12, 31),
    )
    batches = []
    for k, (model, typ, size, qty, price, fund) in enumerate(
        [
            ("安骑A-1", "A", "L", 2000, 4500, "union"),
            ("安骑A-1", "A", "M", 1500, 4500, "union"),
            ("护途B-2", "B", "均码", 1500, 3200, "donation"),
        ]
    ):
        b = HelmetBatch(
            period=period,
            received_on=dt.date(YEAR, 6, 1 + 5 * k),
            supplier="杭州安骑头盔有限公司",
            model=model,
            type=typ,
            size=size,
            standard="GB 811-2010",
            ccc_number=f"20200111010{k:05d}",
            produced_on=dt.date(YEAR, 5, 10),
            quantity=qty,
            unit_price_fen=price,
            fund=fund,
        )
        b.full_clean()
        b.save()
        batches.append(b)
    people = active_members(3_000, 2_000)
    HelmetIssue.objects.bulk_create(
        [
            HelmetIssue(
                batch=batches[k % 2],
                member=m,
                enterprise_id=m.employer_id,
                issued_on=dt.date(YEAR, 6, 8) + dt.timedelta(days=k % 150),
            )
            for k, m in enumerate(people)
        ],
        batch_size=2000,
    )
    towns = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code")[:10])
    for k, t in enumerate(towns):
        point = SharedPoint.objects.create(
            unit=district,
            name=f"{t.name.removesuffix('总工会')}共享头盔点",
            address=f"{t.name.removesuffix('总工会')}职工服务中心门口",
            opened_on=dt.date(YEAR, 6, 15),
        )
        actions.move_shared(
            point,
            batches[2],
            acting_user=SYSTEM,
            kind="stocked",
            quantity=100,
            on=dt.date(YEAR, 6, 15),
        )
        actions.move_shared(
            point,
            batches[2],
            acting_user=SYSTEM,
            kind="lent",
            quantity=60 + k,
            on=dt.date(YEAR, 7, 1),
        )
        actions.move_shared(
            point,
            batches[2],
            acting_user=SYSTEM,
            kind="returned",
            quantity=55 + k,
            on=dt.date(YEAR, 8, 1),
        )
        actions.move_shared(
            point,
            batches[2],
            acting_user=SYSTEM,
            kind="cleaned",
            quantity=55 + k,
            on=dt.date(YEAR, 8, 2),
        )
        if k % 3 == 0:
            actions.move_shared(
                point,
                batches[2],
                acting_user=SYSTEM,
                kind="written_off",
                quantity=3,
                on=dt.date(YEAR, 11, 30),
                reason="破损无法修复",
            )
    # The period reconciles and closes: the shelf count agrees with the ledger.
    from gongjia.services import selectors

    closing = selectors.reconciliation(period)["closing"]
    HelmetPeriod.objects.filter(pk=period.pk).update(counted=closing)
    period.refresh_from_db()
    actions.period_step(period, "close", acting_user=SYSTEM, on=dt.date(YEAR + 1, 1, 5))
    posts = []
    for k, t in enumerate(towns):
        post = PersuasionPost.objects.create(
            unit=t,
            place=f"{t.name.removesuffix('总工会')}{ROADS[k % 4]}路口",
            partner="萧山交警大队",
            active_from=dt.date(YEAR, 6, 1),
            active_until=None if k < 3 else dt.date(YEAR, 12, 31),
        )
        posts.append(post)
        logs = []
        day = dt.date(YEAR, 6, 2)
        while day <= dt.date(YEAR, 12, 31):
            observed = 300 + rng.randrange(200)
            without = int(observed * (0.35 - 0.25 * (day - dt.date(YEAR, 6, 1)).days / 214))
            logs.append(
                PostLog(
                    post=post,
                    on=day,
                    hours=2,
                    staff=3 + k % 3,
                    observed=observed,
                    without_helmet=without,
                    persuaded=int(without * 0.9),
                    lent=without // 10,
                )
            )
            day += dt.timedelta(days=7)
        PostLog.objects.bulk_create(logs)
    gates = []
    for k, e in enumerate(Enterprise.objects.order_by("pk")[:30]):
        for month, share in ((6, 0.62), (12, 0.91)):
            observed = 150 + 10 * (k % 12)
            gates.append(
                GateCount(
                    enterprise=e,
                    unit=e.federation,
                    on=dt.date(YEAR, month, 20),
                    riders=observed + 20,
                    observed=observed,
                    wearing=int(observed * (share + (k % 5) / 100)),
                )
            )
    GateCount.objects.bulk_create(gates)
    # Shifts from today on at the posts still staffed, for volunteers to sign up on the portal.
    today = timezone.localdate()
    Shift.objects.bulk_create(
        [
            Shift(
                post=posts[k % 3],
                on=today + dt.timedelta(days=k // 3),
                starts_at=dt.time(7, 0),
                ends_at=dt.time(9, 0),
                places=4,
            )
            for k in range(9)
        ]
    )


def _factories(district):
    scheme = Checklist.objects.create(
        name="萧山区美丽厂区评价标准（试行）",
        unit=district,
        effective_from=dt.date(2019, 1, 1),
        grades=LEVELS,
        certificate_years=3,
    )
    ChecklistItem.objects.bulk_create(
        [ChecklistItem(checklist=scheme, code=c, text=t, weight=w) for c, t, w in SCHEME]
    )
    enterprises = list(
        Enterprise.objects.filter(union__isnull=False)
        .select_related("union", "federation")
        .order_by("pk")[:60]
    )
    # The bars as the records show them on the day of the notice (as for pioneer units).
    probes = [
        SimpleNamespace(pk=e.pk, enterprise_id=e.pk, enterprise=e, year=YEAR) for e in enterprises
    ]
    facts = bars.bar_facts(probes, dt.date(YEAR, 10, 9))
    clear, barred = [], []
    for p in probes:
        found = bars.barred(bars.pioneer_bars(p, facts=facts[p.pk]))
        (barred if found else clear).append((p.enterprise, found))
    clear = [e for e, _found in clear]
    plan = [(e, 95 - (k % 30)) for k, e in enumerate(clear[:36])]  # totals from 95 down to 66
    named = 0
    for e, target in plan:
        a = actions.apply_factory(
            e, acting_user=SYSTEM, unit=e.federation, checklist=scheme, year=YEAR
        )
        pct = round(target)
        scores = {c: pct for c, _t, _w in SCHEME}
        actions.score_factory(
            a, acting_user=SYSTEM, stage="self", scores={c: min(100, pct + 3) for c in scores}
        )
        actions.score_factory(a, acting_user=SYSTEM, stage="town", scores=scores)
        a.photos = f"services/factories/{e.pk}-town-check.jpg"
        a.save(update_fields=["photos"])
        actions.factory_step(a, "check", acting_user=SYSTEM, on=dt.date(YEAR, 9, 10))
        actions.score_factory(a, acting_user=SYSTEM, stage="district", scores=scores)
        actions.factory_step(a, "spot_check", acting_user=SYSTEM, on=dt.date(YEAR, 9, 25))
        if target < 70:
            actions.factory_step(
                a, "decline", acting_user=SYSTEM, note="总分未达到合格等级", on=dt.date(YEAR, 9, 30)
            )
            continue
        actions.factory_step(a, "publish", acting_user=SYSTEM, on=dt.date(YEAR, 10, 9))
        actions.factory_step(a, "name", acting_user=SYSTEM, on=dt.date(YEAR, 10, 26))
        named += 1
    for e, found in barred[:2]:  # refused on what the records show
        a = actions.apply_factory(
            e, acting_user=SYSTEM, unit=e.federation, checklist=scheme, year=YEAR
        )
        actions.factory_step(
            a, "decline", acting_user=SYSTEM, on=dt.date(YEAR, 9, 30), note="；".join(found)
        )
    # The yearly spot checks of 2021: at least a fifth of the holders; one downgraded.
    drawn = actions.draw_spot_checks(
        district, YEAR + 1, acting_user=SYSTEM, on=dt.date(YEAR + 1, 3, 1)
    )
    for k, sc in enumerate(drawn):
        level = sc.assessment.level
        if k == 0 and level != "合格":
            actions.record_spot_check(
                sc,
                acting_user=SYSTEM,
                result="downgraded",
                level="合格",
                checked_on=dt.date(YEAR + 1, 4, 12),
            )
        else:
            actions.record_spot_check(
                sc, acting_user=SYSTEM, result="kept", checked_on=dt.date(YEAR + 1, 4, 12)
            )
    # Beautiful workers of 2020: three a named factory at most; one barred by a sanction.
    seen: dict[int, int] = {}
    people = []
    for m in active_members(3_000, 200, employed=True):  # two a workplace at most
        if seen.get(m.employer_id, 0) < 2 and len(people) < 60:
            seen[m.employer_id] = seen.get(m.employer_id, 0) + 1
            people.append(m)
    ConductRecord.objects.create(
        member=people[0],
        unit=people[0].union,
        kind="sanction",
        on=dt.date(YEAR, 2, 10),
        until=dt.date(YEAR + 1, 2, 9),
        source="企业处分决定（警告）",
    )
    for k, m in enumerate(people):
        w = actions.nominate_worker(
            m.pk,
            acting_user=SYSTEM,
            unit=m.union,
            year=YEAR,
            grounds=[["civility", "safety"], ["skill"], ["volunteering", "civility"]][k % 3],
            deeds="爱岗敬业，遵章守纪，热心公益。",
        )
        try:
            actions.worker_step(w, "name", acting_user=SYSTEM, on=dt.date(YEAR, 12, 8))
        except ValidationError as e:  # barred, or over the enterprise's quota: refused, why
            why = "；".join(e.messages)
            actions.worker_step(w, "refuse", acting_user=SYSTEM, note=why, on=dt.date(YEAR, 12, 8))
    return named


def _stations(district):
    towns = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION)
        .select_related("region")
        .order_by("code")
    )
    hosts = ["农商银行网点", "邮政支行", "加油站便利店", "社区服务中心", "企业门卫室"]
    all_facilities = ["water", "microwave", "charging", "toilet", "seats", "first_aid"]
    stations = []
    for k in range(30):
        t = towns[k % len(towns)]
        stations.append(
            RestStation(
                unit=t,
                name=f"{t.name.removesuffix('总工会')}爱心驿家{k // len(towns) + 1}号",
                host=hosts[k % 5],
                region=t.region,
                address=f"{t.region.name}{hosts[k % 5]}",
                hours="8:00–20:00" if k % 3 else "全天",
                facilities=all_facilities[: 3 + k % 4],
                opened_on=dt.date(2019 + (k % 2), 3 + k % 8, 1),
            )
        )
    RestStation.objects.bulk_create(stations)
    stations = list(RestStation.objects.order_by("pk"))
    StationVisits.objects.bulk_create(
        [
            StationVisits(
                station=s, month=dt.date(YEAR, m, 1), visits=150 + (k * 37 + m * 11) % 400
            )
            for k, s in enumerate(stations)
            for m in range(1, 13)
            if dt.date(YEAR, m, 1) >= s.opened_on.replace(day=1)
        ]
    )
    for k, s in enumerate(stations):
        actions.record_station_check(
            s,
            acting_user=SYSTEM,
            checked_on=dt.date(YEAR, 11, 10 + k % 15),
            facilities=s.facilities,
            passed=k != 7,
            findings="" if k != 7 else "饮水机损坏未修复",
        )
    actions.station_step(
        stations[7], "close", acting_user=SYSTEM, note="承办网点搬迁", on=dt.date(YEAR + 1, 3, 1)
    )


@step(97)
@transaction.atomic
def services(scale: str = "small", out=print):
    if CounsellingRoom.objects.exists():
        out("services: demo records already present")
        return
    rng = random.Random(2020)
    district = OrgUnit.objects.get(depth=1)
    _hotlines()
    rooms = _counselling(district, rng)
    # A booking from today on, anonymous, so a counsellor's list shows one.
    member = active_members(1, 20)[0]
    actions.book(
        rooms[0],
        acting_user=SYSTEM,
        channel=Booking.Channel.PHONE,
        wanted_on=timezone.localdate() + dt.timedelta(days=2),
        wanted_at=dt.time(14),
        consent=True,
        member_id=member.pk,
        anonymous=True,
    )
    seekers = _employment(district, rng)
    _helmets(district, rng)
    named = _factories(district)
    _stations(district)
    out(
        f"services: {len(rooms)} counselling rooms, {seekers} job seekers, "
        f"{HelmetIssue.objects.count()} helmets issued, {named} beautiful factories named, "
        f"{RestStation.objects.count()} rest stations"
    )
