"""Test support for the craftsman title: a factory per scoped model (each row's text names its
town's code), and `open_round`, a round taking nominations on the district's scheme."""

import datetime as dt
import itertools

from gongjia.accounts.models import User
from gongjia.craftsmen import actions
from gongjia.craftsmen.models import (
    Award,
    AwardBatch,
    AwardPayment,
    Entitlement,
    Nomination,
    Objection,
    PanelMember,
    ReviewScore,
    Round,
    Title,
)
from gongjia.members.testing import make_member
from gongjia.platform import validators
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory

_seq = itertools.count(1)


def set_status(obj, status: str):
    """Put a record in a state directly (test set-up; the steps are tested apart)."""
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()
    return obj


def person(tree, town, born: dt.date, **fields):
    """A member born on `born` (the register reads the birth date off the ID number)."""
    body = f"330109{born:%Y%m%d}{next(_seq) % 1000:03d}"
    return make_member(tree, town, id_number=body + validators.id_check_char(body), **fields)


def _user(town, name="panel"):
    return User.objects.create(username=f"{town.code}-{name}-{next(_seq)}", full_name="评审专家")


@factory(Round)
def make_round(tree, town, **fields):
    values = {
        "number": next(_seq),
        "name": f"{town.code}-工匠评选",
        "year": 2020,
        "nominations_from": dt.date(2020, 5, 1),
        "nominations_until": dt.date(2020, 6, 30),
        **fields,
    }
    return actions.save_round(None, acting_user=SYSTEM, organiser=town, **values)


def open_round(tree, town, **fields):
    r = make_round(tree, town, **fields)
    return actions.round_step(r, "open", acting_user=SYSTEM, on=r.nominations_from)


@factory(PanelMember)
def make_panel_member(tree, town):
    return PanelMember.objects.create(round=make_round(tree, town), user=_user(town))


@factory(Nomination)
def make_nomination(tree, town, round=None, member=None, **fields):
    r = round or open_round(tree, town)
    member = member or person(tree, town, dt.date(1980, 1, 1))
    values = {
        "skill": f"{town.code}-数控车工",
        "skill_since": dt.date(2005, 1, 1),
        "frontline": True,
        "claimed": ["unique_skill"],
        "evidence": f"{town.code}-事迹材料",
        **fields,
    }
    return actions.nominate(
        r,
        member.pk,
        unit=member.union,
        acting_user=SYSTEM,
        submitted_on=r.nominations_from,
        **values,
    )


@factory(ReviewScore)
def make_score(tree, town):
    n = make_nomination(tree, town)
    return ReviewScore.objects.create(nomination=n, judge=_user(town), item="skill", points=25)


@factory(Objection)
def make_objection(tree, town):
    return Objection.objects.create(
        nomination=make_nomination(tree, town),
        name=f"{town.code}-实名",
        received_on=dt.date(2020, 7, 2),
        content="反映情况",
    )


@factory(Title)
def make_title(tree, town, nomination=None, **fields):
    n = nomination or make_nomination(tree, town)
    values = {
        "kind": Title.Kind.TITLE,
        "number": f"{town.code}-GJ-{next(_seq)}",
        "held_from": dt.date(2020, 9, 26),
        **fields,
    }
    return Title.objects.create(round=n.round, nomination=n, member=n.member, unit=n.unit, **values)


@factory(Entitlement)
def make_entitlement(tree, town):
    return Entitlement.objects.create(
        title=make_title(tree, town),
        kind=Entitlement.Kind.RECUPERATION,
        granted_on=dt.date(2020, 9, 26),
    )


@factory(Award)
def make_award(tree, town, title=None, prepared_by=None):
    t = title or make_title(tree, town)
    return Award.objects.create(
        title=t,
        amount_fen=t.round.award_fen,
        bank_name=f"{town.code}-农商银行",
        bank_account="6228480000000000011",
        prepared_by=prepared_by or _user(town, "preparer"),
    )


@factory(AwardPayment)
def make_payment(tree, town):
    a = make_award(tree, town)
    return AwardPayment.objects.create(
        award=a, kind="payment", amount_fen=a.amount_fen, on=dt.date(2020, 10, 9)
    )


@factory(AwardBatch)
def make_batch(tree, town):
    return AwardBatch.objects.create(
        number=f"{town.code}-B{next(_seq)}", unit=town, created_by=_user(town, "batch")
    )
