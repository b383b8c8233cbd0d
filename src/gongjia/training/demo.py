"""Demo training, reproducing seed programme 7 from records: the craftsman academy's courses
and its classes of 2018–2020 (public ones and ones customised for enterprises), their sessions,
attendance, assessments and certificates; 8 enterprises named district training bases in 2020
and one enterprise learning station; and the "百千万" plan of 2018–2020, met from the records:
at least 100 craftsman-type talents, 1,000 applied technical backbones and 10,000 frontline
professional workers. A class open for enrolment and an application for a base wait in 2021."""

import datetime as dt
import random

from django.db import transaction

from gongjia.members.selectors import SkillLevel, active_members
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform.demo import step
from gongjia.platform.scope import SYSTEM
from gongjia.skills.selectors import CompetitionLevel
from gongjia.training import actions, steps
from gongjia.training.models import (
    Attendance,
    ClassSession,
    Course,
    Enrolment,
    Plan,
    PlanTier,
    TrainingBase,
    TrainingClass,
)

L = SkillLevel
COURSES = [  # (name, level trained for, theory hours, practice hours)
    ("数控车工（中级）技能提升", L.LEVEL4, 40, 80),
    ("焊工（高级）技能提升", L.LEVEL3, 48, 96),
    ("电工（高级）技能提升", L.LEVEL3, 48, 96),
    ("工业机器人系统操作（技师）研修", L.LEVEL2, 60, 120),
    ("可编程控制系统应用（技师）研修", L.LEVEL2, 60, 120),
    ("安全生产与职业健康", L.NONE, 16, 8),
    ("新型学徒制岗位技能", L.LEVEL5, 24, 72),
    ("精益生产与班组管理", L.NONE, 24, 8),
]
FRONTLINE_PER_YEAR = 3_600  # completions of the other courses, per year of the plan
SENIOR_PER_YEAR = 380  # certified 高级工 on the senior courses
TECHNICIAN_PER_YEAR = 40  # certified 技师 on the technician courses
PER_CLASS = 100
BASES = 8


def _enterprises(n):
    return list(Enterprise.objects.filter(union__isnull=False).order_by("pk")[:n])


def _bases(district, enterprises):
    bases = []
    for e in enterprises[:BASES]:
        bases.append(
            TrainingBase(
                enterprise=e,
                authority=district,
                kind=TrainingBase.Kind.BASE,
                title="萧山区产业工人培训基地",
                applied_on=dt.date(2020, 3, 2),
                application="实训场地、设备设施和内训师队伍齐备，面向区内企业职工开放培训。",
                checklist={i["key"]: True for i in steps.checklist_items(dt.date(2020, 3, 2))},
                status=TrainingBase.Status.NAMED,
                named_on=dt.date(2020, 4, 28),
                term_until=dt.date(2023, 4, 27),
            )
        )
    station = enterprises[BASES]
    bases.append(
        TrainingBase(
            enterprise=station,
            authority=district,
            kind=TrainingBase.Kind.STATION,
            title="产业工人能量“加油站”",
            applied_on=dt.date(2019, 9, 2),
            application="企业职工学习阵地：职工书屋、技能微课堂、劳模工匠讲堂。",
            checklist={i["key"]: True for i in steps.checklist_items(dt.date(2019, 9, 2))},
            status=TrainingBase.Status.NAMED,
            named_on=dt.date(2019, 11, 1),
            term_until=dt.date(2022, 10, 31),
        )
    )
    return TrainingBase.objects.bulk_create(bases)


def _class_batch(year, k, course, organiser, base, enterprise, members, rng, level):
    starts = dt.date(year, 3 + k % 9, 1 + k % 20)
    ends = starts + dt.timedelta(days=4)
    c = TrainingClass.objects.create(
        course=course,
        name=f"{year}年匠心学院{course.name}（第{k + 1}期）",
        organiser=organiser,
        kind=TrainingClass.Kind.CUSTOMISED if enterprise else TrainingClass.Kind.PUBLIC,
        enterprise=enterprise,
        base=base,
        requested_on=starts - dt.timedelta(days=30) if enterprise else None,
        request="结合企业岗位需求开设定制班" if enterprise else "",
        programme="理论与实操结合，结业考核" if enterprise else "",
        cost_enterprise=3_000_000 if enterprise else 0,
        cost_federation=2_000_000,
        starts_on=starts,
        ends_on=ends,
        venue=base.enterprise.name if base else "萧山区职工服务中心",
        capacity=max(len(members), 1),
        status=TrainingClass.Status.CLOSED,
    )
    sessions = ClassSession.objects.bulk_create(
        [
            ClassSession(
                training_class=c,
                on=starts + dt.timedelta(days=d),
                starts_at=dt.time(9),
                ends_at=dt.time(16),
                kind=ClassSession.Kind.THEORY if d < 2 else ClassSession.Kind.PRACTICE,
                topic=f"{course.name}·第{d + 1}讲",
            )
            for d in range(2)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                training_class=c,
                member=m,
                union=m.union,
                channel=Enrolment.Channel.UNION,
                status=Enrolment.Status.COMPLETED,
                score=70 + rng.randint(0, 29),
                level_reached=level,
                completed_on=ends,
            )
            for m in members
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=s,
                enrolment=e,
                at=dt.datetime.combine(s.on, s.starts_at, dt.UTC),
                how=Attendance.How.QR,
            )
            for e in enrolments
            for s in sessions
        ]
    )
    return [e.pk for e in enrolments], ends


@step(93)
@transaction.atomic
def training(scale: str = "small", out=print):
    if Course.objects.exists():
        out("training: demo records already present")
        return
    rng = random.Random(7)
    district = OrgUnit.objects.get(depth=1)
    enterprises = _enterprises(BASES + 4)
    bases = _bases(district, enterprises)
    courses = Course.objects.bulk_create(
        [
            Course(
                name=name,
                level=level,
                theory_hours=t,
                practice_hours=p,
                teachers="匠心学院讲师团、劳模工匠",
            )
            for name, level, t, p in COURSES
        ]
    )
    senior = [c for c in courses if c.level == L.LEVEL3]
    technician = [c for c in courses if c.level == L.LEVEL2]
    general = [c for c in courses if c.level not in (L.LEVEL3, L.LEVEL2)]
    per_year = FRONTLINE_PER_YEAR + SENIOR_PER_YEAR + TECHNICIAN_PER_YEAR
    pool = active_members(per_year * 3)
    taken, done = 0, 0
    for year in (2018, 2019, 2020):
        by_day: dict = {}
        batches = (
            [(technician, TECHNICIAN_PER_YEAR, L.LEVEL2)]
            + [(senior, SENIOR_PER_YEAR, L.LEVEL3)]
            + [(general, FRONTLINE_PER_YEAR, L.NONE)]
        )
        k = 0
        for group, total, level in batches:
            for start in range(0, total, PER_CLASS):
                n = min(PER_CLASS, total - start)
                members = pool[taken : taken + n]
                taken += n
                course = group[k % len(group)]
                # The bases hold classes from their naming on.
                base = bases[k % BASES] if year == 2020 and k % 2 == 0 else None
                ids, ends = _class_batch(year, k, course, district, base, None, members, rng, level)
                by_day.setdefault(ends, []).extend(ids)
                done += len(ids)
                k += 1
        if year == 2020:
            # A class customised for the base enterprise with the most members here, at its
            # request, for its own workers.
            staff: dict = {}
            for m in pool[taken:]:
                staff.setdefault(m.employer_id, []).append(m)
            base = max(bases[:BASES], key=lambda b: len(staff.get(b.enterprise_id, [])))
            own = staff.get(base.enterprise_id, [])[:PER_CLASS]
            if own:
                ids, ends = _class_batch(
                    year, k, general[0], district, base, base.enterprise, own, rng, L.NONE
                )
                by_day.setdefault(ends, []).extend(ids)
                done += len(ids)
        for day, ids in sorted(by_day.items()):
            steps.issue_certificates(ids, day)
    plan = Plan.objects.create(
        name="“百千万”产业工人培育计划", organiser=district, first_year=2018, last_year=2020
    )
    above_district = [
        CompetitionLevel.DISTRICT,
        CompetitionLevel.CITY,
        CompetitionLevel.PROVINCIAL,
        CompetitionLevel.NATIONAL,
        CompetitionLevel.WORLDSKILLS,
    ]
    PlanTier.objects.bulk_create(
        [
            PlanTier(
                plan=plan,
                key=PlanTier.Key.CRAFTSMAN_TALENT,
                rank=1,
                target=100,
                criteria=[
                    {"kind": "level", "min_level": int(L.LEVEL2)},
                    {"kind": "competition", "levels": above_district, "max_place": 3},
                ],
            ),
            PlanTier(
                plan=plan,
                key=PlanTier.Key.TECHNICAL_BACKBONE,
                rank=2,
                target=1_000,
                criteria=[
                    {"kind": "level", "min_level": int(L.LEVEL3)},
                    {"kind": "competition", "levels": above_district, "max_place": 12},
                ],
            ),
            PlanTier(
                plan=plan,
                key=PlanTier.Key.FRONTLINE_WORKER,
                rank=3,
                target=10_000,
                criteria=[{"kind": "training", "min_level": 0}],
            ),
        ]
    )
    # What waits in the spring of 2021: a public class taking enrolments, and an application.
    c = TrainingClass.objects.create(
        course=courses[0],
        name="2021年匠心学院数控车工（中级）技能提升（春季班）",
        organiser=district,
        starts_on=dt.date(2021, 4, 12),
        ends_on=dt.date(2021, 4, 16),
        venue="萧山区职工服务中心",
        capacity=60,
    )
    ClassSession.objects.create(
        training_class=c,
        on=c.starts_on,
        starts_at=dt.time(9),
        ends_at=dt.time(16),
        topic="数控车床编程基础",
    )
    actions.class_step(c, "open", acting_user=SYSTEM, on=dt.date(2021, 3, 1))
    actions.apply_base(
        enterprises[BASES + 1],
        authority=district,
        kind=TrainingBase.Kind.BASE,
        title="萧山区产业工人培训基地",
        application="新建实训中心，拟面向区内企业开放。",
        applied_on=dt.date(2021, 3, 8),
        acting_user=SYSTEM,
    )
    out(
        f"training: {len(courses)} courses, {done:,} completions 2018–2020, {BASES} training"
        " bases and a learning station, the 百千万 plan with its three tiers"
    )
