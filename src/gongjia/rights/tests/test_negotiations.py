"""Collective negotiation: the seats, the path from offer to force with its clocks, the
congress rule, clause versions, online votes (also two at once on PostgreSQL), the portal."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from gongjia.members.testing import id_number
from gongjia.platform import kpis
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions
from gongjia.rights.models import Clause, Negotiation, Vote

N = Negotiation.Status
D = dt.date


def negotiation(tree, **kw):
    fields = dict(
        title="城厢街道机械行业工资集体协商",
        level=Negotiation.Level.INDUSTRY,
        kind=Negotiation.Kind.WAGE,
        online=True,
        offer_text="提出2026年度工资集体协商要约",
    )
    fields.update(kw)
    return actions.open_negotiation(
        acting_user=SYSTEM, unit=fields.pop("unit", tree.town_a), **fields
    )


def seats(n, per_side=3, users=()):
    users = list(users)
    for side in ("workers", "employer"):
        for k in range(per_side):
            actions.seat(
                n,
                acting_user=SYSTEM,
                side=side,
                name=f"{side}{k}",
                id_number=id_number(k + (0 if side == "workers" else 50)),
                chief=k == 0,
                appointed_on=D(2026, 3, 2),
                user=users.pop(0) if side == "workers" and users else None,
            )


def test_seat_rules(tree):
    n = negotiation(tree)
    assert any("3" in p for p in actions_seat_problems(n))  # nobody seated yet
    seats(n)
    assert actions_seat_problems(n) == []
    actions.seat(
        n,
        acting_user=SYSTEM,
        side="workers",
        name="专家",
        outsider=True,
        appointed_on=D(2026, 3, 2),
    )
    problems = " ".join(actions_seat_problems(n))
    assert "4" in problems and "3" in problems  # sides unequal: 4 against 3
    # The same person on the employer's side as on the workers' side.
    actions.seat(
        n,
        acting_user=SYSTEM,
        side="employer",
        name="双重身份",
        id_number=id_number(1),
        appointed_on=D(2026, 3, 2),
    )
    assert "双重身份" in " ".join(actions_seat_problems(n))
    other = negotiation(tree, title="另一协商")
    seats(other)
    actions.seat(
        other,
        acting_user=SYSTEM,
        side="workers",
        name="第二首席",
        chief=True,
        appointed_on=D(2026, 3, 2),
    )
    assert actions_seat_problems(other)  # two chiefs, and sides unequal


def actions_seat_problems(n):
    from gongjia.rights.selectors import seat_problems_of

    return seat_problems_of(n)


def test_from_offer_to_force_with_its_clocks(tree, make_user):
    n = negotiation(tree)
    actions.update_negotiation(n, acting_user=SYSTEM, offer_delivered_on=D(2026, 4, 10))
    actions.negotiation_step(n, "send_offer", acting_user=SYSTEM, on=D(2026, 4, 10))
    assert (n.clock, n.due_on) == ("offer_reply", D(2026, 4, 30))
    with pytest.raises(ValidationError):  # the 20 days have not run out
        actions.negotiation_step(n, "no_reply", acting_user=SYSTEM, on=D(2026, 4, 20))
    actions.negotiation_step(n, "accept_offer", acting_user=SYSTEM, on=D(2026, 4, 20))
    with pytest.raises(ValidationError):  # nobody is seated
        actions.negotiation_step(n, "appoint", acting_user=SYSTEM)
    seats(n)
    for step in ("appoint", "prepare", "open_talks"):
        actions.negotiation_step(n, step, acting_user=SYSTEM)
    clause = Clause.objects.create(negotiation=n, number=1, title="最低工资")
    clerk = make_user("town_officer", tree.town_a)
    actions.propose(clause, acting_user=clerk, side="workers", text="不低于 2800 元")
    actions.propose(clause, acting_user=clerk, side="employer", text="不低于 2600 元")
    assert list(clause.versions.values_list("version", "side")) == [(1, "workers"), (2, "employer")]
    actions.negotiation_step(n, "sign_draft", acting_user=SYSTEM)
    actions.negotiation_step(n, "to_congress", acting_user=SYSTEM)
    figures = {"congress_total": 100, "congress_present": 66, "congress_yes": 60}
    with pytest.raises(ValidationError):  # 66 of 100 present: no quorum
        actions.negotiation_step(
            n,
            "congress_approved",
            acting_user=SYSTEM,
            values={**figures, "signed_on": D(2026, 6, 1)},
        )
    actions.negotiation_step(
        n,
        "congress_approved",
        acting_user=SYSTEM,
        values={**figures, "congress_present": 67, "signed_on": D(2026, 6, 1)},
    )
    assert (n.status, n.clock, n.due_on) == (N.SIGNED, "filing_wage", D(2026, 6, 8))  # 7 days
    actions.negotiation_step(
        n, "submit", acting_user=SYSTEM, values={"submitted_on": D(2026, 6, 5)}
    )
    actions.negotiation_step(
        n, "under_review", acting_user=SYSTEM, values={"received_by_labour_dept_on": D(2026, 6, 8)}
    )
    assert (n.clock, n.due_on) == ("review", D(2026, 6, 23))
    with pytest.raises(ValidationError):
        actions.negotiation_step(
            n, "take_effect", acting_user=SYSTEM, on=D(2026, 6, 20), values={"term_months": 12}
        )
    with pytest.raises(ValidationError, match="term_months"):
        actions.negotiation_step(
            n, "take_effect", acting_user=SYSTEM, on=D(2026, 6, 24), values={"term_months": 48}
        )
    actions.negotiation_step(
        n, "take_effect", acting_user=SYSTEM, on=D(2026, 6, 24), values={"term_months": 12}
    )
    assert (n.effective_on, n.expires_on) == (D(2026, 6, 24), D(2027, 6, 24))
    assert (n.clock, n.due_on) == ("publication_wage", D(2026, 6, 29))
    actions.negotiation_step(
        n, "publish", acting_user=SYSTEM, values={"published_on": D(2026, 6, 26)}
    )
    actions.negotiation_step(n, "in_force", acting_user=SYSTEM)
    assert (n.status, n.warn_on) == (N.IN_FORCE, D(2027, 4, 25))  # 60 days before expiry


def test_online_votes_one_person_one_vote_sealed_at_close(tree, make_user):
    reps = [make_user("worker", tree.union_a) for _ in range(3)]
    outsider = make_user("worker", tree.union_a)
    n = negotiation(tree)
    seats(n, users=reps)
    Negotiation.objects.filter(pk=n.pk).update(status=N.IN_NEGOTIATION)
    n.refresh_from_db()
    b = actions.open_ballot(
        n, acting_user=SYSTEM, question="夜班津贴", options=["每晚 30 元", "每晚 40 元"]
    )
    actions.cast_vote(b, user=reps[0], choice="每晚 30 元")
    actions.cast_vote(b, user=reps[1], choice="每晚 40 元")
    actions.cast_vote(b, user=reps[0], choice="每晚 40 元")  # a change, logged
    assert Vote.objects.get(ballot=b, representative__user=reps[0]).changes == 1
    with pytest.raises(PermissionDenied):
        actions.cast_vote(b, user=outsider, choice="每晚 30 元")
    with pytest.raises(ValidationError):
        actions.cast_vote(b, user=reps[2], choice="每晚 99 元")
    b = actions.close_ballot(b, acting_user=SYSTEM)
    assert b.result == {"eligible": 3, "voted": 2, "counts": {"每晚 30 元": 0, "每晚 40 元": 2}}
    assert len(b.seal) == 64
    with pytest.raises(ValidationError):
        actions.cast_vote(b, user=reps[2], choice="每晚 30 元")


@pytest.mark.django_db(transaction=True)
def test_two_representatives_voting_at_once(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's; SQLite runs one at a time")
    reps = [make_user("worker", tree.union_a) for _ in range(3)]
    n = negotiation(tree)
    seats(n, users=reps)
    Negotiation.objects.filter(pk=n.pk).update(status=N.IN_NEGOTIATION)
    n.refresh_from_db()
    b = actions.open_ballot(n, acting_user=SYSTEM, question="方案", options=["甲", "乙"])
    barrier, errors = threading.Barrier(3), []

    def cast(user, choice):
        from django.db import connections

        try:
            barrier.wait()
            actions.cast_vote(b, user=user, choice=choice)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=cast, args=(u, c)) for u, c in zip(reps, "甲乙甲", strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    b = actions.close_ballot(b, acting_user=SYSTEM)
    assert b.result["counts"] == {"甲": 2, "乙": 1} and b.result["voted"] == 3


def test_api_and_portal(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    rep = make_user("worker", tree.union_a)
    worker = make_user("worker", tree.union_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    r = client.post(
        "/api/v1/rights/negotiations",
        {"unit_code": "A", "title": "城厢街道工资集体协商", "level": "area", "online": True},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    nid = r.json()["id"]
    for side in ("workers", "employer"):
        for k in range(3):
            r = client.post(
                f"/api/v1/rights/negotiations/{nid}/representatives",
                {
                    "side": side,
                    "name": f"{side}{k}",
                    "chief": k == 0,
                    "appointed_on": "2026-03-02",
                    "username": rep.username if (side, k) == ("workers", 1) else None,
                },
                content_type="application/json",
            )
            assert r.status_code == 201, r.content
    assert r.json()["seat_problems"] == []
    n = Negotiation.objects.get(pk=nid)
    Negotiation.objects.filter(pk=nid).update(status=N.IN_NEGOTIATION)
    r = client.post(
        f"/api/v1/rights/negotiations/{nid}/clauses",
        {"number": 1, "title": "最低工资", "side": "workers", "text": "不低于 2800 元"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["clauses"][0]["versions"][0]["version"] == 1
    r = client.post(
        f"/api/v1/rights/negotiations/{nid}/ballots",
        {"question": "最低工资方案", "options": ["2800", "2700"]},
        content_type="application/json",
    )
    bid = r.json()["id"]
    steps = client.get(f"/api/v1/rights/negotiations/{nid}/transitions").json()
    assert "sign_draft" in {s["name"] for s in steps}
    # The representative votes from the phone; a worker sends a demand.
    client.force_login(rep, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/portal/rights/negotiations/").content.decode()
    assert "最低工资方案" in page and f"/portal/rights/ballots/{bid}/vote/" in page
    client.post(f"/portal/rights/ballots/{bid}/vote/", {"choice": "2800"})
    assert Vote.objects.get(ballot_id=bid).choice == "2800"
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/portal/rights/negotiations/").content.decode()
    assert f"/portal/rights/ballots/{bid}/vote/" not in page  # not a representative
    client.post(f"/portal/rights/negotiations/{nid}/demand/", {"text": "希望增加高温津贴"})
    assert n.demands.get().text == "希望增加高温津贴"
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    r = client.post(f"/api/v1/rights/ballots/{bid}/close")
    assert r.status_code == 200 and r.json()["result"]["counts"] == {"2800": 1, "2700": 0}
    pkg = client.get(f"/admin/rights/negotiation/{nid}/package/")
    assert pkg.status_code == 200 and "不低于 2800 元" in pkg.content.decode()


def test_negotiation_indicators(tree, make_user):
    from gongjia.orgs.testing import make_enterprise

    e1, e2 = make_enterprise(tree, tree.town_a), make_enterprise(tree, tree.town_a)
    own = negotiation(tree, level="enterprise", enterprise=e1, online=False)
    area = negotiation(tree, level="area")
    area.covered.set([e1, e2])
    today = timezone.localdate()
    Negotiation.objects.filter(pk=own.pk).update(
        status=N.IN_FORCE, expires_on=today + dt.timedelta(days=30)
    )
    admin = make_user("district_admin", tree.district)
    v = {k["key"]: k["value"] for k in kpis.evaluate(admin, year=today.year)}
    assert v["rights.enterprises_with_collective_contract"] == 1  # the area one is not in force
    assert v["rights.contracts_expiring_90d"] == 1
    assert v["rights.online_negotiations"] == 1
    Negotiation.objects.filter(pk=area.pk).update(status=N.IN_FORCE)
    v = {k["key"]: k["value"] for k in kpis.evaluate(admin, year=today.year)}
    assert v["rights.enterprises_with_collective_contract"] == 2


def test_the_renewal_window_opens_and_the_union_is_told(tree, make_user):
    from gongjia.platform.models import Notification
    from gongjia.rights.sweeps import open_renewal_windows

    officer = make_user("town_officer", tree.town_a)
    n = negotiation(tree, kind="contract")
    Negotiation.objects.filter(pk=n.pk).update(
        status=N.IN_FORCE, expires_on=D(2027, 4, 2), warn_on=D(2027, 1, 2)
    )
    assert open_renewal_windows(D(2027, 1, 1)) == 0
    assert open_renewal_windows(D(2027, 1, 2)) == 1
    n.refresh_from_db()
    assert n.status == N.RENEWAL_WINDOW and n.due_on == D(2027, 4, 2)
    assert Notification.objects.filter(recipient=officer, title__contains=n.title).exists()
    assert open_renewal_windows(D(2027, 1, 3)) == 0


def test_the_back_office_runs_the_room(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    n = negotiation(tree)
    Negotiation.objects.filter(pk=n.pk).update(status=N.IN_NEGOTIATION)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(f"/admin/rights/negotiation/{n.pk}/change/").content.decode()
    assert f"/admin/rights/negotiation/{n.pk}/propose/" in page
    base = f"/admin/rights/negotiation/{n.pk}"
    client.post(
        f"{base}/propose/",
        {"number": 3, "title": "高温津贴", "side": "workers", "text": "每月 300 元"},
    )
    client.post(
        f"{base}/propose/",
        {"number": 3, "title": "高温津贴", "side": "employer", "text": "每月 200 元"},
    )
    clause = n.clauses.get(number=3)
    assert list(clause.versions.values_list("text", flat=True)) == ["每月 300 元", "每月 200 元"]
    client.post(f"{base}/ballot/", {"question": "高温津贴方案", "options": "300 元\n250 元\n"})
    ballot = n.ballots.get()
    assert ballot.options == ["300 元", "250 元"]
    r = client.post(f"{base}/ballot/{ballot.pk}/close/")
    ballot.refresh_from_db()
    assert r.status_code == 302 and ballot.closed_at is not None and len(ballot.seal) == 64
    r = client.post(f"{base}/ballot/", {"question": "只有一个选项", "options": "300 元"})
    assert r.status_code == 302 and n.ballots.count() == 1  # refused with a message
    other = make_user("town_officer", tree.town_b)
    client.force_login(other, backend="gongjia.accounts.backends.RoleBackend")
    assert (
        client.post(
            f"{base}/propose/", {"number": 4, "title": "x", "side": "workers", "text": "y"}
        ).status_code
        == 404
    )


def test_negotiation_deadlines_are_alerted(tree, make_user):
    from gongjia.platform.models import Notification
    from gongjia.rights.sweeps import alert_due_negotiations

    officer = make_user("town_officer", tree.town_a)
    n = negotiation(tree)
    actions.update_negotiation(n, acting_user=SYSTEM, offer_delivered_on=D(2026, 4, 10))
    actions.negotiation_step(n, "send_offer", acting_user=SYSTEM, on=D(2026, 4, 10))
    assert alert_due_negotiations(D(2026, 4, 24)) == 0
    assert alert_due_negotiations(D(2026, 4, 25)) == 1  # 5 days before 2026-04-30
    assert alert_due_negotiations(D(2026, 5, 1)) == 1  # overdue: no reply
    assert alert_due_negotiations(D(2026, 5, 2)) == 0
    assert Notification.objects.filter(recipient=officer).count() == 2


def test_rounds_information_requests_and_overdue_edges(tree, make_user, client):
    from gongjia.platform.models import Notification
    from gongjia.rights.sweeps import alert_overdue_edges

    officer = make_user("town_officer", tree.town_a)
    n = negotiation(tree)
    seats(n)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    r = client.post(
        f"/api/v1/rights/negotiations/{n.pk}/rounds",
        {"held_on": "2026-05-06", "recorder": "workers1", "minutes": "第一轮"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "recorder" in r.json()["errors"]  # a representative
    r = client.post(
        f"/api/v1/rights/negotiations/{n.pk}/rounds",
        {
            "held_on": "2026-05-06",
            "recorder": "中立记录员",
            "minutes": "第一轮",
            "signed_by_chiefs": True,
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["rounds"][0]["recorder"] == "中立记录员"
    r = client.post(
        f"/api/v1/rights/negotiations/{n.pk}/information",
        {"what": "近三年工资总额和利润", "on": "2026-04-28"},
        content_type="application/json",
    )
    info = r.json()["information_requests"][0]
    assert info["due_on"] == "2026-05-06"  # 5 days end in the May Day holiday
    assert alert_overdue_edges(D(2026, 5, 6)) == 0
    assert alert_overdue_edges(D(2026, 5, 7)) == 1
    assert alert_overdue_edges(D(2026, 5, 8)) == 0  # told once
    assert Notification.objects.filter(recipient=officer, title__contains=n.title).count() == 1
    url = f"/api/v1/rights/negotiations/{n.pk}/information/{info['id']}/supplied"
    assert (
        client.post(url, {"on": "2026-05-07"}, content_type="application/json").status_code == 200
    )
    assert client.post(url, {}, content_type="application/json").status_code == 400
