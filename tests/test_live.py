"""The installation as an office uses it: the real server and worker, many people at once."""

import json
import random
import subprocess
import sys
import threading
import time

import pytest

from gongjia.platform.validators import id_check_char
from tests.live import PASSWORD, LiveSite

WRITERS = 8
ROUNDS = 12

MAKE_WRITERS = f"""
import json
from gongjia.accounts import actions
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM
unit = OrgUnit.objects.get(code="330109001")
out = {{}}
for i in range({WRITERS}):
    user, secret = actions.create_user(
        f"writer{{i}}", acting_user=SYSTEM, password="{PASSWORD}", role="town_officer",
        unit=unit, must_change_password=False)
    out[user.username] = secret
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = LiveSite(tmp_path_factory.mktemp("live"))
    try:
        s.setup()
        s.writers = json.loads(s.shell(MAKE_WRITERS).strip().splitlines()[-1])
        s.start("--processes", "2")
        yield s
    finally:
        s.stop()


def _id_number(writer: int, n: int) -> str:
    body = f"3301021990{1 + writer:02d}{1 + n % 28:02d}{n:03d}"
    return body + id_check_char(body)


def test_concurrent_writers_beside_the_worker(site):
    """Eight API clients write (new members, edits, sign-ins) while three command-line writers
    add accounts, import a file and run every sweep of the worker, beside the running worker:
    every write waits its turn and succeeds."""
    tokens = {name: site.token(name, secret) for name, secret in site.writers.items()}
    status, page = site.request(
        "GET", "/api/v1/members?limit=50&union_code=330109001-001", token=tokens["writer0"]
    )
    assert status == 200 and page["items"], page
    ids = [m["id"] for m in page["items"]]
    failures, done = [], {"api": 0, "cli": 0}
    lock = threading.Lock()

    def note(kind, ok, what):
        with lock:
            done[kind] += 1
            if not ok:
                failures.append(what)

    def api_writer(i, name):
        rng = random.Random(i)
        token = tokens[name]
        for n in range(ROUNDS):
            mid = rng.choice(ids)
            mobile = f"139{rng.randrange(10**8):08d}"
            st, body = site.request("PATCH", f"/api/v1/members/{mid}", {"mobile": mobile}, token)
            note("api", st == 200, ("PATCH", st, body))
            st, body = site.request(
                "POST",
                "/api/v1/members",
                {
                    "name": f"并发{i}号{n}",
                    "id_number": _id_number(i, n),
                    "union_code": "330109001-001",
                    "mobile": mobile,
                    "join_date": "2026-01-05",
                },
                token,
            )
            note("api", st == 201, ("POST", st, body))
            if n % 4 == 0:
                st, body = site.request(
                    "POST", "/api/v1/auth/token", {"username": name, "password": "wrong"}
                )
                note("api", st == 401, ("token", st, body))

    def cli(args_list):
        for args, stdin in args_list:
            r = site.command(*args, stdin=stdin, timeout=300)
            note("cli", r.returncode == 0, (args, r.returncode, r.stderr[-800:]))

    book = site.root / "concurrent.xlsx"
    subprocess.run(
        [sys.executable, "bench/members_file.py", "300", str(book), "--units", "330109002-001"],
        check=True,
    )
    threads = [
        threading.Thread(target=api_writer, args=(i, name)) for i, name in enumerate(sorted(tokens))
    ]
    threads += [
        threading.Thread(
            target=cli,
            args=(
                [
                    (
                        ("user", "add", f"clerk{k}", "--role", "union_officer", "--unit")
                        + ("330109001-001", "--password-stdin"),
                        f"Clerk-pass-{k}\n",
                    )
                    for k in range(4)
                ],
            ),
        ),
        threading.Thread(target=cli, args=([(("import", "members", str(book)), "")],)),
        threading.Thread(target=cli, args=([(("worker", "--once"), "")] * 3,)),
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    print(
        f"\n[{site.vendor}] {done['api']} API writes by {WRITERS} clients and {done['cli']}"
        f" command-line writes by 3 processes beside the worker in {seconds:.1f} s:"
        f" {len(failures)} failures"
    )
    assert failures == []
    log = site.log.read_text()
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
    status, health = site.request("GET", "/healthz")
    assert status == 200, health


def _newest_beat(site) -> tuple[str, int]:
    out = site.shell(
        "from gongjia.platform.models import Heartbeat; "
        "print(Heartbeat.objects.order_by('-beat_at').first().name)"
    )
    name = out.strip().splitlines()[-1]
    return name, int(name.rsplit("-", 2)[1])


def _newest_worker(site) -> tuple[str, int]:
    """The running worker: the newest heartbeat of a process that is alive. Right after a test
    killed a worker, the newest heartbeat can still be the dead one's until the worker started
    in its place beats."""
    import os

    found = []

    def alive():
        name, pid = _newest_beat(site)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        found[:] = [(name, pid)]
        return True

    _wait(alive, 30, "a running worker beats")
    return found[0]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_healthz_tells_the_truth_about_a_frozen_worker(site):
    import os
    import signal

    _, pid = _newest_worker(site)
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        _wait(lambda: site.request("GET", "/healthz")[0] == 503, 15, "healthz says 503")
        print(
            f"\n[{site.vendor}] healthz answered 503 {time.monotonic() - started:.1f} s"
            " after the worker froze"
        )
    finally:
        os.kill(pid, signal.SIGCONT)
    _wait(lambda: site.request("GET", "/healthz")[0] == 200, 15, "healthz back to 200")


def test_a_killed_worker_is_started_again_and_its_job_fails_visibly(site):
    import os
    import signal

    name, pid = _newest_worker(site)
    job_id = (
        site.shell(
            "from gongjia.platform.models import Job; from gongjia.accounts.models import User; "
            "j = Job.objects.create(kind='gongjia.members.exports.run_job', label='导出会员', "
            f"user=User.objects.get(username='chengxiang'), status='running', worker_id='{name}'); "
            "print(j.pk)"
        )
        .strip()
        .splitlines()[-1]
    )
    os.kill(pid, signal.SIGKILL)
    _wait(lambda: _newest_beat(site)[1] != pid, 30, "a new worker beats")
    _wait(lambda: site.request("GET", "/healthz")[0] == 200, 15, "healthz back to 200")

    def failed():
        out = site.shell(
            "from gongjia.platform.models import Job; "
            f"j = Job.objects.get(pk='{job_id}'); print(j.status, j.message)"
        )
        return out.strip().splitlines()[-1].startswith("failed")

    _wait(failed, 40, "the orphaned job is marked failed")


def _server_processes(site) -> set[int]:
    """The server's own processes (forks of it that serve requests, not its worker)."""
    from pathlib import Path

    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == site.server.pid and b"serve" in cmdline:
            found.add(int(proc.name))
    return found


def test_several_server_processes_and_one_that_dies_is_replaced(site):
    """Pages are served by several processes on one socket (one per core by default); a
    process that dies is replaced, and the others answer meanwhile."""
    import os
    import signal

    # Its own writer: a second factor's code signs in once, and the next test signs writer0 in.
    token = site.token("writer5", site.writers["writer5"])
    before = _server_processes(site)
    assert len(before) == 2, before
    os.kill(sorted(before)[0], signal.SIGKILL)
    statuses = [site.request("GET", "/api/v1/me", token=token)[0] for _ in range(20)]
    assert statuses == [200] * 20
    _wait(lambda: len(_server_processes(site)) == 2, 15, "a new server process")
    assert _server_processes(site) != before


def test_the_first_requests_after_the_database_drops_connections_succeed(site):
    if site.vendor != "postgresql":
        pytest.skip("a database server that drops connections")
    token = site.token("writer0", site.writers["writer0"])
    assert site.request("GET", "/api/v1/me", token=token)[0] == 200
    from tests.live import _admin_connection

    with _admin_connection(site.suite_url) as c:
        c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [site.pg_name],
        )
    statuses = [site.request("GET", "/api/v1/me", token=token)[0] for _ in range(20)]
    assert statuses == [200] * 20
    _wait(lambda: site.request("GET", "/healthz")[0] == 200, 15, "the worker beats again")


def test_a_figure_is_exact_at_once_after_a_write_in_another_process(site):
    """The server keeps the figures it computed; a member entered by another process (the
    command line here, the worker's import alike) shows in the server's next answer."""
    token = site.token("district", site.secrets["district"])

    def total():
        status, body = site.request("GET", "/api/v1/cockpit/kpis?key=members.total", token=token)
        assert status == 200, body
        return body[0]["value"]

    before = total()
    assert total() == before
    site.shell(
        "from django.utils import timezone\n"
        "from gongjia.members import actions\n"
        "from gongjia.orgs.models import OrgUnit\n"
        "from gongjia.platform.scope import SYSTEM\n"
        "actions.register(acting_user=SYSTEM, name='另一进程',"
        f" id_number='{_id_number(9, 1)}',"
        " union=OrgUnit.objects.get(code='330109001-001'),"
        " join_date=timezone.localdate().isoformat())\n"
    )
    assert total() == before + 1
