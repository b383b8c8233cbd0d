"""Test support for honours: a factory per scoped model (each row's text names its town's code),
`assembling`, a batch of a programme being assembled, and `nominee`, a member of a category."""

import datetime as dt
import itertools

from django.utils import timezone

from gongjia.honours import actions
from gongjia.honours.models import (
    Batch,
    CareApplication,
    CareBatch,
    Clearance,
    Honour,
    Level,
    MassOrgPost,
    NamedMethod,
    Nomination,
    Objection,
    PartyDevelopment,
    PioneerUnit,
    Programme,
    SafetyIncident,
    Studio,
    StudioGrant,
    StudioMember,
)
from gongjia.members.testing import make_member
from gongjia.orgs.testing import make_enterprise
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory

_seq = itertools.count(1)


def set_status(obj, status: str, **fields):
    """Put a record in a state directly (test set-up; the steps are tested apart)."""
    type(obj).objects.filter(pk=obj.pk).update(status=status, **fields)
    obj.refresh_from_db()
    return obj


def nominee(tree, town, industrial=True, **fields):
    return make_member(tree, town, category="operator" if industrial else "other", **fields)


@factory(Programme)
def make_programme(tree, town, **fields):
    values = {
        "name": f"{town.code}-劳动模范",
        "kind": Programme.Kind.MODEL_WORKER,
        "level": Level.DISTRICT,
        "rules": [{"category": "industrial", "op": ">", "pct": "60", "base": "all"}],
        "departments": ["市场监管局", "税务局"],
        "notice_working_days": 5,
        **fields,
    }
    return Programme.objects.create(organiser=town, **values)


@factory(Batch)
def make_batch(tree, town, programme=None, **fields):
    values = {"name": f"{town.code}-2020年劳模评选", "year": 2020, "places": 10, **fields}
    return actions.save_batch(
        None,
        acting_user=SYSTEM,
        programme=programme or make_programme(tree, town),
        organiser=town,
        **values,
    )


assembling = make_batch


def nominate(tree, batch, member, **fields):
    values = {
        "deeds": "先进事迹",
        "appraisal_on": dt.date(2020, 3, 2),
        "appraisal_evidence": "民主评议记录",
        "congress_on": dt.date(2020, 3, 10),
        "congress_evidence": "职代会决议",
        **fields,
    }
    return actions.nominate(
        batch,
        member.pk,
        unit=member.union,
        acting_user=SYSTEM,
        nominated_on=dt.date(2020, 3, 20),
        **values,
    )


@factory(Nomination)
def make_nomination(tree, town, batch=None, member=None, **fields):
    return nominate(tree, batch or make_batch(tree, town), member or nominee(tree, town), **fields)


@factory(Clearance)
def make_clearance(tree, town):
    n = make_nomination(tree, town)
    set_status(n.batch, Batch.Status.CLEARANCE)
    return actions.record_clearance(
        n, department="市场监管局", result="cleared", acting_user=SYSTEM, on=dt.date(2020, 4, 1)
    )


@factory(Objection)
def make_objection(tree, town):
    n = make_nomination(tree, town)
    b = set_status(
        n.batch,
        Batch.Status.NOTICE,
        notice_from=dt.date(2020, 5, 6),
        notice_until=dt.date(2020, 5, 12),
    )
    return actions.record_objection(
        n,
        name=f"{town.code}-张三",
        content="反映情况",
        received_on=b.notice_from,
        acting_user=SYSTEM,
    )


@factory(Honour)
def make_honour(tree, town, member=None, **fields):
    member = member or nominee(tree, town)
    values = {
        "title": f"{town.code}-市劳动模范",
        "kind": Programme.Kind.MODEL_WORKER,
        "level": Level.CITY,
        "conferred_by": "杭州市人民政府",
        "conferred_on": dt.date(2018, 4, 28),
        **fields,
    }
    return actions.record_honour(member.pk, unit=member.union, acting_user=SYSTEM, **values)


@factory(MassOrgPost)
def make_post(tree, town):
    m = nominee(tree, town)
    return MassOrgPost.objects.create(
        member=m,
        unit=m.union,
        organisation=f"{town.code}-区总工会",
        post="兼职副主席",
        term_from=dt.date(2019, 1, 1),
    )


@factory(SafetyIncident)
def make_incident(tree, town, enterprise=None, **fields):
    values = {
        "kind": SafetyIncident.Kind.ACCIDENT,
        "occurred_on": dt.date(2018, 6, 1),
        "description": f"{town.code}-一般生产安全事故",
        "source": "应急管理局事故调查报告",
        **fields,
    }
    return SafetyIncident.objects.create(
        enterprise=enterprise or make_enterprise(tree, town), unit=town, **values
    )


@factory(PioneerUnit)
def make_pioneer(tree, town, enterprise=None, **fields):
    values = {
        "name": f"{town.code}-甲班",
        "kind": PioneerUnit.Kind.TEAM,
        "level": Level.DISTRICT,
        "year": 2020,
        "deeds": "班组事迹",
        **fields,
    }
    return PioneerUnit.objects.create(
        enterprise=enterprise or make_enterprise(tree, town), unit=town, **values
    )


@factory(Studio)
def make_studio(tree, town, leader=None, **fields):
    leader = leader or nominee(tree, town)
    values = {
        "name": f"{town.code}-{leader.name}创新工作室",
        "level": Level.DISTRICT,
        "founded_on": dt.date(2019, 3, 1),
        "haves": ["plaque", "place", "rules", "funds", "team", "ledger", "results"],
        **fields,
    }
    return Studio.objects.create(leader=leader, unit=leader.union, **values)


@factory(StudioMember)
def make_studio_member(tree, town, studio=None):
    studio = studio or make_studio(tree, town)
    return StudioMember.objects.create(
        studio=studio, member=nominee(tree, town), role="骨干", joined_on=dt.date(2019, 3, 1)
    )


@factory(StudioGrant)
def make_studio_grant(tree, town):
    return StudioGrant.objects.create(
        studio=make_studio(tree, town), kind="naming", amount_fen=2_000_000, on=dt.date(2020, 5, 1)
    )


@factory(NamedMethod)
def make_method(tree, town, inventor=None, **fields):
    inventor = inventor or nominee(tree, town)
    values = {
        "post": "数控车工",
        "results_since": dt.date(2018, 1, 1),
        "documentation": f"{town.code}-操作法说明",
        "trained": 12,
        **fields,
    }
    return actions.propose_method(inventor.pk, unit=inventor.union, acting_user=SYSTEM, **values)


@factory(PartyDevelopment)
def make_party(tree, town, member=None, **fields):
    member = member or nominee(tree, town)
    values = {
        "consent_on": dt.date(2019, 3, 1),
        "applied_on": dt.date(2019, 3, 1),
        "activist_on": dt.date(2019, 6, 1),
        "probationary_on": dt.date(2020, 7, 1),
        **fields,
    }
    return PartyDevelopment.objects.create(member=member, unit=member.union, **values)


@factory(CareBatch)
def make_care_batch(tree, town, **fields):
    values = {
        "kind": CareBatch.Kind.RECUPERATION,
        "name": f"{town.code}-疗休养第{next(_seq)}批",
        "place": "淳安千岛湖",
        "starts_on": dt.date(2020, 10, 12),
        "days": 5,
        "capacity": 2,
        "cost_fen": 250_000,
        "applications_until": dt.date(2020, 9, 30),
        **fields,
    }
    return actions.save_care_batch(CareBatch(organiser=town, **values), acting_user=SYSTEM)


@factory(CareApplication)
def make_application(tree, town, batch=None, member=None, at=None, **fields):
    batch = batch or make_care_batch(tree, town)
    member = member or nominee(tree, town)
    values = {"post_since": dt.date(2015, 1, 1), **fields}
    at = at or timezone.make_aware(dt.datetime(2020, 9, 1, 9, 0))
    return actions.apply_for_place(batch, member.pk, acting_user=SYSTEM, at=at, **values)
