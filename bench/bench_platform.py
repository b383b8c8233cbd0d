"""Platform figures at district scale: building the demo district, then the server time of the
back-office home, of /api/v1/cockpit/kpis, of a figure compared across the towns and of a
figure's page, as a district administrator: kept figures (median of several requests), then
each page once right after a write that ages the figures it shows.

    .venv/bin/python bench/bench_platform.py            # SQLite under var/bench/
    .venv/bin/python bench/bench_platform.py --again    # the district built by the last run
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_platform.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("GONGJIA_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

KPI = "/api/v1/cockpit/kpis"


def timed(client, url, n=20):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(samples)


def main():
    settings.ALLOWED_HOSTS = ["*"]
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    from gongjia.accounts.models import User
    from gongjia.orgs.models import Enterprise, OrgUnit

    t = time.perf_counter()
    # `--again`: measure the district built by an earlier run (building it takes minutes).
    if "--again" not in sys.argv or not OrgUnit.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("demo", scale="district", stdout=quiet)
    build = time.perf_counter() - t

    client = Client()
    client.force_login(
        User.objects.get(username="district"), backend="gongjia.accounts.backends.RoleBackend"
    )
    client.get("/admin/")  # warm up
    print(f"database: {vendor}")
    print(f"units: {OrgUnit.objects.count()}  enterprises: {Enterprise.objects.count()}")
    print(f"gongjia demo --scale district: {build:.1f} s", flush=True)
    # Each figure as soon as it is measured: a slow one shows which it is.
    for label, url, n in [
        ("back-office home", "/admin/", 20),
        ("/api/v1/cockpit/kpis?year=2020", f"{KPI}?year=2020", 20),
        ("back-office unit list", "/admin/orgs/orgunit/", 20),
        ("members.total by town (API)", f"{KPI}/members.total/breakdown?year=2020", 5),
        ("members.total's page (trend and towns)", "/admin/cockpit/members.total/?year=2020", 3),
        ("members.total's records", "/admin/members/member/?kpi=members.total:2020:", 3),
        ("big screen", "/admin/cockpit/screen/?year=2020", 5),
        ("annual report PDF", f"{KPI.rsplit('/', 1)[0]}/report?year=2020&format=pdf", 3),
        ("annual report workbook by town", "/admin/cockpit/report/?year=2020&format=xlsx", 3),
    ]:
        print(f"{label}, median of {n}: {timed(client, url, n):.1f} ms", flush=True)
    # The same pages right after a write to the members' table: the figures over it computed
    # afresh, as the first person to look after an entry sees them.
    for label, url in [
        ("back-office home", "/admin/"),
        ("/api/v1/cockpit/kpis?year=2020", f"{KPI}?year=2020"),
        ("members.total by town (API)", f"{KPI}/members.total/breakdown?year=2020"),
        ("members.total's page (trend and towns)", "/admin/cockpit/members.total/?year=2020"),
        ("big screen", "/admin/cockpit/screen/?year=2020"),
        ("annual report PDF", "/admin/cockpit/report/?year=2020&format=pdf"),
    ]:
        touch_members()
        print(f"{label}, first after a write: {timed(client, url, 1):.1f} ms", flush=True)


def touch_members():
    """A write that changes no figure but ages every figure over the members' table."""
    from django.db.models import F

    from gongjia.members.models import Member

    Member.objects.filter(pk=Member.objects.order_by("pk").values("pk")[:1]).update(name=F("name"))


if __name__ == "__main__":
    main()
