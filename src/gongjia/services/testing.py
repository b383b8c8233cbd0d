"""Test support for the special services: a factory per scoped model (each row's text names its
town's code), and a few builders (a factory scheme of the proposed 100 points)."""

import datetime as dt
import itertools

from django.utils import timezone

from gongjia.members.testing import make_member
from gongjia.orgs.testing import make_enterprise
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory
from gongjia.rights.models import Checklist, ChecklistItem
from gongjia.rights.testing import village_of
from gongjia.services import actions
from gongjia.services.models import (
    BeautifulWorker,
    Booking,
    Campaign,
    ConductRecord,
    CounsellingRoom,
    Counsellor,
    Crisis,
    ExternalFigure,
    FactoryAssessment,
    FactoryScore,
    Fair,
    GateCount,
    HelmetBatch,
    HelmetIssue,
    HelmetPeriod,
    Hire,
    PersuasionPost,
    Placement,
    Posting,
    PostLog,
    RestStation,
    ScheduleSlot,
    Seeker,
    Session,
    SharedMove,
    SharedPoint,
    Shift,
    SpotCheck,
    StationCheck,
    StationVisits,
    Volunteer,
    ZeroHousehold,
)

_seq = itertools.count(1)

# services.md §4, the proposed scheme: six parts, 100 points; levels ≥ 90 / ≥ 80 / ≥ 70.
FACTORY_SCHEME = [
    ("1", "环境整洁", 20),
    ("2", "安全与职业健康", 20),
    ("3", "职工设施", 20),
    ("4", "绿化与垃圾分类", 10),
    ("5", "文化与文明", 15),
    ("6", "工会与民主管理", 15),
]
FACTORY_LEVELS = [
    {"grade": "示范", "min": 90},
    {"grade": "优秀", "min": 80},
    {"grade": "合格", "min": 70},
]


def factory_scheme(unit, name="美丽厂区评价标准"):
    c = Checklist.objects.create(
        name=name,
        unit=unit,
        effective_from=dt.date(2019, 1, 1),
        grades=FACTORY_LEVELS,
        certificate_years=3,
    )
    ChecklistItem.objects.bulk_create(
        [ChecklistItem(checklist=c, code=k, text=t, weight=w) for k, t, w in FACTORY_SCHEME]
    )
    return c


def set_status(obj, status: str, **fields):
    """Put a record in a state directly (test set-up; the steps are tested apart)."""
    type(obj).objects.filter(pk=obj.pk).update(status=status, **fields)
    obj.refresh_from_db()
    return obj


@factory(CounsellingRoom)
def make_room(tree, town, **fields):
    values = {
        "name": f"{town.code}-职工心理谈心室{next(_seq)}",
        "level": CounsellingRoom.Level.STATION,
        "address": "工人文化宫二楼",
        "hours": "周一至周五 9:00–17:00",
        "area_m2": 15,
        "opened_on": dt.date(2020, 5, 1),
        **fields,
    }
    return CounsellingRoom.objects.create(unit=town, **values)


@factory(Counsellor)
def make_counsellor(tree, town):
    return Counsellor.objects.create(
        unit=town,
        name=f"{town.code}-咨询师{next(_seq)}",
        organisation="心理服务中心",
        qualification=Counsellor.Qualification.OLD_L2,
        certificate_number="1100000000001",
        training_hours=120,
        contract_from=dt.date(2020, 1, 1),
        contract_until=dt.date(2030, 12, 31),
    )


@factory(ScheduleSlot)
def make_slot(tree, town):
    return ScheduleSlot.objects.create(
        room=make_room(tree, town),
        counsellor=make_counsellor(tree, town),
        weekday=2,
        starts_at=dt.time(9),
        ends_at=dt.time(12),
    )


@factory(Booking)
def make_booking(tree, town, room=None, **fields):
    values = {
        "channel": Booking.Channel.PHONE,
        "wanted_on": timezone.localdate() + dt.timedelta(days=3),
        "wanted_at": dt.time(10),
        "consent": True,
        **fields,
    }
    return actions.book(room or make_room(tree, town), acting_user=SYSTEM, **values)


@factory(Session)
def make_session(tree, town):
    return actions.record_session(
        make_room(tree, town),
        acting_user=SYSTEM,
        held_on=dt.date(2020, 7, 1),
        minutes=50,
        kind="individual",
        topic="work",
    )


@factory(Crisis)
def make_crisis(tree, town):
    return actions.record_crisis(
        make_room(tree, town),
        acting_user=SYSTEM,
        at=timezone.now(),
        taken=["stayed", "called_120"],
        outcome=Crisis.Outcome.HOSPITAL,
    )


@factory(Campaign)
def make_campaign(tree, town):
    return Campaign.objects.create(
        unit=town,
        kind=Campaign.Kind.SEASONS,
        name=f"{town.code}-四季如春春季行动{next(_seq)}",
        starts_on=dt.date(2020, 3, 1),
        ends_on=dt.date(2020, 5, 31),
    )


@factory(Fair)
def make_fair(tree, town):
    return Fair.objects.create(
        unit=town,
        held_on=dt.date(2020, 3, 20),
        venue=f"{town.code}-人力资源市场{next(_seq)}",
        employers=40,
        posts=600,
        visitors=1500,
        intentions=300,
        hires=120,
    )


@factory(Posting)
def make_posting(tree, town, **fields):
    values = {
        "occupation": f"{town.code}-装配工",
        "openings": 10,
        "pay_min": 4500,
        "pay_max": 6500,
        "weekly_hours": 40,
        "contract": Posting.Contract.FIXED,
        "posted_on": dt.date(2020, 3, 1),
        **fields,
    }
    return Posting.objects.create(
        unit=town,
        enterprise=values.pop("enterprise", None) or make_enterprise(tree, town),
        region=values.pop("region", None) or town.region,
        **values,
    )


@factory(Seeker)
def make_seeker(tree, town, member=None, **fields):
    member = member or make_member(tree, town)
    values = {
        "category": Seeker.Category.OLDER,
        "certified_on": dt.date(2020, 2, 1),
        "certified_by": "萧山区就业管理服务处",
        "certificate_number": f"JK{next(_seq):06d}",
        "occupation": f"{town.code}-装配工",
        "home_region": village_of(town),
        "pay_wanted": 4500,
        "registered_on": dt.date(2020, 2, 10),
        **fields,
    }
    return actions.register_seeker(
        Seeker(unit=town, **values), acting_user=SYSTEM, member_number=member.member_number
    )


@factory(Placement)
def make_placement(tree, town, seeker=None, **fields):
    seeker = seeker or make_seeker(tree, town)
    return actions.refer(
        seeker, acting_user=SYSTEM, enterprise=make_enterprise(tree, town), on=dt.date(2020, 3, 2)
    )


@factory(Hire)
def make_hire(tree, town):
    p = make_placement(tree, town)
    actions.record_hire(
        p,
        acting_user=SYSTEM,
        hired_on=dt.date(2020, 3, 16),
        evidence=Placement.Evidence.CONTRACT,
        evidence_reference="合同编号 2020-001",
    )
    return p.hires.get()


@factory(ZeroHousehold)
def make_zero_household(tree, town):
    return actions.confirm_zero_household(
        make_seeker(tree, town, category=Seeker.Category.ZERO_HOUSEHOLD),
        acting_user=SYSTEM,
        confirmed_on=dt.date(2020, 4, 1),
        confirmed_by=f"{town.code}-社区",
    )


@factory(ExternalFigure)
def make_external_figure(tree, town):
    return ExternalFigure.objects.create(
        unit=town,
        key=ExternalFigure.Key.URBAN_NEW_JOBS,
        year=2000 + next(_seq) % 50,
        value=16000,
        source=f"{town.code}-统计公报",
        published_on=dt.date(2021, 3, 1),
    )


@factory(HelmetPeriod)
def make_period(tree, town, **fields):
    start = dt.date(2020, 6, 1) + dt.timedelta(days=next(_seq) * 400)
    values = {
        "name": f"{town.code}-{start.year}年度",
        "starts_on": start,
        "ends_on": start + dt.timedelta(days=364),
        **fields,
    }
    return HelmetPeriod.objects.create(unit=town, **values)


@factory(HelmetBatch)
def make_helmet_batch(tree, town, period=None, **fields):
    period = period or make_period(tree, town)
    values = {
        "received_on": period.starts_on,
        "supplier": f"{town.code}-头盔供应商",
        "model": "QX-1",
        "type": HelmetBatch.Type.A,
        "size": "L",
        "standard": "GB 811-2022" if period.starts_on >= dt.date(2023, 7, 1) else "GB 811-2010",
        "ccc_number": "2020011101000001",
        "produced_on": period.starts_on - dt.timedelta(days=30),
        "quantity": 100,
        "unit_price_fen": 4500,
        "fund": HelmetBatch.Fund.UNION,
        **fields,
    }
    b = HelmetBatch(period=period, **values)
    b.full_clean()
    b.save()
    return b


@factory(HelmetIssue)
def make_helmet_issue(tree, town):
    batch = make_helmet_batch(tree, town)
    return actions.issue_helmet(
        batch, make_member(tree, town).pk, acting_user=SYSTEM, issued_on=batch.received_on
    )


@factory(SharedPoint)
def make_shared_point(tree, town):
    return SharedPoint.objects.create(
        unit=town,
        name=f"{town.code}-共享头盔点{next(_seq)}",
        address="镇政府门口",
        opened_on=dt.date(2020, 6, 1),
    )


@factory(SharedMove)
def make_shared_move(tree, town):
    batch = make_helmet_batch(tree, town)
    return actions.move_shared(
        make_shared_point(tree, town),
        batch,
        acting_user=SYSTEM,
        kind="stocked",
        quantity=20,
        on=batch.received_on,
    )


@factory(PersuasionPost)
def make_post(tree, town):
    return PersuasionPost.objects.create(
        unit=town,
        place=f"{town.code}-路口劝导岗{next(_seq)}",
        partner="交警中队",
        active_from=dt.date(2020, 6, 1),
    )


@factory(Shift)
def make_shift(tree, town, post=None, **fields):
    values = {
        "on": timezone.localdate() + dt.timedelta(days=1),
        "starts_at": dt.time(7),
        "ends_at": dt.time(9),
        "places": 3,
        **fields,
    }
    return Shift.objects.create(post=post or make_post(tree, town), **values)


@factory(Volunteer)
def make_volunteer(tree, town):
    return actions.sign_up(make_shift(tree, town), make_member(tree, town).pk)


@factory(PostLog)
def make_post_log(tree, town):
    return PostLog.objects.create(
        post=make_post(tree, town),
        on=dt.date(2020, 6, 5),
        hours=2,
        staff=3,
        observed=400,
        without_helmet=60,
        persuaded=55,
        lent=10,
    )


@factory(GateCount)
def make_gate_count(tree, town):
    return GateCount.objects.create(
        enterprise=make_enterprise(tree, town),
        unit=town,
        on=dt.date(2020, 9, 1),
        riders=200,
        observed=180,
        wearing=150,
    )


@factory(FactoryAssessment)
def make_assessment(tree, town, **fields):
    values = {"year": 2020, **fields}
    return actions.apply_factory(
        values.pop("enterprise", None) or make_enterprise(tree, town),
        acting_user=SYSTEM,
        unit=town,
        checklist=values.pop("checklist", None) or factory_scheme(town),
        **values,
    )


@factory(FactoryScore)
def make_factory_score(tree, town):
    a = make_assessment(tree, town)
    actions.score_factory(a, acting_user=SYSTEM, stage="self", scores={"1": 90})
    return a.scores.get()


@factory(SpotCheck)
def make_spot_check(tree, town):
    a = set_status(
        make_assessment(tree, town),
        FactoryAssessment.Status.NAMED,
        named_on=dt.date(2020, 12, 1),
        expires_on=dt.date(2023, 11, 30),
        level="优秀",
    )
    return SpotCheck.objects.create(assessment=a, year=2021, drawn_on=dt.date(2021, 3, 1))


@factory(ConductRecord)
def make_conduct(tree, town):
    return ConductRecord.objects.create(
        member=make_member(tree, town),
        unit=town,
        kind=ConductRecord.Kind.SANCTION,
        on=dt.date(2020, 5, 1),
        source=f"{town.code}-处分决定",
    )


@factory(BeautifulWorker)
def make_beautiful_worker(tree, town, member=None, **fields):
    member = member or make_member(tree, town, employer=make_enterprise(tree, town))
    values = {"year": 2020, "grounds": ["civility"], "deeds": "热心公益", **fields}
    return actions.nominate_worker(member.pk, acting_user=SYSTEM, unit=town, **values)


@factory(RestStation)
def make_station(tree, town, **fields):
    values = {
        "name": f"{town.code}-爱心驿家{next(_seq)}",
        "host": "农商银行网点",
        "address": "人民路1号",
        "hours": "8:00–20:00",
        "facilities": ["water", "microwave", "charging", "seats"],
        "opened_on": dt.date(2020, 4, 1),
        **fields,
    }
    return RestStation.objects.create(unit=town, region=town.region, **values)


@factory(StationVisits)
def make_station_visits(tree, town):
    return actions.report_visits(
        make_station(tree, town), acting_user=SYSTEM, month=dt.date(2020, 6, 1), visits=320
    )


@factory(StationCheck)
def make_station_check(tree, town):
    return actions.record_station_check(
        make_station(tree, town),
        acting_user=SYSTEM,
        checked_on=dt.date(2020, 11, 1),
        facilities=["water", "seats"],
        passed=True,
    )
