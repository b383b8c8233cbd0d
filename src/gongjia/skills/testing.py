"""Test support for skill competitions: a factory per scoped model (each row's text names its
town's code), and `marked_event`, an event ready to mark with its scheme, panel and entries."""

import datetime as dt
import itertools
from decimal import Decimal

from gongjia.accounts import actions as accounts
from gongjia.members.testing import make_member
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory
from gongjia.skills import actions
from gongjia.skills.models import (
    Appeal,
    Aspect,
    Competition,
    Criterion,
    Entrant,
    Entry,
    Event,
    Judge,
    Mark,
    PanelSeat,
    Promotion,
    Recheck,
    Scheme,
    Score,
    Section,
    SubCriterion,
    Trade,
    Unlock,
)

_seq = itertools.count(1)
S = Competition.Status


def set_status(competition: Competition, status: str) -> Competition:
    """Put a competition in a state directly (test set-up; the steps are tested apart)."""
    Competition.objects.filter(pk=competition.pk).update(status=status)
    competition.refresh_from_db()
    return competition


@factory(Competition)
def make_competition(tree, town, **fields):
    n = next(_seq)
    values = {
        "name": f"{town.code}-技术比武-{n}",
        "level": Competition.Level.TOWN,
        "year": 2020,
        "starts_on": dt.date(2020, 6, 1),
        "ends_on": dt.date(2020, 6, 3),
        **fields,
    }
    return Competition.objects.create(organiser=town, **values)


@factory(Event)
def make_event(tree, town, competition=None, **fields):
    trade = Trade.objects.create(name=f"{town.code}-工种-{next(_seq)}")
    return Event.objects.create(
        competition=competition or make_competition(tree, town), trade=trade, **fields
    )


@factory(Scheme)
def make_scheme(tree, town, event=None):
    """A scheme of two sections (60 + 40): a judgement aspect of 0.75, a pass/fail of 59.25 in
    the first, a number-completed of 40 in the second."""
    scheme = Scheme.objects.create(event=event or make_event(tree, town))
    s1 = Section.objects.create(scheme=scheme, number="1", title=f"{town.code}-工作组织", weight=60)
    s2 = Section.objects.create(scheme=scheme, number="2", title=f"{town.code}-工件质量", weight=40)
    crit = Criterion.objects.create(scheme=scheme, letter="A", title=f"{town.code}-模块A")
    sub = SubCriterion.objects.create(criterion=crit, code="A1", title=f"{town.code}-第一天")
    Aspect.objects.create(
        sub=sub,
        section=s1,
        order=1,
        kind=Aspect.Kind.JUDGEMENT,
        description=f"{town.code}-工作区域整洁",
        max_mark=Decimal("0.75"),
    )
    Aspect.objects.create(
        sub=sub,
        section=s1,
        order=2,
        kind=Aspect.Kind.MEASUREMENT,
        calculation=Aspect.Calculation.PASS_FAIL,
        description=f"{town.code}-尺寸合格",
        max_mark=Decimal("59.25"),
    )
    Aspect.objects.create(
        sub=sub,
        section=s2,
        order=3,
        kind=Aspect.Kind.MEASUREMENT,
        calculation=Aspect.Calculation.COMPLETED,
        params={"n": 4},
        description=f"{town.code}-完成工序",
        max_mark=Decimal("40"),
    )
    return scheme


@factory(Section)
def make_section(tree, town):
    return make_scheme(tree, town).sections.first()


@factory(Criterion)
def make_criterion(tree, town):
    return make_scheme(tree, town).criteria.first()


@factory(SubCriterion)
def make_sub(tree, town):
    return make_criterion(tree, town).subs.first()


@factory(Aspect)
def make_aspect(tree, town):
    return make_sub(tree, town).aspects.first()


@factory(Judge)
def make_judge(tree, town, affiliations=(), name=""):
    n = next(_seq)
    user, _secret = accounts.create_user(
        f"referee-{town.code}-{n}".lower(),
        acting_user=SYSTEM,
        password="Marking-2026-Safe",
        role="judge",
        unit=town,
        must_change_password=False,
    )
    judge = Judge.objects.create(user=user, name=name or f"{town.code}-裁判{n}", unit=town)
    judge.affiliations.set(affiliations)
    return judge


def _open(event: Event, status=S.REGISTRATION):
    set_status(event.competition, status)


@factory(Entry)
def make_entry(tree, town, event=None, member=None, **fields):
    event = event or make_event(tree, town)
    previous = event.competition.status
    _open(event)
    member = member or make_member(tree, town)
    entry = actions.register_entry(event, [member.pk], acting_user=SYSTEM, **fields)
    if previous != S.REGISTRATION:
        set_status(event.competition, previous)
    return entry


@factory(Entrant)
def make_entrant(tree, town):
    return make_entry(tree, town).entrants.get()


@factory(PanelSeat)
def make_seat(tree, town):
    event = make_event(tree, town)
    return actions.seat_judge(event, make_judge(tree, town), acting_user=SYSTEM)


def marked_event(tree, town, *, entrants=3, judges=3, chief=True, affiliations=None):
    """An event ready to mark: its scheme approved, a panel seated, entrants registered, the
    competition open for marking. Gives (event, judges, entries)."""
    event = make_event(tree, town)
    scheme = make_scheme(tree, town, event)
    actions.scheme_step(scheme, "approve", acting_user=SYSTEM)
    panel = [
        make_judge(tree, town, affiliations=(affiliations or {}).get(i, ())) for i in range(judges)
    ]
    for i, judge in enumerate(panel):
        actions.seat_judge(event, judge, acting_user=SYSTEM, chief=chief and i == 0)
    _open(event)
    entries = [
        actions.register_entry(event, [make_member(tree, town).pk], acting_user=SYSTEM)
        for _ in range(entrants)
    ]
    actions.step(event.competition, "start_marking", acting_user=SYSTEM)
    event.refresh_from_db()
    return event, panel, entries


def mark_all(event, panel, entries, judged=(2, 2, 3), passed=True, completed=4):
    """Every aspect of every entry scored (the same scores for each), and signed."""
    aspects = list(Aspect.objects.filter(sub__criterion__scheme__event=event).order_by("order"))
    for entry in entries:
        for a in aspects:
            if a.kind == Aspect.Kind.JUDGEMENT:
                for judge, s in zip(panel, judged, strict=False):
                    actions.enter_score(entry, a, s, acting_user=judge.user)
            else:
                value = passed if a.calculation == Aspect.Calculation.PASS_FAIL else completed
                actions.enter_score(entry, a, value, acting_user=panel[0].user)
        for judge in panel:
            actions.sign(entry, acting_user=judge.user)


@factory(Mark)
def make_mark(tree, town):
    event, panel, (entry, *_rest) = marked_event(tree, town, entrants=1)
    aspect = Aspect.objects.filter(sub__criterion__scheme__event=event).order_by("order")[1]
    return actions.enter_score(entry, aspect, True, acting_user=panel[0].user)


@factory(Score)
def make_score(tree, town):
    return make_mark(tree, town).scores.get()


@factory(Unlock)
def make_unlock(tree, town):
    mark = make_mark(tree, town)
    Mark.objects.filter(pk=mark.pk).update(status=Mark.Status.LOCKED)
    mark.refresh_from_db()
    officer, _secret = accounts.create_user(
        f"unlocker-{town.code}-{next(_seq)}".lower(),
        acting_user=SYSTEM,
        password="Marking-2026-Safe",
        role="town_officer",
        unit=town,
    )
    return actions.request_unlock(mark, "核对原始记录", acting_user=officer)


@factory(Recheck)
def make_recheck(tree, town):
    event = make_event(tree, town)
    return Recheck.objects.create(event=event, seed="test")


@factory(Appeal)
def make_appeal(tree, town):
    return Appeal.objects.create(entry=make_entry(tree, town), grounds=f"{town.code} 申诉")


@factory(Promotion)
def make_promotion(tree, town):
    entry = make_entry(tree, town)
    member = entry.entrants.get().member
    return Promotion.objects.create(entry=entry, member=member, from_level=0, to_level=4)
