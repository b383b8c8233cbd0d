"""The worker process: runs queued tasks, beats its heartbeat and runs the periodic sweeps."""

import logging
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger("gongjia.worker")


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


def beat():
    from gongjia.platform.models import Heartbeat

    Heartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})


def run_due_sweeps(now: float | None = None):
    now = now or time.time()
    for s in _sweeps.values():
        if now - s.last_run >= s.every_seconds:
            s.last_run = now
            try:
                s.func()
            except Exception:
                log.exception("sweep %s failed", s.name)


def run_ready_tasks():
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"gongjia-{uuid.uuid4().hex[:8]}",
        excluded_queue_names=[],
    ).run()


def discover():
    """Import every app's `sweeps` module, where its periodic jobs are declared."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("sweeps")


def run_forever(interval: float = 2.0):
    discover()
    stop = {"flag": False}

    def _stop(signum, frame):
        stop["flag"] = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    log.info("worker started")
    while not stop["flag"]:
        close_old_connections()
        beat()
        run_due_sweeps()
        run_ready_tasks()
        time.sleep(interval)
    log.info("worker stopped")
