"""/api/v1/skills as a judge's phone and an officer's script use it."""

import pytest

from conftest import sign_in
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.models import Aspect, Competition
from gongjia.skills.testing import make_competition, mark_all, marked_event

JUDGE_PASSWORD = "Marking-2026-Safe"


def bearer(client, user, password=None):
    token = sign_in(client, user.username, *([password] if password else []))
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def event(tree):
    return marked_event(tree, tree.town_a, entrants=2)


def test_competitions_are_listed_in_scope_and_filtered(tree, make_user, client, event):
    make_competition(tree, tree.town_b, level=Competition.Level.ENTERPRISE)
    officer = make_user("town_officer", tree.town_a)
    auth = bearer(client, officer)
    r = client.get("/api/v1/skills/competitions", **auth)
    assert r.status_code == 200
    items = r.json()["items"]
    assert [c["organiser_code"] for c in items] == ["A"]
    assert items[0]["level_label"] and items[0]["status_label"] == "评分中"
    assert client.get("/api/v1/skills/competitions?level=enterprise", **auth).json()["count"] == 0
    e, _panel, _entries = event
    r = client.get(f"/api/v1/skills/competitions/{e.competition_id}/events", **auth)
    assert [x["entries"] for x in r.json()] == [2]
    r = client.get(f"/api/v1/skills/events/{e.pk}/entries", **auth)
    assert r.json()["count"] == 2 and r.json()["items"][0]["entrants"]
    other = bearer(client, make_user("town_officer", tree.town_b))
    assert client.get(f"/api/v1/skills/events/{e.pk}/entries", **other).status_code == 404


def test_a_judge_enters_marks_sees_the_panel_only_together_and_a_resend_counts_once(client, event):
    e, panel, (entry, *_rest) = event
    aspect = Aspect.objects.filter(sub__criterion__scheme__event=e, kind="J").get()
    url = f"/api/v1/skills/events/{e.pk}/marks"
    body = {"entry_id": entry.pk, "aspect_id": aspect.pk, "value": 2, "client_key": "k1"}
    auths = [bearer(client, j.user, JUDGE_PASSWORD) for j in panel]
    r = client.post(url, body, content_type="application/json", **auths[0])
    assert r.status_code == 200, r.json()
    assert r.json()["panel_scores"] is None and r.json()["my_score"] == 2
    again = client.post(url, body, content_type="application/json", **auths[0])
    assert again.json()["round"] == 1  # the same key twice: taken once
    client.post(url, {**body, "client_key": "k2"}, content_type="application/json", **auths[1])
    r = client.post(
        url, {**body, "value": 3, "client_key": "k3"}, content_type="application/json", **auths[2]
    )
    assert r.json()["status"] == "entered" and sorted(r.json()["panel_scores"]) == [2, 2, 3]
    assert r.json()["mark_display"] == "0.58"
    listed = client.get(url, **auths[1]).json()
    assert [m["my_score"] for m in listed] == [2]
    bad = client.post(url, {**body, "value": 4}, content_type="application/json", **auths[0])
    assert bad.status_code in (400, 422) and "0" in str(bad.json())


def test_results_stay_with_the_jury_until_published(tree, make_user, client, event):
    e, panel, entries = event
    mark_all(e, panel, entries)
    actions.step(e.competition, "close_marking", acting_user=SYSTEM)
    officer, jury = make_user("town_officer", tree.town_a), make_user("town_officer", tree.town_a)
    e.competition.jury.add(jury)
    url = f"/api/v1/skills/events/{e.pk}/results"
    assert client.get(url, **bearer(client, officer)).status_code == 403
    r = client.get(url, **bearer(client, jury))
    assert r.status_code == 200 and [x["rank"] for x in r.json()] == [1, 1]
    Competition.objects.filter(pk=e.competition_id).update(status=Competition.Status.PUBLISHED)
    assert client.get(url, **bearer(client, officer)).status_code == 200


def test_the_marking_page_is_the_judges_own(tree, make_user, login_client, event):
    e, panel, entries = event
    judge = panel[0]
    page = login_client(judge.user).get(f"/admin/skills/event/{e.pk}/mark/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-url="/api/v1/skills/events/{e.pk}/marks"' in text
    assert text.count('class="aspect"') == len(entries) * 3
    assert "skills/marking.js" in text
    listing = login_client(judge.user).get("/admin/skills/event/")
    assert f"/admin/skills/event/{e.pk}/mark/" in listing.content.decode()
    other = make_user("town_officer", tree.town_a)
    assert login_client(other).get(f"/admin/skills/event/{e.pk}/mark/").status_code == 403


def test_an_officer_registers_an_entry_on_the_events_page(tree, make_user, login_client):
    from gongjia.members.testing import make_member
    from gongjia.skills.models import Entry
    from gongjia.skills.testing import make_event, set_status

    event = make_event(tree, tree.town_a)
    set_status(event.competition, Competition.Status.REGISTRATION)
    member = make_member(tree, tree.town_a)
    client = login_client(make_user("town_officer", tree.town_a))
    page = client.get(f"/admin/skills/event/{event.pk}/change/").content.decode()
    assert f"/admin/skills/event/{event.pk}/register/" in page
    url = f"/admin/skills/event/{event.pk}/register/"
    r = client.post(url, {"members": "X-0000"}, follow=True)
    assert "X-0000" in r.content.decode() and not Entry.objects.filter(event=event).exists()
    client.post(url, {"members": member.member_number})
    entry = Entry.objects.get(event=event)
    assert entry.entrants.get().member_id == member.pk and entry.number == 1
