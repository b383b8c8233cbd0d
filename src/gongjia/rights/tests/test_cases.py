"""Labour-dispute cases: intake, the state machine with its clocks, the limitation, the final
award, closure codes, alerts, scope, and two officers moving one case at once."""

import datetime as dt
import itertools
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from gongjia.members.testing import id_number
from gongjia.platform.models import Notification
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions
from gongjia.rights.models import Agency, DisputeCase, LimitationEvent, Referral
from gongjia.rights.sweeps import alert_due_cases

S = DisputeCase.Status


_people = itertools.count(0, 20)


def open_case(tree, *, acting_user=SYSTEM, workers=1, first=None, **kw):
    """A case of `workers` workers; each call takes other people unless `first` is given."""
    first = next(_people) if first is None else first
    fields = dict(
        channel="station",
        employer_name="杭州某机械有限公司",
        received_on=dt.date(2025, 3, 3),
        summary="拖欠工资三个月",
        known_on=dt.date(2025, 2, 1),
        facts={"hired_on": "2022-05-01", "wages_owed": "2024 年 12 月至 2025 年 2 月"},
    )
    fields.update(kw)
    return actions.open_case(
        acting_user=acting_user,
        unit=fields.pop("unit", tree.town_a),
        workers=[
            {"name": f"职工{i}", "id_number": id_number(first + i), "mobile": "13800000001"}
            for i in range(workers)
        ],
        claims=fields.pop("claims", [{"kind": "wages", "amount": "18000"}]),
        **fields,
    )


def test_intake_numbers_the_case_and_checks_what_it_is_given(tree):
    case = open_case(tree, first=0)
    assert case.number == "WQ2025000001" and case.status == S.RECEIVED
    assert case.workers.get().id_number == id_number(0)
    assert case.limitation_expires_on == dt.date(2026, 2, 2)  # 2026-02-01 is a Sunday
    with pytest.raises(ValidationError, match="facts"):
        open_case(tree, facts={"colour": "red"})
    with pytest.raises(ValidationError, match="oral_record"):
        open_case(tree, oral=True)
    with pytest.raises(ValidationError, match="workers"):
        open_case(tree, workers=0)
    with pytest.raises(ValidationError, match="claims"):
        open_case(tree, claims=[{"kind": "wages", "amount": "-5"}])
    assert DisputeCase.objects.count() == 1  # nothing half-written


def test_mediation_path_with_its_clocks_and_closure(tree):
    case = open_case(tree)
    actions.case_step(case, "mediate", acting_user=SYSTEM, on=dt.date(2025, 9, 20))
    assert (case.status, case.clock) == (S.MEDIATING, "mediation")
    assert (case.warn_on, case.due_on) == (dt.date(2025, 10, 2), dt.date(2025, 10, 9))
    # Asking a mediation body interrupts the limitation: a new year from that day.
    assert case.limitation_events.get().kind == LimitationEvent.Kind.INTERRUPTION
    assert case.limitation_expires_on == dt.date(2026, 9, 20)  # a Sunday, but a make-up workday
    with pytest.raises(ValidationError, match="agreement_effective_on"):
        actions.case_step(case, "agree", acting_user=SYSTEM)
    actions.case_step(
        case, "agree", acting_user=SYSTEM, values={"agreement_effective_on": dt.date(2025, 10, 8)}
    )
    assert (case.status, case.clock, case.due_on) == (
        S.AGREED,
        "judicial_confirmation",
        dt.date(2025, 11, 7),
    )
    with pytest.raises(ValidationError):  # the 15-day window for arbitral review has closed
        actions.case_step(
            case,
            "apply_confirmation",
            acting_user=SYSTEM,
            note="双方共同申请",
            on=dt.date(2025, 10, 30),
            values={"confirmation": "arbitral_review"},
        )
    actions.case_step(
        case,
        "apply_confirmation",
        acting_user=SYSTEM,
        note="双方共同申请",
        on=dt.date(2025, 10, 30),
        values={"confirmation": "judicial_confirmation"},
    )
    actions.case_step(case, "perform", acting_user=SYSTEM, on=dt.date(2025, 11, 20))
    case.refresh_from_db()
    assert case.status == S.PERFORMED and case.closure == "mediated_confirmed"
    assert case.closed_on == dt.date(2025, 11, 20) and case.due_on is None
    with pytest.raises(ValidationError, match="“"):  # a closed case moves no further
        actions.case_step(case, "withdraw", acting_user=SYSTEM, note="撤回")


def test_arbitration_is_refused_after_the_limitation_and_awards_are_tested_for_finality(tree):
    late = open_case(tree, known_on=dt.date(2023, 1, 10))
    actions.case_step(late, "mediate", acting_user=SYSTEM, on=dt.date(2023, 2, 1))
    actions.case_step(late, "fail_mediation", acting_user=SYSTEM, note="对方拒绝")
    with pytest.raises(ValidationError, match="2024-02-01"):
        actions.case_step(late, "refer_arbitration", acting_user=SYSTEM, on=dt.date(2025, 3, 1))
    case = open_case(tree, claims=[{"kind": "wages", "amount": "29880"}])
    actions.case_step(case, "negotiate", acting_user=SYSTEM, on=dt.date(2025, 3, 4))
    assert case.due_on == dt.date(2025, 3, 10)  # 5 days; 2025-03-09 is a Sunday
    actions.case_step(case, "refer_arbitration", acting_user=SYSTEM, on=dt.date(2025, 3, 5))
    actions.case_step(case, "accept_arbitration", acting_user=SYSTEM, on=dt.date(2025, 3, 7))
    assert (case.clock, case.due_on) == ("award", dt.date(2025, 4, 21))
    actions.case_step(case, "extend_award", acting_user=SYSTEM, note="案情复杂，主任批准")
    assert (case.clock, case.due_on) == ("award_extension", dt.date(2025, 5, 6))
    with pytest.raises(ValidationError):
        actions.case_step(case, "extend_award", acting_user=SYSTEM, note="再次延长")
    actions.case_step(
        case, "award", acting_user=SYSTEM, values={"award_received_on": dt.date(2025, 5, 6)}
    )
    assert case.final_award is True  # 29,880 = 12 × 2,490, Xiaoshan 2025
    actions.case_step(case, "award_in_effect", acting_user=SYSTEM)
    actions.case_step(
        case,
        "close",
        acting_user=SYSTEM,
        values={"closure": "award_won", "fully_performed": True},
        on=dt.date(2025, 6, 1),
    )
    case.refresh_from_db()
    assert (case.status, case.closure, case.fully_performed) == (S.CLOSED, "award_won", True)
    with pytest.raises(ValidationError):  # a code that belongs to its own step
        other = open_case(tree)
        actions.case_step(other, "close", acting_user=SYSTEM, values={"closure": "withdrawn"})


def test_court_entrusted_mediation_is_an_edge_with_a_feedback_letter(tree):
    case = open_case(tree, channel="court", claims=[{"kind": "other", "amount": None}])
    actions.case_step(case, "refer_arbitration", acting_user=SYSTEM, on=dt.date(2025, 3, 4))
    actions.case_step(case, "arbitration_refused", acting_user=SYSTEM, note="不予受理")
    with pytest.raises(ValidationError, match="agency"):  # no court among the agencies yet
        actions.case_step(case, "entrust", acting_user=SYSTEM, on=dt.date(2025, 4, 1))
    court = actions.save_agency(
        None,
        acting_user=SYSTEM,
        unit=tree.district,
        name="萧山区人民法院",
        kind=Agency.Kind.COURT,
        effective_from=dt.date(2019, 1, 1),
    )
    actions.case_step(case, "entrust", acting_user=SYSTEM, on=dt.date(2025, 4, 1))
    edge = Referral.objects.get(case=case)
    assert (edge.kind, edge.agency, edge.due_on) == ("court_entrusted", court, dt.date(2025, 5, 6))
    actions.case_step(
        case, "return_to_court", acting_user=SYSTEM, note="争议焦点：加班费计算基数；障碍：证据不足"
    )
    edge.refresh_from_db()
    assert edge.result == "failed" and "争议焦点" in edge.feedback_letter
    assert case.status == S.LITIGATION


def test_near_due_and_overdue_cases_notify_once_per_level(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    case = open_case(tree)
    actions.case_step(case, "mediate", acting_user=SYSTEM, on=dt.date(2025, 9, 20))
    assert alert_due_cases(dt.date(2025, 10, 1)) == 0
    assert alert_due_cases(dt.date(2025, 10, 2)) == 1
    assert alert_due_cases(dt.date(2025, 10, 3)) == 0  # already told
    assert alert_due_cases(dt.date(2025, 10, 10)) == 1
    titles = list(Notification.objects.filter(recipient=officer).values_list("title", flat=True))
    assert len(titles) == 2 and case.number in titles[0]


def test_scope_of_cases(tree, make_user):
    officer_b = make_user("town_officer", tree.town_b)
    case = open_case(tree)
    with pytest.raises(PermissionDenied):
        actions.case_step(case, "mediate", acting_user=officer_b)
    with pytest.raises(PermissionDenied):
        open_case(tree, acting_user=officer_b)


@pytest.mark.django_db(transaction=True)
def test_two_officers_moving_one_case_at_once(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    a = make_user("town_officer", tree.town_a)
    b = make_user("town_officer", tree.town_a)
    case = open_case(tree)
    barrier, outcomes = threading.Barrier(2), {}

    def move(user, step):
        from django.db import connections

        try:
            barrier.wait()
            actions.case_step(
                DisputeCase.objects.get(pk=case.pk),
                step,
                acting_user=user,
                note="同时操作",
                on=dt.date(2025, 3, 4),
            )
            outcomes[step] = "done"
        except ValidationError as e:
            outcomes[step] = " ".join(e.messages)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(a, "mediate")),
        threading.Thread(target=move, args=(b, "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()).count("done") == 1, outcomes
    loser = next(v for v in outcomes.values() if v != "done")
    assert "“" in loser  # names the step and the state the case is now in
    case.refresh_from_db()
    assert case.status in (S.MEDIATING, S.REJECTED)
    assert LimitationEvent.objects.filter(case=case).count() == (case.status == S.MEDIATING)


def test_claim_amounts_are_exact(tree):
    case = open_case(tree, claims=[{"kind": "wages", "amount": "12345.67"}])
    assert case.claims.get().amount == Decimal("12345.67")


def test_cases_api(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    payload = {
        "unit_code": "A",
        "channel": "station",
        "employer_name": "杭州某纺织有限公司",
        "received_on": "2025-03-03",
        "summary": "集体追索加班费",
        "known_on": "2025-02-01",
        "common_claim": True,
        "facts": {"working_time": "每天 12 小时"},
        "workers": [{"name": f"职工{i}", "id_number": id_number(i)} for i in range(10)],
        "claims": [{"kind": "wages", "amount": "5000.50"}],
    }
    r = client.post("/api/v1/rights/cases", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["collective"] is True and body["workers"][0]["id_number_masked"].count("*") == 11
    assert body["limitation_expires_on"] == "2026-02-02"
    cid = body["id"]
    steps = client.get(f"/api/v1/rights/cases/{cid}/transitions").json()
    assert {"mediate", "negotiate", "reject"} <= {s["name"] for s in steps}
    r = client.post(
        f"/api/v1/rights/cases/{cid}/transitions",
        {"name": "mediate", "on": "2025-03-04"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "mediating"
    assert r.json()["due_on"] == "2025-03-19"
    r = client.post(
        f"/api/v1/rights/cases/{cid}/transitions",
        {"name": "settle"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "“" in r.json()["message"]
    bad = dict(payload, facts={"colour": "red"})
    r = client.post("/api/v1/rights/cases", bad, content_type="application/json")
    assert r.status_code == 400 and "facts" in r.json()["errors"]
    r = client.post(
        "/api/v1/rights/cases", dict(payload, unit_code="B"), content_type="application/json"
    )
    assert r.status_code == 400 and "unit_code" in r.json()["errors"]
    listed = client.get("/api/v1/rights/cases?overdue=true").json()
    assert [c["id"] for c in listed["items"]] == [cid]  # 2025-03-19 has long passed
    assert client.get("/api/v1/rights/cases?mine=true").json()["count"] == 0


def test_case_indicators_by_year_and_by_town(tree, make_user, client):
    from gongjia.platform import kpis

    def done(case, *steps):
        for name, on, values in steps:
            actions.case_step(case, name, acting_user=SYSTEM, on=on, values=values, note="记录")

    d = dt.date
    a1 = open_case(tree)  # negotiated in 10 days
    done(a1, ("negotiate", d(2025, 3, 4), None), ("settle", d(2025, 3, 13), None))
    a2 = open_case(tree)  # mediated, performed after 30 days
    done(
        a2,
        ("mediate", d(2025, 3, 4), None),
        ("agree", d(2025, 3, 20), {"agreement_effective_on": d(2025, 3, 20)}),
        ("perform", d(2025, 4, 2), None),
    )
    a3 = open_case(tree)  # agreement not performed: to arbitration, not resolved
    done(
        a3,
        ("mediate", d(2025, 3, 4), None),
        ("agree", d(2025, 3, 10), {"agreement_effective_on": d(2025, 3, 10)}),
        ("refer_arbitration", d(2025, 4, 15), None),
    )
    b1 = open_case(tree, unit=tree.town_b)  # an award won but not yet performed
    done(
        b1,
        ("refer_arbitration", d(2025, 3, 4), None),
        ("accept_arbitration", d(2025, 3, 6), None),
        ("award", d(2025, 4, 1), {"award_received_on": d(2025, 4, 1)}),
        ("close", d(2025, 4, 20), {"closure": "award_won"}),
    )
    admin = make_user("district_admin", tree.district)
    v = {k["key"]: k["value"] for k in kpis.evaluate(admin, year=2025)}
    assert v["rights.cases_received"] == 4
    assert v["rights.cases_resolved"] == 2
    assert v["rights.resolution_rate"] == 0.5
    assert v["rights.agreements_performed_rate"] == 0.5
    assert v["rights.median_days_to_resolution"] == 20  # (10 + 30) / 2
    assert v["rights.cases_overdue"] is None  # kept as it stands today only
    now = {k["key"]: k["value"] for k in kpis.evaluate(admin)}
    assert now["rights.cases_overdue"] == 1  # a3 waits for acceptance since April 2025
    client.force_login(admin, backend="gongjia.accounts.backends.RoleBackend")
    town_b = {
        k["key"]: k["value"] for k in client.get("/api/v1/cockpit/kpis?year=2025&under=B").json()
    }
    assert (town_b["rights.cases_received"], town_b["rights.cases_resolved"]) == (1, 0)
    # A town officer asking for the other town gets nothing of it: an error naming the field.
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    r = client.get("/api/v1/cockpit/kpis?year=2025&under=B&key=rights.cases_received")
    assert r.status_code == 400 and "单位代码 B 不存在或不在您的管辖范围内" in str(r.json())
    assert client.get("/api/v1/cockpit/kpis?under=NOPE").status_code == 400


def test_a_worker_files_a_request_in_the_portal_and_follows_it(tree, make_user, client):
    worker = make_user("worker", tree.union_a)
    worker.full_name, worker.id_number = "张伟", id_number(7)
    worker.save()
    officer = make_user("town_officer", tree.town_a)
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    assert (
        "还没有" in client.get("/portal/rights/").content.decode()
        or client.get("/portal/rights/").status_code == 200
    )
    form = {
        "employer_name": "杭州某机械有限公司",
        "summary": "公司拖欠我三个月工资，多次催要无果。",
        "known_on": "2026-10-10",
        "still_employed": "on",
        "claim_kind": "wages",
        "amount": "15000",
        "mobile": "13800000009",
    }
    bad = client.post("/portal/rights/new/", dict(form, known_on="2099-01-01"))
    assert bad.status_code == 200 and DisputeCase.objects.count() == 0
    r = client.post("/portal/rights/new/", form)
    case = DisputeCase.objects.get()
    assert r.status_code == 302 and r.url == f"/portal/rights/{case.pk}/"
    assert (case.channel, case.unit, case.requester) == ("portal", tree.town_a, worker)
    assert case.limitation_expires_on is None  # wages owed while still employed
    assert case.workers.get().id_number == id_number(7)
    assert Notification.objects.filter(recipient=officer, title__contains=case.number).exists()
    actions.case_step(case, "mediate", acting_user=officer, note="已联系企业")
    page = client.get(f"/portal/rights/{case.pk}/").content.decode()
    assert case.number in page and "已联系企业" in page
    other = make_user("worker", tree.union_a)
    client.force_login(other, backend="gongjia.accounts.backends.RoleBackend")
    assert client.get(f"/portal/rights/{case.pk}/").status_code == 404


def test_a_referral_is_an_edge_with_its_own_clock_and_feedback(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    mediation = actions.save_agency(
        None,
        acting_user=SYSTEM,
        unit=tree.town_a,
        name="城厢街道人民调解委员会",
        kind=Agency.Kind.PEOPLES_MEDIATION,
        effective_from=dt.date(2019, 1, 1),
    )
    case = open_case(tree)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    r = client.post(
        f"/api/v1/rights/cases/{case.pk}/referrals",
        {"agency_id": mediation.pk, "on": "2025-09-26"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    edge = r.json()["referrals"][0]
    assert edge["due_on"] == "2025-10-27"  # 30 days end on Sunday 2025-10-26
    url = f"/api/v1/rights/cases/{case.pk}/referrals/{edge['id']}/feedback"
    r = client.post(url, {"result": "failed"}, content_type="application/json")
    assert r.status_code == 400 and "feedback_letter" in r.json()["errors"]
    r = client.post(
        url,
        {"result": "failed", "feedback_letter": "争议焦点：工时认定"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["referrals"][0]["result"] == "failed"
    r = client.post(url, {"result": "resolved"}, content_type="application/json")
    assert r.status_code == 400  # recorded once


def test_team_case_loads(tree, make_user, client):
    lawyer = actions.save_team_member(
        None,
        acting_user=SYSTEM,
        unit=tree.town_a,
        kind="mediator",
        name="调解员甲",
    )
    open_case(tree, handler=lawyer)
    done = open_case(tree, handler=lawyer)
    actions.case_step(done, "reject", acting_user=SYSTEM, note="不属于劳动争议")
    client.force_login(
        make_user("town_officer", tree.town_a), backend="gongjia.accounts.backends.RoleBackend"
    )
    team = client.get("/api/v1/rights/team").json()["items"]
    assert [(m["name"], m["open_cases"]) for m in team] == [("调解员甲", 1)]


def test_one_worker_one_problem_one_year_is_one_case(tree, make_user):
    first = open_case(tree, first=500)
    with pytest.raises(ValidationError, match=first.number):
        open_case(tree, first=500)  # the same worker, employer and year, still open
    officer_b = make_user("town_officer", tree.town_b)
    with pytest.raises(ValidationError) as e:
        open_case(tree, first=500, unit=tree.town_b, acting_user=officer_b)
    assert first.number not in str(e.value)  # not named outside the officer's scope
    open_case(tree, first=500, employer_name="另一家公司")  # another employer, another problem
    open_case(tree, first=500, received_on=dt.date(2026, 3, 3))  # another year
    actions.case_step(first, "reject", acting_user=SYSTEM, note="不属于劳动争议")
    open_case(tree, first=500)  # the first one is closed


def test_the_back_office_case_form_has_the_ten_facts(tree, make_user, login_client):
    officer = make_user("town_officer", tree.town_a)
    client = login_client(officer)
    case = open_case(tree, facts={"post": "装配工"})
    url = f"/admin/rights/disputecase/{case.pk}/change/"
    page = client.get(url).content.decode()
    assert page.count('name="fact_') == 10 and "装配工" in page
    form = {
        "station": "",
        "oral_record": "",
        "employer": "",
        "employer_name": case.employer_name,
        "summary": case.summary,
        "handler": "",
        "known_on": "2025-02-01",
        "employment_ended_on": "",
        "agreement_effective_on": "",
        "award_received_on": "",
        "closure": "",
        "fact_post": "装配工，二车间",
        "fact_wages_owed": "三个月",
        **{
            f"{prefix}-{k}": v
            for prefix in ("workers", "claims", "limitation_events", "referrals")
            for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    r = client.post(url, form)
    assert r.status_code == 302, r.content.decode()[:3000]
    case.refresh_from_db()
    assert case.facts == {"post": "装配工，二车间", "wages_owed": "三个月"}


def test_a_case_is_opened_in_the_back_office_with_its_parties(tree, make_user, login_client):
    client = login_client(make_user("town_officer", tree.town_a))
    form = {
        "unit": tree.town_a.pk,
        "channel": "station",
        "employer_name": "杭州某印染有限公司",
        "received_on": "2026-11-02",
        "summary": "未签劳动合同，要求二倍工资",
        "known_on": "2026-10-01",
        "fact_contract": "未签订",
        "workers-TOTAL_FORMS": "1",
        "workers-INITIAL_FORMS": "0",
        "workers-0-name": "钱职工",
        "workers-0-mobile": "13800000021",
        "claims-TOTAL_FORMS": "1",
        "claims-INITIAL_FORMS": "0",
        "claims-0-kind": "wages",
        "claims-0-amount": "12000",
    }
    r = client.post("/admin/rights/disputecase/add/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    case = DisputeCase.objects.get(employer_name="杭州某印染有限公司")
    assert case.number.startswith("WQ2026") and case.facts == {"contract": "未签订"}
    assert case.workers.get().name == "钱职工" and case.claims.get().amount == 12000


def test_a_date_before_the_rules_begin_is_refused_with_a_message(tree, make_user, client):
    from conftest import sign_in
    from gongjia.platform.testing import factories
    from gongjia.rights.models import DisputeCase

    case = factories()[DisputeCase](tree, tree.town_a)
    make_user("district_admin", tree.district, username="early")
    token = sign_in(client, "early")
    r = client.patch(
        f"/api/v1/rights/cases/{case.pk}",
        {"known_on": "1964-02-16"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 400 and "1964-02-16" in r.json()["message"]
