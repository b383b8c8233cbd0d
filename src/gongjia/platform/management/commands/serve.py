import logging
import signal
import subprocess
import sys
import threading
import time

from django.core.management.base import BaseCommand

log = logging.getLogger("gongjia.serve")


class WorkerSupervisor(threading.Thread):
    """Keeps one `gongjia worker` running beside the server: a worker that exits, for whatever
    reason, is started again (at once after a long run, with a growing pause when it keeps
    failing at start, so a broken installation does not spin)."""

    def __init__(self, argv: list[str]):
        super().__init__(name="worker-supervisor", daemon=True)
        self.argv = argv
        self.stopping = threading.Event()
        self.proc: subprocess.Popen | None = None

    def run(self):
        pause = 1.0
        while not self.stopping.is_set():
            started = time.monotonic()
            self.proc = subprocess.Popen(self.argv)
            while self.proc.poll() is None and not self.stopping.wait(0.5):
                pass
            if self.stopping.is_set():
                break
            ran = time.monotonic() - started
            pause = 1.0 if ran > 60 else min(30.0, pause * 2)
            log.error(
                "the worker exited with code %s after %.0f s; starting it again in %.0f s",
                self.proc.returncode,
                ran,
                pause,
            )
            self.stopping.wait(pause)

    def stop(self):
        self.stopping.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.join(timeout=15)


class Command(BaseCommand):
    help = "Serve the back office, the portal and the API with a production WSGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run the task worker alongside, started again whenever it exits",
        )

    def handle(self, *args, host, port, threads, with_worker, **opts):
        from waitress import serve

        from gongjia.platform import pii
        from gongjia.wsgi import application

        try:
            pii.ensure_canaries()
            for problem in pii.key_problems():
                self.stderr.write(f"密钥问题 / key problem: {problem}")
        except Exception as exc:  # noqa: BLE001  a database not migrated yet: /healthz says so
            log.warning("key check skipped: %s", exc)

        def stop(signum, frame):
            raise KeyboardInterrupt

        # Ctrl-C (or a service manager's SIGTERM) stops the server and its worker, even when the
        # shell that started us ignores SIGINT for background jobs.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        supervisor = None
        if with_worker:
            supervisor = WorkerSupervisor([sys.executable, "-m", "gongjia.cli", "worker"])
            supervisor.start()
        self.stdout.write(f"Gongjia serving on http://{host}:{port}/ (Ctrl-C stops)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="gongjia")
        except KeyboardInterrupt:
            pass
        finally:
            if supervisor is not None:
                supervisor.stop()
