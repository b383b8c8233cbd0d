"""Recuperation and health-check places: eligibility, the allocation order to its final
tie-break, the cost and day limits, the industrial workers' share of the result, the last place
given by hand once when two officers give it at once, attendance, and the worker's portal."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from gongjia.craftsmen.models import Entitlement
from gongjia.honours import actions, selectors
from gongjia.honours.models import CareApplication, CareBatch, Level
from gongjia.honours.testing import make_application, make_care_batch, make_honour, nominee
from gongjia.platform.scope import SYSTEM

A = CareApplication.Status
ALLOCATE_ON = dt.date(2020, 10, 1)


def _at(hour, day=1):
    return timezone.make_aware(dt.datetime(2020, 9, day, hour, 0))


def _apply(tree, batch, hour, **fields):
    member = fields.pop("member", None) or nominee(tree, tree.town_a)
    return make_application(tree, tree.town_a, batch=batch, member=member, at=_at(hour), **fields)


def _allocate(batch):
    actions.care_step(batch, "allocate", acting_user=SYSTEM, on=ALLOCATE_ON)
    return {a.pk: a for a in CareApplication.objects.filter(batch=batch)}


def test_the_allocation_order_to_its_final_tie_break(tree):
    earlier = make_care_batch(
        tree, tree.town_a, starts_on=dt.date(2020, 7, 6), applications_until=dt.date(2020, 6, 20)
    )
    b = make_care_batch(tree, tree.town_a, capacity=6)
    sent_2019 = nominee(tree, tree.town_a)
    sent_2020 = nominee(tree, tree.town_a)
    for m, starts in ((sent_2019, dt.date(2019, 7, 1)), (sent_2020, earlier.starts_on)):
        past = (
            earlier
            if starts == earlier.starts_on
            else make_care_batch(
                tree, tree.town_a, starts_on=starts, applications_until=dt.date(2019, 6, 20)
            )
        )
        a = make_application(
            tree,
            tree.town_a,
            batch=past,
            member=m,
            at=timezone.make_aware(dt.datetime(starts.year, 6, 1, 9)),
        )
        CareApplication.objects.filter(pk=a.pk).update(status=A.ATTENDED)
    honoured_old, honoured_new = nominee(tree, tree.town_a), nominee(tree, tree.town_a)
    make_honour(
        tree, tree.town_a, member=honoured_old, level=Level.CITY, conferred_on=dt.date(2015, 4, 28)
    )
    make_honour(
        tree, tree.town_a, member=honoured_new, level=Level.CITY, conferred_on=dt.date(2019, 4, 28)
    )
    rows = {
        "plain_late": _apply(tree, b, 15),
        "plain_early": _apply(tree, b, 9),
        "frontline": _apply(tree, b, 16, frontline=True),
        "key_project": _apply(tree, b, 17, key_project=True),
        "honoured_old": _apply(tree, b, 18, member=honoured_old),
        "honoured_new": _apply(tree, b, 19, member=honoured_new),
        "sent_2019": _apply(tree, b, 8, member=sent_2019, frontline=True),
        "sent_2020": _apply(tree, b, 7, member=sent_2020, frontline=True),
    }
    # Two applications in the same minute: the record's number decides.
    same_a = _apply(tree, b, 15)
    same_b = _apply(tree, b, 15)
    got = _allocate(b)
    order = sorted(got.values(), key=lambda a: a.position)
    names = {v.pk: k for k, v in rows.items()}
    names.update({same_a.pk: "same_a", same_b.pk: "same_b"})
    assert [names[a.pk] for a in order] == [
        "frontline",
        "key_project",
        "honoured_new",
        "honoured_old",
        "plain_early",
        "plain_late",
        "same_a",
        "same_b",
        "sent_2019",  # sent before: after all never sent, the longest since first
        "sent_2020",
    ]
    assert [a.status for a in order[:6]] == [A.ALLOCATED] * 6
    # The one sent this year already would pass the year's limits with a second stay.
    assert [a.status for a in order[6:]] == [A.WAITLISTED] * 3 + [A.CAPPED]


def test_a_year_in_the_post_is_needed_for_recuperation(tree):
    b = make_care_batch(tree, tree.town_a)
    new = _apply(tree, b, 9, post_since=dt.date(2019, 10, 13))  # a year on 2020-10-13
    old = _apply(tree, b, 10, post_since=dt.date(2019, 10, 12))
    got = _allocate(b)
    assert got[new.pk].status == A.INELIGIBLE and "2019" in got[new.pk].reason
    assert got[old.pk].status == A.ALLOCATED


def test_a_batch_keeps_to_the_cost_per_day_and_the_days_of_a_stay(tree):
    with pytest.raises(ValidationError) as e:
        make_care_batch(tree, tree.town_a, days=5, cost_fen=300_001 * 1)
    assert "cost_fen" in e.value.message_dict  # ¥3,000.01 over 5 days is over ¥600 a day
    make_care_batch(tree, tree.town_a, days=5, cost_fen=300_000)
    with pytest.raises(ValidationError) as e:
        make_care_batch(tree, tree.town_a, days=6, cost_fen=100_000)
    assert "days" in e.value.message_dict
    make_care_batch(tree, tree.town_a, days=7, cost_fen=100_000, paired_region=True)


def test_the_yearly_cost_and_days_cap_a_second_stay(tree):
    m = nominee(tree, tree.town_a)
    first = make_care_batch(
        tree,
        tree.town_a,
        starts_on=dt.date(2020, 7, 6),
        days=2,
        cost_fen=120_000,
        applications_until=dt.date(2020, 6, 20),
    )
    a = make_application(
        tree, tree.town_a, batch=first, member=m, at=timezone.make_aware(dt.datetime(2020, 6, 1, 9))
    )
    CareApplication.objects.filter(pk=a.pk).update(status=A.ATTENDED)
    # ¥600 a day and 5 days make ¥3,000: only a longer stay in a paired region can pass it.
    dear = make_care_batch(tree, tree.town_a, days=4, cost_fen=180_001, paired_region=True)
    long = make_care_batch(tree, tree.town_a, days=4, cost_fen=100_000)  # 6 days in the year
    fits = make_care_batch(tree, tree.town_a, days=3, cost_fen=180_000)
    got = {b.pk: _allocate_one(tree, b, m) for b in (dear, long, fits)}
    assert got[dear.pk].status == A.CAPPED and got[long.pk].status == A.CAPPED
    assert got[dear.pk].reason != got[long.pk].reason  # the cost, then the days
    assert got[fits.pk].status == A.ALLOCATED


def _allocate_one(tree, batch, member):
    a = make_application(tree, tree.town_a, batch=batch, member=member, at=_at(9))
    _allocate(batch)
    return CareApplication.objects.get(pk=a.pk)


def test_a_health_check_once_a_year(tree):
    m = nominee(tree, tree.town_a)
    kw = {"kind": CareBatch.Kind.HEALTH_CHECK, "days": 1, "cost_fen": 30_000}
    first = make_care_batch(tree, tree.town_a, **kw)
    assert _allocate_one(tree, first, m).status == A.ALLOCATED
    second = make_care_batch(tree, tree.town_a, **kw)
    assert _allocate_one(tree, second, m).status == A.CAPPED


def test_the_industrial_share_of_the_places_is_checked(tree, make_user):
    b = make_care_batch(tree, tree.town_a, capacity=5)
    for k in range(4):
        _apply(tree, b, 9 + k)
    _apply(tree, b, 14, member=nominee(tree, tree.town_a, industrial=False))
    _allocate(b)
    district = make_user("district_admin", tree.district)
    assert selectors.recuperation_industrial_share(district, 2020) == 0.8  # 80 % or more: met
    from gongjia.honours import findings

    r = findings.care_share(b, 5, 4)
    assert (r.met, r.line, r.slack) == (True, 4, 0)
    assert not findings.care_share(b, 11, 8).met  # 80 % of 11 needs 9


def test_a_craftsman_s_entitlement_is_a_priority_and_used_by_the_place(tree):
    from gongjia.craftsmen.models import Title
    from gongjia.craftsmen.testing import make_nomination

    n = make_nomination(tree, tree.town_a)
    t = Title.objects.create(
        round=n.round,
        nomination=n,
        member=n.member,
        unit=n.unit,
        kind="title",
        number="GJT-1",
        held_from=dt.date(2019, 9, 25),
    )
    e = Entitlement.objects.create(title=t, kind="recuperation", granted_on=dt.date(2019, 9, 25))
    b = make_care_batch(tree, tree.town_a, capacity=1)
    plain = _apply(tree, b, 9)
    craftsman = _apply(tree, b, 20, member=n.member)
    got = _allocate(b)
    assert got[craftsman.pk].status == A.ALLOCATED and got[plain.pk].status == A.WAITLISTED
    e.refresh_from_db()
    assert e.used_on == ALLOCATE_ON and e.used_for == b.name


def test_places_by_hand_attendance_and_closing(tree):
    b = make_care_batch(tree, tree.town_a, capacity=1)
    first, second = _apply(tree, b, 9), _apply(tree, b, 10)
    with pytest.raises(ValidationError, match="报名"):
        actions.care_step(b, "allocate", acting_user=SYSTEM, on=dt.date(2020, 9, 30))
    got = _allocate(b)
    assert got[second.pk].status == A.WAITLISTED
    with pytest.raises(ValidationError, match="名额"):
        actions.grant_place(got[second.pk], acting_user=SYSTEM)
    actions.withdraw_application(got[first.pk], reason="临时出差", acting_user=SYSTEM)
    actions.grant_place(got[second.pk], acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="考勤|出勤|参加"):
        actions.care_step(b, "close", acting_user=SYSTEM)
    actions.record_attendance(got[second.pk], attended=True, acting_user=SYSTEM)
    actions.care_step(b, "close", acting_user=SYSTEM)
    assert CareBatch.objects.get(pk=b.pk).status == CareBatch.Status.CLOSED


@pytest.mark.django_db(transaction=True)
def test_two_officers_giving_the_last_place_at_once_give_it_once(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("the batch row's lock decides the race on PostgreSQL")
    b = make_care_batch(tree, tree.town_a, capacity=2)
    apps_ = [_apply(tree, b, 9 + k) for k in range(4)]
    _allocate(b)
    actions.withdraw_application(apps_[0], reason="放弃", acting_user=SYSTEM)
    waiting = list(CareApplication.objects.filter(batch=b, status=A.WAITLISTED))
    assert len(waiting) == 2
    officers = [make_user("district_admin", tree.district) for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def give(user, application):
        try:
            barrier.wait()
            actions.grant_place(application, acting_user=user)
            outcomes.append("placed")
        except ValidationError as e:
            outcomes.append(" ".join(e.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=give, args=(u, a)) for u, a in zip(officers, waiting, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("placed") == 1, outcomes
    placed = CareApplication.objects.filter(batch=b, status__in=(A.ALLOCATED, A.ATTENDED))
    assert placed.count() == 2


def test_the_worker_applies_in_the_portal_and_sees_the_place(tree, make_user, client):
    today = timezone.localdate()
    b = make_care_batch(
        tree,
        tree.district,
        starts_on=today + dt.timedelta(days=30),
        applications_until=today + dt.timedelta(days=10),
    )
    m = nominee(tree, tree.town_a)
    user = make_user("worker", tree.union_a)
    type(m).objects.filter(pk=m.pk).update(user=user)  # the linked portal account
    client.force_login(user, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/portal/honours/")
    assert b.name in page.content.decode()
    r = client.post(
        f"/portal/honours/places/{b.pk}/apply/",
        {"post_since": "2015-03-01", "frontline": "on"},
        follow=True,
    )
    body = r.content.decode()
    assert "已申请" in body or b.name in body
    a = CareApplication.objects.get(batch=b, member=m)
    assert (a.channel, a.frontline, a.status) == ("portal", True, A.APPLIED)
    again = client.post(f"/portal/honours/places/{b.pk}/apply/", {"post_since": "2015-03-01"})
    assert again.status_code == 302 and CareApplication.objects.filter(member=m).count() == 1
