"""Test support for training: a factory per scoped model (each row's text names its town's
code), and `running_class`, a class under way with its sessions and enrolled members."""

import datetime as dt
import itertools

from gongjia.members.testing import make_member
from gongjia.orgs.testing import make_enterprise
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory
from gongjia.training import actions
from gongjia.training.models import (
    Attendance,
    BaseReview,
    Certificate,
    ClassSession,
    Course,
    Enrolment,
    Plan,
    PlanTier,
    TrainingBase,
    TrainingClass,
)

_seq = itertools.count(1)
K = TrainingClass.Status


def set_status(obj, status: str):
    """Put a record in a state directly (test set-up; the steps are tested apart)."""
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()
    return obj


def make_course(name=None, **fields) -> Course:
    n = next(_seq)
    values = {"name": name or f"课程{n}", "theory_hours": 16, "practice_hours": 24, **fields}
    return Course.objects.create(**values)


@factory(TrainingClass)
def make_class(tree, town, **fields):
    n = next(_seq)
    values = {
        "name": f"{town.code}-培训班-{n}",
        "starts_on": dt.date(2020, 6, 1),
        "ends_on": dt.date(2020, 6, 5),
        "capacity": 50,
        **fields,
    }
    course = values.pop("course", None) or make_course(f"{town.code}-课程-{n}")
    return TrainingClass.objects.create(course=course, organiser=town, **values)


@factory(ClassSession)
def make_session(tree, town, training_class=None, **fields):
    c = training_class or make_class(tree, town)
    values = {
        "on": c.starts_on,
        "starts_at": dt.time(9),
        "ends_at": dt.time(11, 30),
        "topic": f"{town.code}-课时",
        **fields,
    }
    return ClassSession.objects.create(training_class=c, **values)


@factory(Enrolment)
def make_enrolment(tree, town, training_class=None, member=None):
    c = training_class or make_class(tree, town)
    member = member or make_member(tree, town)
    return Enrolment.objects.create(
        training_class=c, member=member, union=member.union, channel=Enrolment.Channel.UNION
    )


@factory(Attendance)
def make_attendance(tree, town):
    e = make_enrolment(tree, town)
    session = make_session(tree, town, training_class=e.training_class)
    return Attendance.objects.create(
        session=session, enrolment=e, at=dt.datetime(2020, 6, 1, 9, tzinfo=dt.UTC), how="roll"
    )


@factory(Certificate)
def make_certificate(tree, town):
    e = make_enrolment(tree, town)
    return Certificate.objects.create(
        enrolment=e, number=f"{town.code}-JX-{next(_seq)}", issued_on=dt.date(2020, 6, 5)
    )


@factory(TrainingBase)
def make_base(tree, town, **fields):
    enterprise = make_enterprise(tree, town)
    values = {
        "kind": TrainingBase.Kind.BASE,
        "title": f"{town.code}-培训基地",
        "applied_on": dt.date(2020, 3, 1),
        "application": "场地、设备、师资齐备",
        "authority": town,
        **fields,
    }
    return TrainingBase.objects.create(enterprise=enterprise, **values)


@factory(BaseReview)
def make_review(tree, town):
    return BaseReview.objects.create(
        base=make_base(tree, town), year=2020, reviewed_on=dt.date(2020, 12, 1), passed=True
    )


@factory(Plan)
def make_plan(tree, town, **fields):
    values = {"name": f"{town.code}-培育计划", "first_year": 2018, "last_year": 2020, **fields}
    return Plan.objects.create(organiser=town, **values)


@factory(PlanTier)
def make_tier(tree, town, plan=None, **fields):
    values = {
        "key": PlanTier.Key.FRONTLINE_WORKER,
        "rank": 3,
        "target": 10,
        "criteria": [{"kind": "training", "min_level": 0}],
        **fields,
    }
    return PlanTier.objects.create(plan=plan or make_plan(tree, town), **values)


def running_class(tree, town, *, people=3, sessions=2, **fields):
    """A class under way: `sessions` sessions, `people` members enrolled (returned)."""
    c = make_class(tree, town, **fields)
    for k in range(sessions):
        make_session(tree, town, training_class=c, on=c.starts_on + dt.timedelta(days=k))
    set_status(c, K.ENROLLING)
    members = [make_member(tree, town) for _ in range(people)]
    enrolments = [
        actions.enrol(c, m.pk, acting_user=SYSTEM, channel=Enrolment.Channel.UNION) for m in members
    ]
    set_status(c, K.RUNNING)
    return c, enrolments
