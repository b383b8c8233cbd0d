"""Platform figures at district scale: building the demo district, then the server time of the
back-office home, of /api/v1/cockpit/kpis, of a figure compared across the towns and of a
figure's page (median of 20), as a district administrator.

    .venv/bin/python bench/bench_platform.py            # SQLite under var/bench/
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
    t = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("demo", scale="district", stdout=quiet)
    build = time.perf_counter() - t

    from gongjia.accounts.models import User
    from gongjia.orgs.models import Enterprise, OrgUnit

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
    ]:
        print(f"{label}, median of {n}: {timed(client, url, n):.1f} ms", flush=True)


if __name__ == "__main__":
    main()
