"""The cockpit under load, as an office has it: `gongjia serve --with-worker` on the district
that bench_platform.py built (run it first, with the same DATABASE_URL and GONGJIA_VAR_DIR),
and 20 clients at once, each asking again as soon as answered, by locust headless over
loopback for LOAD_SECONDS (default 30) per page, after 10 s unmeasured that warm every server
process: /api/v1/cockpit/kpis, the back-office home and the big screen, each for 2020 as the
district administrator. Prints requests a second, the median and the 95th percentile, and the
failures. The server runs as `make run` runs it (one process per core, up to 4).

    .venv/bin/python bench/bench_platform.py && .venv/bin/python bench/bench_platform_load.py
    DATABASE_URL=postgres://... (both)
"""

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("GONGJIA_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

CLIENTS = 20
SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))
WARM_SECONDS = 10
PAGES = [
    ("/api/v1/cockpit/kpis", "/api/v1/cockpit/kpis?year=2020"),
    ("back-office home", "/admin/?year=2020"),
    ("big screen", "/admin/cockpit/screen/?year=2020"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def credentials() -> tuple[str, str]:
    """An API token and a back-office session of the district administrator."""
    from django.conf import settings
    from django.test import Client

    from gongjia.accounts.actions import issue_token
    from gongjia.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username="district")
    token, _row = issue_token(user)
    client = Client()
    client.force_login(user, backend="gongjia.accounts.backends.RoleBackend")
    return token, client.cookies[settings.SESSION_COOKIE_NAME].value


def wait_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310  loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz")


def load(base: str, path: str, env: dict, out: Path, seconds: int = SECONDS) -> dict:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(CLIENTS),
            "--spawn-rate",
            str(CLIENTS),
            "--run-time",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(out),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, **env, "LOAD_PATH": path},
        check=False,
        capture_output=True,
    )
    with open(f"{out}_stats.csv", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    return row


def main():
    from django.conf import settings

    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    token, session = credentials()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gongjia.cli", "serve", "--port", str(port), "--with-worker"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_healthy(base)
        print(f"database: {vendor}; {CLIENTS} clients, {SECONDS} s a page", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            for i, (label, path) in enumerate(PAGES):
                env = {"LOAD_TOKEN": token} if path.startswith("/api/") else {}
                env |= {} if env else {"LOAD_SESSION": session}
                # Unmeasured first: each server process computes the figures once, as an
                # office's server has long done before its hall's screen is read.
                load(base, path, env, Path(tmp) / f"warm{i}", WARM_SECONDS)
                row = load(base, path, env, Path(tmp) / f"page{i}")
                print(
                    f"{label}: {float(row['Requests/s']):.1f} requests a second,"
                    f" median {row['Median Response Time']} ms,"
                    f" 95th percentile {row['95%']} ms,"
                    f" {row['Failure Count']} failures of {row['Request Count']}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
