import contextlib
import logging
import os
import signal
import socket
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


def _processes() -> int:
    """How many server processes by default: one per core, up to four (each holds its own
    copy of the application and of the figures it keeps); GONGJIA_PROCESSES overrides it."""
    configured = os.environ.get("GONGJIA_PROCESSES", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, 4))


def _listen(host: str, port: int) -> socket.socket:
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    return sock


class Servers:
    """Several server processes on one listening socket. Python runs one thread at a time in
    a process, so pages that are mostly Python (templates, the figures' answers) are served by
    as many processes as there are cores; each has its own threads for the waits on the
    database. A process that exits is started again."""

    def __init__(self, sock: socket.socket, count: int, threads: int):
        self.sock, self.count, self.threads = sock, count, threads
        self.children: set[int] = set()
        self.stopping = False

    def _spawn(self):
        from django.db import connections

        connections.close_all()  # a child never shares the parent's database connection
        pid = os.fork()
        if pid:
            self.children.add(pid)
            return
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _serve(self.sock, self.threads)
        except BaseException:  # noqa: BLE001  a child never returns into the parent's code
            log.exception("a server process failed")
            code = 1
        finally:
            os._exit(code)

    def start(self):
        for _i in range(self.count):
            self._spawn()

    def _exited(self) -> list[tuple[int, int]]:
        # Each child by its own id: os.wait() would also take the worker, which the
        # supervisor's Popen waits for.
        out = []
        for pid in list(self.children):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                self.children.discard(pid)
                out.append((pid, status))
        return out

    def watch(self):
        # A process replaced soon after it started waits longer each time (up to 30 s), so a
        # broken installation does not spin. Replacements are forked from this process, whose
        # worker supervisor thread only waits (no lock of its is held across a fork).
        pause, started = 0.5, time.monotonic()
        while not self.stopping:
            for _pid, status in self._exited():
                quick = time.monotonic() - started < 10
                pause = min(30.0, pause * 2) if quick else 0.5
                log.error(
                    "a server process exited (status %s); starting another in %.1f s",
                    status,
                    pause,
                )
                time.sleep(pause)
                started = time.monotonic()
                self._spawn()
            time.sleep(0.5)

    def stop(self, timeout: float = 10):
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.children and time.monotonic() < deadline:
            self._exited()
            time.sleep(0.1)
        for pid in self.children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _serve(sock: socket.socket, threads: int):
    from waitress import serve

    from gongjia.wsgi import application

    serve(application, sockets=[sock], threads=threads, ident="gongjia")


class Command(BaseCommand):
    help = "Serve the back office, the portal and the API with a production WSGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="threads per process")
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="server processes (default: one per core, up to 4, or GONGJIA_PROCESSES)",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run the task worker alongside, started again whenever it exits",
        )

    def handle(self, *args, host, port, threads, processes, with_worker, **opts):
        from gongjia.platform import pii

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
        count = processes or _processes()
        if not hasattr(os, "fork"):
            count = 1
        sock = _listen(host, port)
        servers = Servers(sock, count, threads) if count > 1 else None
        if servers is not None:
            servers.start()  # forked before the worker's supervisor thread starts
        supervisor = None
        if with_worker:
            supervisor = WorkerSupervisor([sys.executable, "-m", "gongjia.cli", "worker"])
            supervisor.start()
        self.stdout.write(
            f"Gongjia serving on http://{host}:{port}/ with {count} process(es) (Ctrl-C stops)"
        )
        try:
            if servers is None:
                _serve(sock, threads)
            else:
                servers.watch()
        except KeyboardInterrupt:
            pass
        finally:
            if servers is not None:
                servers.stop()
            if supervisor is not None:
                supervisor.stop()
