"""Member registry figures: import of N rows (default 1,000,000) from xlsx, end to end, with
peak memory; django-import-export on the first 20,000 rows of the same file for comparison;
the back-office member list (first page, and filtered by town), median of 20; export of all.

    .venv/bin/python bench/bench_members.py                 # SQLite under var/bench-members/
    DATABASE_URL=postgres://.../scratch .venv/bin/python bench/bench_members.py   # flushed!
    BENCH_ROWS=100000 .venv/bin/python bench/bench_members.py
"""

import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-members"
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
COMPARE_ROWS = 20_000
if not os.environ.get("DATABASE_URL"):
    shutil.rmtree(VAR, ignore_errors=True)
VAR.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("GONGJIA_VAR_DIR", str(VAR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from gongjia.platform.scope import SYSTEM  # noqa: E402


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def median_ms(client, url, n=20):
    client.get(url)
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(samples)


def their_import(path, n):
    """django-import-export, a ModelResource in bulk mode, on the first n rows (no checks of
    ours: they are the comparison's point)."""
    import datetime as dt

    import tablib
    from import_export import fields, resources, widgets
    from python_calamine import CalamineWorkbook

    from gongjia.members.models import Member
    from gongjia.orgs.models import OrgUnit

    class MemberResource(resources.ModelResource):
        union = fields.Field(
            attribute="union",
            column_name="union",
            widget=widgets.ForeignKeyWidget(OrgUnit, field="code"),
        )

        class Meta:
            model = Member
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            import_id_fields = ["member_number"]
            fields = [
                "name",
                "id_number",
                "mobile",
                "union",
                "join_date",
                "member_number",
                "sex",
                "birth_date",
            ]

    # Only the first n rows, so the comparison does not hold the whole sheet in memory.
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = list(itertools.islice(sheet.iter_rows(), 1, n + 1))
    data = tablib.Dataset(
        headers=[
            "name",
            "id_number",
            "mobile",
            "union",
            "join_date",
            "member_number",
            "sex",
            "birth_date",
        ]
    )
    for i, r in enumerate(rows):
        data.append([r[0], r[1], r[2], r[3], r[4], f"IE{i:08d}", "M", dt.date(1980, 1, 1)])
    started = time.perf_counter()
    result = MemberResource().import_data(data, dry_run=False, use_transactions=True)
    took = time.perf_counter() - started
    assert not result.has_errors(), result.row_errors()[:3]
    Member.objects.filter(member_number__startswith="IE").delete()
    return n / took


def main():
    settings.ALLOWED_HOSTS = ["*"]
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    if vendor != "sqlite3":
        call_command("flush", interactive=False, verbosity=0)
    from gongjia.accounts import actions as account_actions
    from gongjia.members import exports, imports
    from gongjia.orgs import demo
    from gongjia.orgs.models import OrgUnit

    demo.build(out=lambda *a: None)
    admin = account_actions.create_user(
        "bench",
        acting_user=SYSTEM,
        password="Bench-pass-1",
        role="district_admin",
        unit=OrgUnit.objects.get(depth=1),
        must_change_password=False,
    )[0]
    units = list(
        OrgUnit.objects.filter(kind="grassroots_union")
        .order_by("code")
        .values_list("code", flat=True)[:60]
    )
    path = ROOT / "var" / "bench" / f"members-{ROWS}-{len(units)}.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "members_file.py"),
                str(ROWS),
                str(path),
                "--units",
                ",".join(units),
            ],
            check=True,
        )

    theirs = their_import(path, min(COMPARE_ROWS, ROWS))
    before = peak_mb()
    result = imports.run_import(path, user=SYSTEM)
    assert result.ok and result.created == ROWS, result.summary()
    ours = result.total / result.seconds
    import_peak = peak_mb()

    client = Client()
    client.force_login(admin, backend="gongjia.accounts.backends.RoleBackend")
    first = median_ms(client, "/admin/members/member/")
    town = median_ms(client, "/admin/members/member/?under=330109001")

    started = time.perf_counter()
    n = exports.export_members(VAR / "export.xlsx", user=SYSTEM)
    export_s = time.perf_counter() - started

    print(f"database: {vendor}; rows: {ROWS:,}")
    print(
        f"import: {ours:,.0f} rows/s end to end ({result.seconds:.1f} s); "
        f"peak memory {import_peak:,.0f} MB (before import {before:,.0f} MB; "
        f"largest child process {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB)"
    )
    stages = ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items())
    print(f"import stages, seconds from the start: {stages}")
    print(
        f"django-import-export, bulk mode, first {min(COMPARE_ROWS, ROWS):,} rows: "
        f"{theirs:,.0f} rows/s; ours is {ours / theirs:.1f}x faster"
    )
    print(f"member list, first page, median of 20: {first:.0f} ms")
    print(f"member list filtered by town, median of 20: {town:.0f} ms")
    print(f"export of {n:,} rows: {export_s:.1f} s; peak memory {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
