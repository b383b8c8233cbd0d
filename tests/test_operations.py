import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import sign_in
from gongjia.accounts.models import User
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import audit


def run(*args, stdin=""):
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_healthz_reports_database_migrations_and_worker(client, db):
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["worker"] == "never seen"
    from gongjia.platform import worker

    worker.beat()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["worker_heartbeat_age_s"] < 5


def test_units_command(tree):
    rows = json.loads(run("units", "--json"))
    a1 = next(r for r in rows if r["code"] == "A-1")
    assert a1 == {
        "code": "A-1",
        "kind": "grassroots_union",
        "name": "甲公司工会",
        "parent_code": "A",
    }
    text = run("units", "--kind", "town_federation")
    assert "城厢街道总工会" in text and "甲公司工会" not in text


def test_user_add_list_disable(tree):
    out = run(
        "user",
        "add",
        "ops1",
        "--role",
        "security_admin",
        "--unit",
        "330109",
        "--password-stdin",
        stdin="Strong-pass-1\n",
    )
    assert "TOTP secret (base32):" in out
    user = User.objects.get(username="ops1")
    assert user.must_change_password and user.totp_secret
    out = run(
        "user",
        "add",
        "ops2",
        "--role",
        "worker",
        "--unit",
        "A-1",
        "--password-stdin",
        stdin="Strong-pass-2\n",
    )
    assert "TOTP" not in out  # only the worker's own portal account goes without
    assert "ops2\tactive" in run("user", "list")
    run("user", "disable", "ops2")
    assert not User.objects.get(username="ops2").is_active
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="8"):
        run(
            "user",
            "add",
            "ops3",
            "--role",
            "town_officer",
            "--unit",
            "A",
            "--password-stdin",
            stdin="short\n",
        )


def test_demo_builds_the_district_and_is_idempotent(db, client, monkeypatch):
    """The demo district; its 2020 records reproduce seed programme 6 (174 new unions, about
    19,000 new members, 38 unions of 100+ people with 9,900 members) and its rights network
    programme 1. Then --scale district on top of it."""
    out = run("demo")
    from gongjia.accounts.models import User as U
    from gongjia.platform import kpis

    v = {k["key"]: k["value"] for k in kpis.evaluate(U.objects.get(username="district"), year=2020)}
    assert v["members.new_unions"] == 174
    assert 18_500 <= v["members.new_members"] <= 19_500
    assert v["members.new_unions_100plus"] == 38
    assert v["members.new_unions_100plus_members"] == 9_900
    assert sum(v["members.new_unions_by_field"].values()) == 174
    # Seed programme 1: the rights network, from records.
    assert v["rights.stations"] == 77
    assert v["rights.village_coverage"] == 1.0
    assert (v["rights.lawyers"], v["rights.chief_maintainers"]) == (26, 81)
    assert v["rights.law_supervisors"] == 1_252
    # Seed programmes 4 and 5: honours and exemplars, from records.
    assert v["honours.model_workers_industrial_share"] > 0.6
    assert v["honours.tech_leaders_industrial_share"] > 0.75
    assert v["honours.recuperation_industrial_share"] >= 0.8
    assert v["honours.health_checks_industrial_share"] >= 0.8
    named = (v["honours.pioneer_units"], v["honours.studios"], v["honours.named_methods"])
    assert named == (40, 12, 20)
    assert 190 <= v["honours.party_members_developed"] <= 210
    assert v["honours.mass_organisation_posts"] > 0
    # Seed programme 3: special services, from records.
    assert v["services.counselling_rooms_new"] == 2
    assert v["services.counselling_rooms"] > 2 and v["services.counselling_sessions"] > 0
    assert v["services.placements"] == 8_000  # distinct people hired with evidence
    assert 0 < v["services.placements_stable_6m"] < 8_000
    assert v["services.urban_new_jobs"] == 16_000  # the government's figure, as published
    assert v["services.helmets_issued"] > 0 and 0 < v["services.helmet_wearing_rate"] < 1
    from gongjia.services.models import HelmetIssue, Hire

    first = HelmetIssue.objects.order_by("issued_on").first().issued_on
    assert first >= dt.date(2020, 6, 1)  # the campaign ran from June 2020
    assert Hire.objects.filter(hired_on__year=2020).count() > 8_000  # some hired twice
    assert v["services.beautiful_factories"] > 0 and v["services.rest_stations"] > 0
    from gongjia.rights.models import DisputeCase

    assert set(DisputeCase.objects.values_list("status", flat=True)) == set(
        DisputeCase.Status.values
    )  # dispute cases in every state
    v26 = {
        k["key"]: k["value"]
        for k in kpis.evaluate(
            U.objects.get(username="district"),
            year=2026,
            keys=["rights.online_negotiations", "rights.enterprises_with_collective_contract"],
        )
    }
    assert v26["rights.online_negotiations"] == 1  # the industry wage talks held online
    # Seed programme 2: 116 households in the archive at the end of 2020 with 152 employed
    # members, none before; a few in and out since, 116 and 152 again today.
    assert sum(v["assistance.archived_households"].values()) == 116
    assert v["assistance.employed_members"] == 152
    v19 = {k["key"]: k["value"] for k in kpis.evaluate(U.objects.get(username="district"), 2019)}
    assert (v19["assistance.archived_households"], v19["assistance.employed_members"]) == ({}, 0)
    v18 = {k["key"]: k["value"] for k in kpis.evaluate(U.objects.get(username="district"), 2018)}
    assert (v18["rights.stations"], v18["rights.lawyers"]) == (0, 0)  # opened 2019, 2020
    a = {
        k["key"]: k["value"]
        for k in kpis.evaluate(U.objects.get(username="district"), year=timezone.localdate().year)
        if k["key"].startswith("assistance.")
    }
    assert sum(a["assistance.archived_households"].values()) == 116
    assert a["assistance.employed_members"] == 152
    grades = [a["assistance.risk_red"], a["assistance.risk_yellow"], a["assistance.risk_green"]]
    assert sum(grades) == 152 and all(grades)
    assert a["assistance.relief_paid"] > 0 and a["assistance.relief_budget_left"] > 0
    assert a["assistance.visits_overdue"] > 0 and a["assistance.exited"] > 0
    assert v26["rights.enterprises_with_collective_contract"] >= 9
    token = sign_in(client, "chengxiang", "Gongjia@2026")
    r = client.get("/api/v1/cockpit/kpis?year=2020", HTTP_AUTHORIZATION=f"Bearer {token}")
    town = {k["key"]: k["value"] for k in r.json()}
    assert 0 < town["members.new_unions"] < 174  # a town officer sees the town's share
    assert "demo logins" in out
    counts = (
        Region.objects.count(),
        OrgUnit.objects.count(),
        Enterprise.objects.count(),
        User.objects.count(),
    )
    assert counts[0] == 613  # the district, 27 town-level units and 585 villages/communities
    towns = OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION)
    assert towns.count() == 27 and towns.filter(name="瓜沥镇总工会").exists()
    for e in Enterprise.objects.all()[:20]:
        e.full_clean()  # valid credit codes
    run("demo")
    assert counts == (
        Region.objects.count(),
        OrgUnit.objects.count(),
        Enterprise.objects.count(),
        User.objects.count(),
    )
    assert "not loaded" in run("demo", "--if-empty")
    assert audit.verify()[1] is None

    # --scale district: volume unions and enterprises, then members loaded by the member
    # import (scaled down here), all joined before 2020 so the seed's figures hold.
    from gongjia.members import demo as member_demo
    from gongjia.members.models import Member, MembershipChange
    from gongjia.orgs import demo as org_demo

    units = OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS).count()
    monkeypatch.setattr(org_demo, "DISTRICT_UNIONS", units + 30)
    monkeypatch.setattr(org_demo, "DISTRICT_ENTERPRISES", Enterprise.objects.count() + 10)
    monkeypatch.setattr(member_demo, "DISTRICT_MEMBERS", 3_000)
    before = Member.objects.count()
    out = run("demo", "--scale", "district")
    assert "3000" in out.split("district members:")[1]
    volume = Member.objects.filter(union__code__contains="-X")
    assert volume.count() == 3_000
    assert Member.objects.count() == before + 3_000
    assert volume.values("union").distinct().count() == 30  # spread over every volume union
    assert not volume.filter(join_date__year__gte=2020).exists()
    assert MembershipChange.objects.filter(member__in=volume, kind="join").count() == 3_000
    v = {k["key"]: k["value"] for k in kpis.evaluate(U.objects.get(username="district"), year=2020)}
    assert v["members.new_unions"] == 174 and v["members.new_unions_100plus_members"] == 9_900
    assert "already present" in run("demo", "--scale", "district")
    assert Member.objects.count() == before + 3_000


def test_worker_runs_queued_jobs_with_progress(
    tree, make_user, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker

    from gongjia.platform import jobs, worker
    from gongjia.platform.models import Job

    # The worker recycles database connections between tasks; inside a test transaction the
    # connection must stay open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    user = make_user("town_officer", tree.town_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            "tests.test_operations.sample_job", label="样例", user=user, params={"n": 3}
        )
    worker.run_ready_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == 3 and job.total == 3


def sample_job(job, n):
    from gongjia.platform import jobs

    for i in range(n):
        jobs.progress(job, i + 1, n, f"{i + 1}/{n}")
    return {"message": "ok", "finished": timezone.now().isoformat()}


def test_job_page_polls_its_progress(tree, make_user, login_client):
    from gongjia.platform.models import Job

    user = make_user("town_officer", tree.town_a)
    job = Job.objects.create(
        kind="x", label="导入职工", user=user, total=10, done=4, status=Job.Status.RUNNING
    )
    client = login_client(user)
    page = client.get(f"/admin/platform/job/{job.pk}/change/").content.decode()
    assert "40%" in page and f"/admin/platform/job/{job.pk}/progress/" in page
    Job.objects.filter(pk=job.pk).update(done=10, status=Job.Status.DONE)
    fragment = client.get(f"/admin/platform/job/{job.pk}/progress/").content.decode()
    assert "100%" in fragment and "hx-trigger" not in fragment
    other = login_client(make_user("town_officer", tree.town_b))
    assert other.get(f"/admin/platform/job/{job.pk}/progress/").status_code == 404


def test_notifications_to_a_role_in_a_unit_and_the_unread_badge(tree, make_user, login_client):
    from gongjia.platform.navigation import unread_badge
    from gongjia.platform.notifications import notify

    a1 = make_user("town_officer", tree.town_a)
    a2 = make_user("town_officer", tree.town_a)
    b1 = make_user("town_officer", tree.town_b)
    assert notify(title="案件即将超期", role="town_officer", unit=tree.town_a) == 2
    client = login_client(a1)
    request = client.get("/admin/").wsgi_request
    assert unread_badge(request) == "1"
    page = client.get("/admin/platform/notification/").content.decode()
    assert "案件即将超期" in page
    assert b1.notifications.count() == 0 and a2.notifications.count() == 1


@pytest.mark.parametrize(("command", "option"), [("serve", "--port"), ("import", "--valid-only")])
def test_a_command_s_usage_names_it_as_the_operator_types_it(command, option, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GONGJIA_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}
    out = subprocess.run(
        [sys.executable, "-m", "gongjia.cli", command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert out.startswith(f"usage: gongjia {command} [") and option in out


def test_an_unhealthy_healthz_is_a_warning_not_a_server_error(client, db, caplog):
    import logging

    with caplog.at_level(logging.INFO):
        assert client.get("/healthz").status_code == 503  # no worker has beaten yet
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("never seen" in r.getMessage() for r in caplog.records)


def test_the_platform_runs_its_own_app_config(db):
    """Its ready() connects the audit signals and loads the event types: a second AppConfig in
    its apps module would silently replace it with Django's plain one."""
    from django.apps import apps

    from gongjia.platform.apps import PlatformConfig

    assert type(apps.get_app_config("platform")) is PlatformConfig
    assert str(apps.get_app_config("django_tasks_database").verbose_name) == "后台任务"
