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
    home = timed(client, "/admin/")
    kpis = timed(client, "/api/v1/cockpit/kpis?year=2020")
    units_list = timed(client, "/admin/orgs/orgunit/")
    breakdown = timed(client, "/api/v1/cockpit/kpis/members.total/breakdown?year=2020")
    figure_page = timed(client, "/admin/cockpit/members.total/?year=2020", n=5)
    drill_down = timed(client, "/admin/members/member/?kpi=members.total:2020:", n=5)
    print(f"database: {vendor}")
    print(f"units: {OrgUnit.objects.count()}  enterprises: {Enterprise.objects.count()}")
    print(f"gongjia demo --scale district: {build:.1f} s")
    print(f"back-office home, median of 20: {home:.1f} ms")
    print(f"/api/v1/cockpit/kpis?year=2020, median of 20: {kpis:.1f} ms")
    print(f"back-office unit list, median of 20: {units_list:.1f} ms")
    print(f"members.total by town (API), median of 20: {breakdown:.1f} ms")
    print(f"members.total's page (trend and towns), median of 5: {figure_page:.1f} ms")
    print(f"members.total's records in the back office, median of 5: {drill_down:.1f} ms")


if __name__ == "__main__":
    main()
