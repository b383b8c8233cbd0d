"""A real installation for tests: its own var directory and database, the demo district, and
`gongjia serve --with-worker` on a free port, driven over HTTP and the command line.

The database follows the suite's: a temporary SQLite file, or, when the suite runs on
PostgreSQL, a fresh database on the same server (dropped afterwards).
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pyotp

PASSWORD = "Gongjia@2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_connection(url: str):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


class LiveSite:
    def __init__(self, root: Path):
        self.root = root
        self.suite_url = os.environ.get("DATABASE_URL") or ""
        self.pg_name = None
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGJIA_")}
        env.update(
            GONGJIA_VAR_DIR=str(root),
            GONGJIA_SECRET_KEY="live-test-" + uuid.uuid4().hex,
            PYTHONUNBUFFERED="1",
        )
        if self.suite_url.startswith("postgres"):
            self.pg_name = f"gongjia_live_{uuid.uuid4().hex[:10]}"
            with _admin_connection(self.suite_url) as c:
                c.execute(f'CREATE DATABASE "{self.pg_name}"')
            parts = urllib.parse.urlsplit(self.suite_url)
            env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{self.pg_name}"))
        else:
            env["DATABASE_URL"] = ""
        self.env = env
        self.vendor = "postgresql" if self.pg_name else "sqlite"
        self.server = None
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = root / "serve.log"

    # --- the command line -------------------------------------------------------------------

    def command(self, *args, stdin: str = "", timeout: float = 300, **kw):
        return subprocess.run(
            [sys.executable, "-m", "gongjia.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            **kw,
        )

    def shell(self, code: str, timeout: float = 120) -> str:
        r = self.command("manage", "shell", "-c", code, timeout=timeout)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def setup(self):
        for args in (("manage", "migrate", "--noinput", "-v", "0"), ("demo",)):
            r = self.command(*args, timeout=600)
            assert r.returncode == 0, r.stderr[-3000:]
        # The demo prints each back-office login's second-factor secret, as it does for people.
        login = re.compile(r"^\s+(\w+)\s+\w+\s+\S+\s+TOTP secret (\w+)$", re.M)
        self.secrets = dict(login.findall(r.stdout))

    # --- the server -------------------------------------------------------------------------

    def start(self, *extra):
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gongjia.cli",
                "serve",
                "--port",
                str(self.port),
                "--with-worker",
                *extra,
            ],
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _ = self.request("GET", "/healthz")
            if status == 200:
                return
            time.sleep(0.3)
        raise AssertionError(f"not healthy after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        if self.pg_name:
            with _admin_connection(self.suite_url) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    # --- HTTP -------------------------------------------------------------------------------

    def request(self, method, path, body=None, token=None, timeout=90, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw[:500]
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            return 0, str(e)

    def token(self, username: str, secret: str | None = None, password: str = PASSWORD) -> str:
        body = {"username": username, "password": password}
        if secret:
            body["otp"] = pyotp.TOTP(secret).now()
        status, answer = self.request("POST", "/api/v1/auth/token", body)
        assert status == 200, answer
        return answer["token"]
