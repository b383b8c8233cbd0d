"""Counselling keeps confidences: a booking is seen by the room's counselling staff alone, its
booker by nobody but the worker when anonymous, nothing of it exported; counts only; the crisis
follow-up clock; small cells suppressed below the district."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongjia.members.testing import make_member
from gongjia.platform.scope import SYSTEM, restrict
from gongjia.services import actions, selectors
from gongjia.services.models import Booking, Crisis, Session
from gongjia.services.testing import make_booking, make_room


def _enterprise_point(tree):
    """A room hosted by the worker's own union (an enterprise point): the case where leaking the
    booker to the union would matter most."""
    return make_room(tree, tree.union_a, level="point")


def test_a_booking_is_invisible_to_the_employer_s_union_officers(tree, make_user, login_client):
    room = _enterprise_point(tree)
    worker = make_member(tree, tree.town_a)
    b = make_booking(tree, tree.town_a, room=room, member_id=worker.pk, channel="phone")
    officer = make_user("union_officer", tree.union_a)
    town = make_user("town_officer", tree.town_a)
    district = make_user("district_admin", tree.district)
    for user in (officer, town, district):
        assert not user.has_perm("services.view_booking")
        assert restrict(Booking.objects.all(), user).count() == 0
        client = login_client(user)
        assert client.get(reverse("admin:services_booking_changelist")).status_code == 403
        assert client.get(reverse("admin:services_booking_change", args=[b.pk])).status_code in (
            302,
            403,
        )
    staff = make_user("counsellor", tree.union_a)
    assert restrict(Booking.objects.all(), staff).count() == 1


def test_an_anonymous_booking_names_nobody_and_the_worker_still_finds_it(tree):
    worker = make_member(tree, tree.town_a)
    b = actions.book(
        make_room(tree, tree.town_a),
        acting_user=SYSTEM,
        channel=Booking.Channel.PORTAL,
        wanted_on=timezone.localdate() + dt.timedelta(days=2),
        wanted_at=dt.time(14),
        consent=True,
        member_id=worker.pk,
        anonymous=True,
    )
    b.refresh_from_db()
    assert b.member_id is None and len(b.owner_digest) == 64  # a keyed digest, no id
    assert list(selectors.own_bookings(worker.pk)) == [b]
    other = make_member(tree, tree.town_a)
    assert list(selectors.own_bookings(other.pk)) == []
    with pytest.raises(ValidationError):
        actions.cancel_own_booking(b, member_id=other.pk)
    actions.cancel_own_booking(b, member_id=worker.pk)
    b.refresh_from_db()
    assert b.status == Booking.Status.CANCELLED


def test_a_booking_needs_its_own_consent(tree):
    with pytest.raises(ValidationError, match="同意"):
        make_booking(tree, tree.town_a, consent=False)


def test_the_booking_list_offers_no_export_and_shows_anonymous(tree, make_user, login_client):
    room = make_room(tree, tree.town_a)
    make_booking(
        tree, tree.town_a, room=room, member_id=make_member(tree, tree.town_a).pk, anonymous=True
    )
    client = login_client(make_user("counsellor", tree.town_a))
    r = client.get(reverse("admin:services_booking_changelist"))
    text = r.content.decode()
    assert r.status_code == 200 and "匿名" in text
    assert "export_xlsx" not in text
    r = client.post(
        reverse("admin:services_booking_changelist"),
        {"action": "export_xlsx", "_selected_action": [b.pk for b in Booking.objects.all()]},
    )
    assert r.get("Content-Type", "").startswith("text/html")  # no spreadsheet comes out


def test_the_booking_api_gives_the_caller_s_own_only(tree, make_user, client):
    from conftest import sign_in

    worker = make_member(tree, tree.town_a)
    make_booking(tree, tree.town_a, member_id=worker.pk)
    make_booking(tree, tree.town_a, member_id=make_member(tree, tree.town_a).pk)
    make_user("district_admin", tree.district, username="boss")
    token = sign_in(client, "boss")
    r = client.get("/api/v1/services/counselling/bookings", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and r.json()["count"] == 0


def test_a_session_keeps_counts_only_and_a_crisis_its_follow_up_clock(tree):
    room = make_room(tree, tree.town_a)
    b = make_booking(tree, tree.town_a, room=room)
    s = actions.record_session(
        room,
        acting_user=SYSTEM,
        booking=b,
        held_on=b.wanted_on,
        minutes=50,
        kind="individual",
        topic="work",
        risk=True,
    )
    b.refresh_from_db()
    assert b.status == Booking.Status.HELD
    names = {f.name for f in Session._meta.fields}
    assert not names & {"note", "notes", "narrative", "score", "test_score"}
    at = timezone.now()
    c = actions.record_crisis(
        room,
        acting_user=SYSTEM,
        at=at,
        taken=["stayed", "called_120"],
        outcome=Crisis.Outcome.HOSPITAL,
    )
    assert c.follow_up_due == at + dt.timedelta(hours=72)
    assert selectors.crises_to_follow(SYSTEM) == 1
    actions.follow_up_crisis(c, acting_user=SYSTEM, at=at + dt.timedelta(hours=30))
    assert selectors.crises_to_follow(SYSTEM) == 0
    assert s.risk


def test_small_cells_are_suppressed_below_the_district_only(tree):
    town_room = make_room(tree, tree.town_a)
    centre = make_room(tree, tree.district, level="centre")
    for room, n in ((town_room, 3), (centre, 2)):
        for _ in range(n):
            actions.record_session(
                room,
                acting_user=SYSTEM,
                held_on=dt.date(2020, 7, 1),
                minutes=50,
                kind="individual",
                topic="work",
            )
    rows = {r["unit"]: r for r in selectors.counselling_stats(SYSTEM, 2020)}
    assert rows[tree.town_a.name]["sessions"] is None  # 3 < 5 at a town: suppressed
    assert rows[tree.district.name]["sessions"] == 2  # the district's own figure is shown
    for _ in range(2):
        actions.record_session(
            town_room,
            acting_user=SYSTEM,
            held_on=dt.date(2020, 8, 1),
            minutes=50,
            kind="individual",
            topic="work",
        )
    rows = {r["unit"]: r for r in selectors.counselling_stats(SYSTEM, 2020)}
    assert rows[tree.town_a.name]["sessions"] == 5
    assert rows[tree.town_a.name]["risk"] == 0  # a zero tells nobody anything


def test_a_closed_room_takes_no_booking(tree):
    room = make_room(tree, tree.town_a)
    actions.room_step(room, "close", acting_user=SYSTEM, note="搬迁")
    with pytest.raises(ValidationError, match="closed|关闭"):
        make_booking(tree, tree.town_a, room=room)
