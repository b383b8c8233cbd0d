"""Demo honours and exemplars, reproducing seed programmes 4 and 5 from records for 2020: the
district's model-worker selection (industrial workers more than 60 % of those put forward, one
nominee vetoed by a department, an objection dismissed) and its vocational technical leaders
(more than 75 %); 40 worker-pioneer units named (teams 75 % of them; two teams refused on their
records' bars); 12 innovation studios named with their grants; 20 operation methods named after
their inventors (two not eligible); about 200 industrial workers admitted to the party; posts in
mass organisations; four recuperation batches and two health-check campaigns allocated in order
with industrial workers at least 80 % of the places, and a batch open for applications now."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongjia.honours import actions
from gongjia.honours.models import (
    Batch,
    CareApplication,
    CareBatch,
    Level,
    MassOrgPost,
    PartyDevelopment,
    PioneerUnit,
    Programme,
    SafetyIncident,
    Studio,
    StudioMember,
)
from gongjia.members.selectors import active_members
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform.demo import step
from gongjia.platform.scope import SYSTEM
from gongjia.rights import selectors as rights

INDUSTRIAL = ("operator", "technical", "management")
DEPARTMENTS = ["区市场监管局", "区税务局", "区人力社保局", "区应急管理局", "区纪委监委"]
MODEL_WORKERS = (21, 11)  # industrial, others: 21 of 32 is 65.6 %, more than 60 %
TECH_LEADERS = (17, 3)  # 85 %, more than 75 %
PIONEER_KINDS = ["team"] * 30 + ["workshop"] * 4 + ["window"] * 3 + ["section"] * 2 + ["department"]
CARE = [  # kind, name, place, starts, days, places, cost (yuan), applicants (industrial, other)
    (
        "recuperation",
        "2020年劳模疗休养第一批",
        "淳安千岛湖",
        dt.date(2020, 7, 6),
        5,
        30,
        2500,
        (34, 4),
    ),
    (
        "recuperation",
        "2020年一线职工疗休养第二批",
        "安吉余村",
        dt.date(2020, 8, 10),
        5,
        30,
        2400,
        (33, 5),
    ),
    (
        "recuperation",
        "2020年一线职工疗休养第三批",
        "丽水缙云",
        dt.date(2020, 9, 14),
        4,
        30,
        2000,
        (32, 6),
    ),
    (
        "recuperation",
        "2020年工匠疗休养第四批",
        "舟山普陀",
        dt.date(2020, 10, 19),
        5,
        30,
        2800,
        (31, 5),
    ),
    (
        "health_check",
        "2020年职工免费体检（上半年）",
        "萧山区第一人民医院体检中心",
        dt.date(2020, 5, 11),
        1,
        100,
        300,
        (96, 12),
    ),
    (
        "health_check",
        "2020年职工免费体检（下半年）",
        "萧山区中医院体检中心",
        dt.date(2020, 11, 9),
        1,
        100,
        300,
        (95, 14),
    ),
]


class Pool:
    """Active members handed out once each, industrial workers or others."""

    def __init__(self, offset: int):
        people = active_members(6_000, offset)
        self.industrial = [m for m in people if m.category in INDUSTRIAL]
        self.other = [m for m in people if m.category not in INDUSTRIAL]

    def take(self, industrial: int, other: int = 0) -> list:
        out = self.industrial[:industrial] + self.other[:other]
        self.industrial, self.other = self.industrial[industrial:], self.other[other:]
        return out


def _programmes(district):
    common = {"organiser": district, "departments": DEPARTMENTS, "notice_working_days": 5}
    mw = Programme.objects.create(
        name="萧山区劳动模范",
        kind=Programme.Kind.MODEL_WORKER,
        level=Level.DISTRICT,
        rules=[
            *actions.programme_defaults(Programme.Kind.MODEL_WORKER, dt.date(2020, 1, 1)),
            {"category": "enterprise_head", "op": "<=", "pct": "10", "base": "all"},
        ],
        benefits="颁发证书、奖章和奖金；优先安排疗休养；享受劳模待遇。",
        legal_reference="萧山区劳动模范评选管理办法；温州市劳动模范管理办法第二十三条（参照）",
        **common,
    )
    Programme.objects.create(
        name="杭州市劳动模范",
        kind=Programme.Kind.MODEL_WORKER,
        level=Level.CITY,
        builds_on=mw,
        rules=actions.programme_defaults(Programme.Kind.MODEL_WORKER, dt.date(2020, 1, 1)),
        legal_reference="杭州市劳动模范评选表彰办法",
        **common,
    )
    tl = Programme.objects.create(
        name="萧山区职业技术带头人",
        kind=Programme.Kind.TECH_LEADER,
        level=Level.DISTRICT,
        rules=actions.programme_defaults(Programme.Kind.TECH_LEADER, dt.date(2020, 1, 1)),
        legal_reference="萧山区产业工人队伍建设改革实施方案",
        organiser=district,
        departments=[],
        notice_working_days=5,
    )
    Programme.objects.create(
        name="萧山区五一劳动奖章",
        kind=Programme.Kind.MAYDAY_MEDAL,
        level=Level.DISTRICT,
        rules=[
            {"category": "industrial", "op": ">=", "pct": "35", "base": "all"},
            {"category": "enterprise_head", "op": "<=", "count": 2, "base": "all"},
        ],
        legal_reference="全国总工会五一劳动奖评选办法（参照）",
        **common,
    )
    Programme.objects.create(
        name="萧山区工人先锋号",
        kind=Programme.Kind.PIONEER,
        level=Level.DISTRICT,
        rules=[{"category": "industrial", "op": ">=", "pct": "70", "base": "all"}],
        legal_reference="全国总工会工人先锋号评选规定（参照）",
        **common,
    )
    return mw, tl


def _nominee_fields(k, m):
    return {
        "deeds": f"扎根一线{8 + k % 15}年，完成技术革新{1 + k % 5}项，带徒{2 + k % 7}名。",
        "appraisal_on": dt.date(2020, 2, 24),
        "appraisal_evidence": f"{m.union.name}民主评议记录（2020年2月24日）",
        "congress_on": dt.date(2020, 3, 6),
        "congress_evidence": f"{m.union.name}职工代表大会决议及公示照片",
    }


def _selection(programme, district, people, places, *, veto=None, objection=None):
    b = actions.save_batch(
        None,
        acting_user=SYSTEM,
        programme=programme,
        organiser=district,
        name=f"2020年{programme.name}评选",
        year=2020,
        places=places,
    )
    nominations = []
    for k, m in enumerate(people):
        declared = ["frontline", "enterprise"] if m.category in INDUSTRIAL else ["enterprise"]
        if m.category not in INDUSTRIAL and k % 7 == 0:
            declared = ["enterprise_head", "enterprise"]
        nominations.append(
            actions.nominate(
                b,
                m.pk,
                unit=m.union,
                acting_user=SYSTEM,
                nominated_on=dt.date(2020, 3, 16),
                categories=declared,
                **_nominee_fields(k, m),
            )
        )
    actions.batch_step(b, "submit", acting_user=SYSTEM, on=dt.date(2020, 3, 23))
    for n in nominations:
        for d in b.departments:
            vetoed = veto is not None and n.pk == nominations[veto].pk and d == "区税务局"
            actions.record_clearance(
                n,
                department=d,
                result="vetoed" if vetoed else "cleared",
                reason="2019年度存在欠缴税款记录，未通过税务部门审核。" if vetoed else "",
                acting_user=SYSTEM,
                on=dt.date(2020, 4, 1),
            )
            if vetoed:
                break
    actions.batch_step(b, "publish", acting_user=SYSTEM, on=dt.date(2020, 4, 8))
    b.refresh_from_db()
    if objection is not None:
        o = actions.record_objection(
            nominations[objection],
            name="李建华",
            received_on=dt.date(2020, 4, 10),
            content="反映该同志事迹材料中的技改项目为班组集体成果。",
            acting_user=SYSTEM,
        )
        actions.decide_objection(
            o,
            upheld=False,
            finding="经核实，该同志为项目第一完成人，班组出具证明，异议不成立。",
            acting_user=SYSTEM,
            on=dt.date(2020, 4, 14),
        )
    actions.batch_step(b, "approve", acting_user=SYSTEM, on=dt.date(2020, 4, 24))
    return b


def _pioneers(district):
    """40 teams named; two refused on what the records show (an accident within three years,
    no collective contract)."""
    end = dt.date(2020, 12, 31)
    enterprises = list(
        Enterprise.objects.filter(union__isnull=False).select_related("union").order_by("pk")
    )
    ids = [e.pk for e in enterprises]
    contract = rights.under_collective_contract(ids, end)
    arrears = rights.wage_arrears_cases(ids, dt.date(2020, 1, 1), end)
    clean = [e for e in enterprises if e.pk in contract and e.pk not in arrears]
    bare = [e for e in enterprises if e.pk not in contract and e.pk not in arrears]
    if not clean:
        return 0
    names = {
        "team": "班组",
        "workshop": "车间",
        "window": "服务窗口",
        "section": "工段",
        "department": "部门",
    }
    accident_at = clean[-1] if len(clean) > 1 else None
    pool = [e for e in clean if e is not accident_at] or clean
    named = 0
    for k, kind in enumerate(PIONEER_KINDS):
        e = pool[k % len(pool)]
        p = PioneerUnit.objects.create(
            enterprise=e,
            unit=e.union,
            name=f"{'甲乙丙丁戊己庚辛'[k % 8]}{names[kind]}{k // 8 + 1}",
            kind=kind,
            level=Level.DISTRICT,
            year=2020,
            deeds="班组攻坚克难，质量零缺陷，安全零事故，提出合理化建议被采纳。",
        )
        actions.pioneer_step(p, "name", acting_user=SYSTEM, on=dt.date(2020, 4, 28))
        named += 1
    refused = []
    if accident_at is not None:
        SafetyIncident.objects.create(
            enterprise=accident_at,
            unit=district,
            kind=SafetyIncident.Kind.ACCIDENT,
            occurred_on=dt.date(2018, 11, 20),
            description="一般生产安全事故，一人受伤",
            source="区应急管理局事故调查报告",
        )
        refused.append(accident_at)
    if bare:
        refused.append(bare[0])
    for e in refused:
        p = PioneerUnit.objects.create(
            enterprise=e,
            unit=e.union,
            name="装配班组",
            kind=PioneerUnit.Kind.TEAM,
            level=Level.DISTRICT,
            year=2020,
            deeds="班组业绩突出。",
        )
        actions.pioneer_step(
            p,
            "refuse",
            acting_user=SYSTEM,
            on=dt.date(2020, 4, 28),
            note="经核查，不符合评选条件（见限制条件）。",
        )
    return named


def _studios(pool, honourees):
    leaders = honourees[:12] + pool.take(3)
    for k, leader in enumerate(leaders):
        named_in = 2020 if k < 12 else 2018
        s = Studio.objects.create(
            name=f"{leader.name}{'技能' if k % 2 else '劳模'}创新工作室",
            leader=leader,
            unit=leader.union,
            level=Level.DISTRICT,
            founded_on=dt.date(named_in - 1, 3, 1),
            haves=["plaque", "place", "rules", "funds", "team", "ledger", "results"],
            projects="工艺改进、设备改造、节能降耗攻关",
            innovations=3 + k % 6,
            patents=k % 4,
            trained=10 + 3 * k,
        )
        for j, m in enumerate(pool.take(4)):
            StudioMember.objects.create(
                studio=s, member=m, role="骨干" if j else "副领衔人", joined_on=s.founded_on
            )
        actions.studio_step(s, "apply", acting_user=SYSTEM, on=dt.date(named_in, 4, 20))
        actions.studio_step(s, "name", acting_user=SYSTEM, on=dt.date(named_in, 5, 20))
    # One still being created: its ledger and team not yet complete.
    m = pool.take(1)[0]
    Studio.objects.create(
        name=f"{m.name}创新工作室",
        leader=m,
        unit=m.union,
        level=Level.DISTRICT,
        founded_on=dt.date(2020, 9, 1),
        haves=["plaque", "place", "rules"],
    )


def _methods(pool):
    inventors = pool.take(22)
    posts = ["数控车工", "焊工", "电工", "钳工", "装配工", "化学检验员", "印染挡车工"]
    for k, m in enumerate(inventors):
        senior = k == 20  # a senior-title holder as first inventor: not eligible
        short = k == 21  # results for less than a year: not eligible
        method = actions.propose_method(
            m.pk,
            unit=m.union,
            acting_user=SYSTEM,
            post=posts[k % len(posts)],
            senior_title=senior,
            results_since=dt.date(2020, 3, 1) if short else dt.date(2018, 5 + k % 6, 1),
            documentation="操作要领、关键控制点、适用范围与推广培训教材。",
            trained=8 + k * 2,
        )
        if senior or short:
            actions.method_step(
                method,
                "refuse",
                acting_user=SYSTEM,
                on=dt.date(2020, 9, 20),
                note="经审核，不符合命名条件。",
            )
        else:
            actions.method_step(method, "name", acting_user=SYSTEM, on=dt.date(2020, 9, 20))


def _party(pool):
    rows = []
    for k, m in enumerate(pool.take(203, 12)):
        applied = dt.date(2018, 3 + k % 9, 1 + k % 27)
        rows.append(
            PartyDevelopment(
                member=m,
                unit=m.union,
                consent_on=applied,
                applied_on=applied,
                activist_on=dt.date(2019, 3, 1 + k % 27),
                probationary_on=dt.date(2020, 6 + k % 6, 1 + k % 27),
            )
        )
    for m in pool.take(30):
        rows.append(
            PartyDevelopment(
                member=m,
                unit=m.union,
                consent_on=dt.date(2017, 4, 1),
                applied_on=dt.date(2017, 4, 1),
                activist_on=dt.date(2018, 3, 1),
                probationary_on=dt.date(2019, 7, 1),
                full_on=dt.date(2020, 7, 1),
            )
        )
    for k, m in enumerate(pool.take(40)):
        rows.append(
            PartyDevelopment(
                member=m,
                unit=m.union,
                consent_on=dt.date(2020, 3, 1),
                applied_on=dt.date(2020, 3, 1),
                activist_on=dt.date(2020, 9, 1) if k % 2 else None,
            )
        )
    PartyDevelopment.objects.bulk_create(rows)


def _posts(honourees, pool):
    organisations = [
        ("萧山区总工会", "兼职副主席"),
        ("萧山区总工会", "委员"),
        ("萧山区人大", "代表"),
        ("萧山区政协", "委员"),
        ("萧山区妇联", "执委"),
        ("共青团萧山区委", "委员"),
    ]
    people = honourees[:30] + pool.take(15)
    for k, m in enumerate(people):
        org, post = organisations[k % len(organisations)]
        MassOrgPost.objects.create(
            member=m,
            unit=m.union,
            organisation=org,
            post=post,
            term_from=dt.date(2020, 1, 1) if k % 5 else dt.date(2016, 1, 1),
            term_until=dt.date(2019, 12, 31) if k % 5 == 0 else None,
        )


def _care(district, pool, craftsmen_ids):
    for kind, name, place, starts, days, places, cost, (n_ind, n_other) in CARE:
        b = actions.save_care_batch(
            CareBatch(
                kind=kind,
                organiser=district,
                name=name,
                place=place,
                starts_on=starts,
                days=days,
                capacity=places,
                cost_fen=cost * 100,
                applications_until=starts - dt.timedelta(days=14),
            ),
            acting_user=SYSTEM,
        )
        people = pool.take(n_ind, n_other)
        if kind == "recuperation" and starts.month == 10:
            people = craftsmen_ids + people  # the year's craftsmen, with their entitlement
        opened = starts - dt.timedelta(days=40)
        for k, m in enumerate(people):
            at = timezone.make_aware(
                dt.datetime.combine(opened, dt.time(9)) + dt.timedelta(hours=3 * k)
            )
            recent = m.category not in INDUSTRIAL and k % 3 == 0  # too new in the post
            actions.apply_for_place(
                b,
                m.pk,
                acting_user=SYSTEM,
                at=at,
                post_since=starts - dt.timedelta(days=200) if recent else dt.date(2012, 1, 1),
                # Front-line posts: most industrial workers, and riders or cleaners among others.
                frontline=(k % 4 != 0) if m.category in INDUSTRIAL else (k % 2 == 0),
                key_project=k % 6 == 0,
            )
        actions.care_step(
            b, "allocate", acting_user=SYSTEM, on=b.applications_until + dt.timedelta(days=1)
        )
        placed = list(b.applications.filter(status=CareApplication.Status.ALLOCATED).order_by("pk"))
        for k, a in enumerate(placed):
            actions.record_attendance(a, attended=k % 29 != 5, acting_user=SYSTEM)
        actions.care_step(b, "close", acting_user=SYSTEM, on=starts + dt.timedelta(days=days))
    # A batch taking applications now, for the portal.
    today = timezone.localdate()
    actions.save_care_batch(
        CareBatch(
            kind=CareBatch.Kind.RECUPERATION,
            organiser=district,
            name=f"{today.year}年一线职工疗休养（报名中）",
            place="桐庐富春江",
            starts_on=today + dt.timedelta(days=60),
            days=5,
            capacity=30,
            cost_fen=250_000,
            applications_until=today + dt.timedelta(days=30),
        ),
        acting_user=SYSTEM,
    )


@step(96)
@transaction.atomic
def honours(scale: str = "small", out=print):
    if Programme.objects.exists():
        out("honours: demo records already present")
        return
    from gongjia.craftsmen.selectors import recuperation_entitled

    district = OrgUnit.objects.get(depth=1)
    pool = Pool(offset=5_000)
    mw, tl = _programmes(district)
    b_mw = _selection(mw, district, pool.take(*MODEL_WORKERS), 32, veto=25, objection=3)
    _selection(tl, district, pool.take(*TECH_LEADERS), 20)
    conferred = [
        n.member
        for n in b_mw.nominations.filter(status="conferred").select_related("member__union")
    ]
    # Earlier city titles recorded, so the honour base of the next city selection shows.
    for m in conferred[:8]:
        actions.record_honour(
            m.pk,
            unit=m.union,
            acting_user=SYSTEM,
            title="萧山区劳动模范（2015年）",
            kind=Programme.Kind.MODEL_WORKER,
            level=Level.DISTRICT,
            conferred_by="萧山区人民政府",
            conferred_on=dt.date(2015, 4, 28),
        )
    named = _pioneers(district)
    _studios(pool, conferred)
    _methods(pool)
    _party(pool)
    _posts(conferred, pool)
    craftsmen_ids = [
        e.title.member for e in recuperation_entitled().select_related("title__member__union")
    ]
    _care(district, pool, [m for m in craftsmen_ids if m.status == "active"][:6])
    developed = PartyDevelopment.objects.filter(
        probationary_on__year=2020, member__category__in=INDUSTRIAL
    ).count()
    out(
        f"honours: {Batch.objects.count()} selections, {named} worker-pioneer units, "
        f"{Studio.objects.filter(named_on__year=2020).count()} studios and "
        f"{developed} industrial workers admitted to the party in 2020"
    )
