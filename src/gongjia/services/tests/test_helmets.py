"""The helmet campaign: the standard by date, one helmet per person a period, no more than the
batch holds, the reconciliation blocking a mismatch, shifts never over-filled, check-in within
its window, the wearing rate."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from gongjia.members.testing import make_member
from gongjia.platform.scope import SYSTEM
from gongjia.services import actions, selectors
from gongjia.services.models import HelmetPeriod, SharedMove
from gongjia.services.testing import (
    make_gate_count,
    make_helmet_batch,
    make_period,
    make_shared_point,
    make_shift,
)


def _period(tree):
    return make_period(
        tree,
        tree.town_a,
        name="2020年",
        starts_on=dt.date(2020, 6, 1),
        ends_on=dt.date(2020, 12, 31),
    )


def test_the_standard_must_be_in_force_on_the_day_received(tree):
    p = make_period(
        tree,
        tree.town_a,
        name="2023年",
        starts_on=dt.date(2023, 7, 1),
        ends_on=dt.date(2023, 12, 31),
    )
    with pytest.raises(ValidationError, match="GB 811-2022"):
        make_helmet_batch(tree, tree.town_a, period=p, standard="GB 811-2010")
    make_helmet_batch(tree, tree.town_a, period=p, standard="GB 811-2022")


def test_one_helmet_per_person_unless_it_replaces_one_with_a_reason(tree):
    batch = make_helmet_batch(tree, tree.town_a, period=_period(tree), quantity=2)
    m = make_member(tree, tree.town_a)
    actions.issue_helmet(batch, m.pk, acting_user=SYSTEM, issued_on=dt.date(2020, 6, 2))
    with pytest.raises(ValidationError, match="replac|更换|替换"):
        actions.issue_helmet(batch, m.pk, acting_user=SYSTEM, issued_on=dt.date(2020, 7, 1))
    actions.issue_helmet(
        batch, m.pk, acting_user=SYSTEM, issued_on=dt.date(2020, 7, 1), replacement="lost"
    )
    with pytest.raises(ValidationError):  # the batch of two is empty
        actions.issue_helmet(
            batch,
            make_member(tree, tree.town_a).pk,
            acting_user=SYSTEM,
            issued_on=dt.date(2020, 7, 2),
        )


def test_a_mismatch_blocks_closing_the_period(tree):
    period = _period(tree)
    batch = make_helmet_batch(tree, tree.town_a, period=period, quantity=100)
    point = make_shared_point(tree, tree.town_a)
    for _ in range(3):
        actions.issue_helmet(
            batch,
            make_member(tree, tree.town_a).pk,
            acting_user=SYSTEM,
            issued_on=dt.date(2020, 6, 10),
        )
    actions.move_shared(
        point,
        batch,
        acting_user=SYSTEM,
        kind=SharedMove.Kind.STOCKED,
        quantity=20,
        on=dt.date(2020, 6, 11),
    )
    actions.move_shared(
        point,
        batch,
        acting_user=SYSTEM,
        kind=SharedMove.Kind.WRITTEN_OFF,
        quantity=2,
        on=dt.date(2020, 9, 1),
        reason="破损",
    )
    r = selectors.reconciliation(period)
    assert r == {"opening": 0, "received": 100, "issued": 3, "written_off": 2, "closing": 95}
    HelmetPeriod.objects.filter(pk=period.pk).update(counted=94)
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="94"):
        actions.period_step(period, "close", acting_user=SYSTEM)
    period.refresh_from_db()
    assert period.status == HelmetPeriod.Status.OPEN
    nxt = make_period(
        tree,
        tree.town_a,
        name="2021年",
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2021, 12, 31),
    )
    HelmetPeriod.objects.filter(pk=period.pk).update(counted=95)
    period.refresh_from_db()
    actions.period_step(period, "close", acting_user=SYSTEM)
    period.refresh_from_db()
    nxt.refresh_from_db()
    assert period.status == HelmetPeriod.Status.CLOSED and period.closing == 95
    assert nxt.opening == 95
    with pytest.raises(ValidationError):  # a closed period takes nothing more
        actions.issue_helmet(
            batch,
            make_member(tree, tree.town_a).pk,
            acting_user=SYSTEM,
            issued_on=dt.date(2020, 12, 1),
        )


def test_a_write_off_says_why(tree):
    batch = make_helmet_batch(tree, tree.town_a, period=_period(tree))
    with pytest.raises(ValidationError):
        actions.move_shared(
            make_shared_point(tree, tree.town_a),
            batch,
            acting_user=SYSTEM,
            kind="written_off",
            quantity=1,
            on=dt.date(2020, 6, 5),
        )


def test_a_shift_never_takes_more_volunteers_than_places_and_check_in_has_its_window(tree):
    shift = make_shift(
        tree,
        tree.town_a,
        places=1,
        on=timezone.localdate(),
        starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59),
    )
    v = actions.sign_up(shift, make_member(tree, tree.town_a).pk)
    with pytest.raises(ValidationError):
        actions.sign_up(shift, make_member(tree, tree.town_a).pk)
    later = make_shift(tree, tree.town_a, on=timezone.localdate() + dt.timedelta(days=2))
    early = actions.sign_up(later, make_member(tree, tree.town_a).pk)
    with pytest.raises(ValidationError):
        actions.check_in(early)
    actions.check_in(v)
    v.refresh_from_db()
    assert v.checked_in_at is not None


def test_the_wearing_rate_is_wearing_over_observed(tree):
    make_gate_count(tree, tree.town_a)  # 150 of 180
    make_gate_count(tree, tree.town_b)
    assert selectors.helmet_wearing_rate(SYSTEM, 2020) == round(300 / 360, 4)
    rows = selectors.wearing_by(SYSTEM, 2020, "unit__name")
    assert {r["name"] for r in rows} == {tree.town_a.name, tree.town_b.name}


def _race(targets):
    """Run each callable in its own thread, released together; their outcomes."""
    barrier, outcomes = threading.Barrier(len(targets)), []

    def run(fn):
        try:
            barrier.wait()
            fn()
            outcomes.append("done")
        except ValidationError as e:
            outcomes.append(" ".join(e.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_three_volunteers_for_the_last_place_at_once_one_gets_it(tree):
    if connection.vendor != "postgresql":
        pytest.skip("the shift row's lock decides the race on PostgreSQL")
    shift = make_shift(tree, tree.town_a, places=1)
    people = [make_member(tree, tree.town_a).pk for _ in range(3)]
    outcomes = _race([lambda m=m: actions.sign_up(shift, m) for m in people])
    assert outcomes.count("done") == 1, outcomes
    assert shift.volunteers.filter(withdrawn=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_the_last_helmet_at_once_issue_it_once(tree):
    if connection.vendor != "postgresql":
        pytest.skip("the batch row's lock decides the race on PostgreSQL")
    batch = make_helmet_batch(tree, tree.town_a, period=_period(tree), quantity=1)
    people = [make_member(tree, tree.town_a).pk for _ in range(2)]
    outcomes = _race(
        [
            lambda m=m: actions.issue_helmet(
                batch, m, acting_user=SYSTEM, issued_on=dt.date(2020, 6, 2)
            )
            for m in people
        ]
    )
    assert outcomes.count("done") == 1, outcomes
    assert selectors.batch_left(batch) == 0
