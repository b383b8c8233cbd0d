"""The worker process: runs queued tasks, beats its heartbeat and runs the periodic sweeps.

It must not die: every step of the loop is guarded, a lost database connection is dropped and
opened again on the next step, and a job left running by a worker that died is marked failed
(with a message saying so) when the next worker starts or notices, so the user can run it again.
"""

import datetime as dt
import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, close_old_connections, connections
from django.utils import timezone

log = logging.getLogger("gongjia.worker")

# One id per worker process: its heartbeat row, the jobs it runs and the tasks it claims.
WORKER_ID = f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
# A worker is gone when its heartbeat is older than this many of its intervals.
STALE_INTERVALS = 3


@dataclass
class Sweep:
    name: str
    every_seconds: int
    func: Callable[[], object]
    last_run: float = 0.0


_sweeps: dict[str, Sweep] = {}


def sweep(name: str, every_seconds: int):
    """Declare a periodic job (overdue checks, yearly reviews...) run by `gongjia worker`."""

    def wrap(func):
        _sweeps[name] = Sweep(name, every_seconds, func)
        return func

    return wrap


def beat(interval: float = 2.0):
    """One statement each (never a read upgraded to a write, which SQLite refuses at once
    instead of waiting for the lock)."""
    from gongjia.platform.models import Heartbeat

    now = timezone.now()
    if Heartbeat.objects.filter(name=WORKER_ID).update(beat_at=now, interval_s=interval):
        return
    try:
        Heartbeat.objects.create(name=WORKER_ID, beat_at=now, interval_s=interval)
    except IntegrityError:
        Heartbeat.objects.filter(name=WORKER_ID).update(beat_at=now, interval_s=interval)


def live_workers(now=None) -> list[str]:
    """Ids of the workers whose heartbeat is recent enough to count them alive."""
    from gongjia.platform.models import Heartbeat

    now = now or timezone.now()
    return [
        h.name
        for h in Heartbeat.objects.all()
        if (now - h.beat_at).total_seconds() < STALE_INTERVALS * h.interval_s
    ]


def fail_orphaned_jobs() -> int:
    """Jobs (and their queued tasks) left running by a worker that is gone: failed, with a
    message, so that the user sees what happened and may run them again."""
    from django.utils.translation import gettext as _
    from django_tasks_db.models import DBTaskResult

    from gongjia.platform.models import Heartbeat, Job

    alive = set(live_workers())
    now = timezone.now()
    n = (
        Job.objects.filter(status=Job.Status.RUNNING)
        .exclude(worker_id__in=alive)
        .update(
            status=Job.Status.FAILED,
            finished_at=now,
            message=_(
                "The background process stopped while running this job; nothing of it was "
                "kept. Run it again."
            ),
        )
    )
    if n:
        log.warning("%d job(s) of a stopped worker marked failed", n)
    for task in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids"):
        if not alive.intersection(task.worker_ids):
            DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
                status="FAILED",
                finished_at=now,
                exception_class_path="gongjia.platform.worker.WorkerStopped",
                traceback="the worker that claimed this task stopped",
            )
    # Heartbeats of workers gone for a day are of no more use.
    Heartbeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return n


def run_due_sweeps(now: float | None = None):
    now = now or time.time()
    for s in _sweeps.values():
        if now - s.last_run >= s.every_seconds:
            s.last_run = now
            guarded(f"sweep {s.name}", s.func)


def run_ready_tasks():
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    ).run()


def discover():
    """Import every app's `sweeps` module, where its periodic jobs are declared."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("sweeps")


def _drop_broken_connections():
    """After a database error the connection may be dead (a server restart, a terminated
    backend) or stuck in a failed transaction: close it, the next step opens a new one."""
    for conn in connections.all(initialized_only=True):
        try:
            if conn.in_atomic_block:
                continue  # never from inside a transaction; the caller's exit rolls it back
            conn.close()
        except Exception:  # noqa: BLE001  closing a dead connection may itself fail
            log.debug("closing a broken connection failed", exc_info=True)


def guarded(name: str, func: Callable, *args) -> bool:
    """Run one step of the loop; an error is logged and never ends the worker."""
    try:
        func(*args)
        return True
    except Exception:
        log.exception("worker step %s failed; continuing", name)
        _drop_broken_connections()
        return False


def one_round(interval: float) -> bool:
    """Heartbeat, due sweeps, ready tasks. False when the database could not be reached."""
    if not guarded("connections", close_old_connections) or not guarded(
        "heartbeat", beat, interval
    ):
        return False
    run_due_sweeps()
    guarded("tasks", run_ready_tasks)
    return True


def run_forever(interval: float = 2.0):
    discover()
    stop = {"flag": False}

    def _stop(signum, frame):
        stop["flag"] = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    log.info("worker %s started", WORKER_ID)
    failures = 0
    while not stop["flag"]:
        failures = 0 if one_round(interval) else failures + 1
        # Back off while the database is away, up to a minute, without hammering it.
        time.sleep(min(60.0, interval * (2 ** min(failures, 5))))
    log.info("worker %s stopped", WORKER_ID)
