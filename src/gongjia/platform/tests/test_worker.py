import datetime as dt

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongjia.platform import jobs, worker
from gongjia.platform.models import Heartbeat, Job


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_a_failing_step_never_ends_the_worker(monkeypatch):
    calls = []

    def broken(interval):
        calls.append(interval)
        raise OperationalError("database is locked")

    monkeypatch.setattr(worker, "beat", broken)
    assert worker.one_round(2.0) is False  # the database is away: logged, reported, survived
    monkeypatch.undo()
    assert worker.one_round(2.0) is True
    assert Heartbeat.objects.get(name=worker.WORKER_ID).interval_s == 2.0


def test_a_failing_sweep_leaves_the_others_running(db, monkeypatch):
    ran = []
    monkeypatch.setattr(
        worker,
        "_sweeps",
        {
            "a": worker.Sweep("a", 1, lambda: 1 / 0),
            "b": worker.Sweep("b", 1, lambda: ran.append("b")),
        },
    )
    worker.run_due_sweeps()
    assert ran == ["b"]


def test_jobs_of_a_stopped_worker_are_failed_and_can_run_again(db, make_user, tree):
    user = make_user("town_officer", tree.town_a)
    now = timezone.now()
    Heartbeat.objects.create(name="alive", beat_at=now, interval_s=2)
    Heartbeat.objects.create(name="gone", beat_at=now - dt.timedelta(seconds=30), interval_s=2)
    running = Job.objects.create(
        kind="gongjia.members.exports.run_job",
        label="导出",
        user=user,
        status="running",
        worker_id="gone",
    )
    kept = Job.objects.create(kind="x", label="y", user=user, status="running", worker_id="alive")
    assert worker.fail_orphaned_jobs() == 1
    running.refresh_from_db()
    kept.refresh_from_db()
    assert running.status == "failed" and "重新运行" in running.message
    assert kept.status == "running"
    again = jobs.run_again(running, user=user)
    assert again.pk != running.pk and again.params == running.params
    with pytest.raises(Exception, match="失败"):
        jobs.run_again(kept, user=user)


def test_tasks_claimed_by_a_stopped_worker_are_failed(db):
    task = DBTaskResult.objects.create(
        task_path="gongjia.platform.jobs.run_job",
        args_kwargs={"args": [], "kwargs": {"job_id": "x"}},
        status="RUNNING",
        worker_ids=["gone"],
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=None,
    )
    worker.fail_orphaned_jobs()
    task.refresh_from_db()
    assert task.status == "FAILED"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server that drops connections")
@pytest.mark.django_db(transaction=True)
def test_the_worker_reconnects_after_the_server_drops_its_connection():
    import psycopg
    from django.conf import settings

    worker.one_round(2.0)
    pid = connection.connection.info.backend_pid
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert worker.one_round(2.0) in (True, False)  # the broken connection is dropped, at worst
    assert worker.one_round(2.0) is True
    assert connection.connection.info.backend_pid != pid
