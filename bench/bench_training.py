"""The "百千万" plan's progress for the district at a million members (the target: at most
1 s): the progress API as the district administrator asks for it (each tier's count, target and
counts by year of the plan), the same across the towns (`by=town`), and a tier's figure.

    .venv/bin/python bench/bench_training.py            # SQLite under var/bench/
    .venv/bin/python bench/bench_training.py --again    # the district built by the last run
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_training.py
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

TARGET_MS = 1000


def timed(client, url, n):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.content[:300])
    return statistics.median(samples), r


def main():
    settings.ALLOWED_HOSTS = ["*"]
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    from gongjia.accounts.models import User
    from gongjia.members.models import Member
    from gongjia.orgs.models import OrgUnit
    from gongjia.training.models import Plan

    t = time.perf_counter()
    if "--again" not in sys.argv or not OrgUnit.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("demo", scale="district", stdout=quiet)
    build = time.perf_counter() - t
    client = Client()
    client.force_login(
        User.objects.get(username="district"), backend="gongjia.accounts.backends.RoleBackend"
    )
    plan = Plan.objects.order_by("organiser__depth", "-first_year").first()
    print(f"database: {vendor}")
    print(f"members: {Member.objects.count():,}  (district built in {build:.1f} s)", flush=True)
    worst = 0.0
    for label, url, n in [
        ("plan progress, district", f"/api/v1/training/plans/{plan.pk}/progress?year=2020", 5),
        (
            "plan progress, district by town",
            f"/api/v1/training/plans/{plan.pk}/progress?year=2020&by=town",
            3,
        ),
        (
            "training.plan_frontline_workers (API)",
            "/api/v1/cockpit/kpis?year=2020&key=training.plan_frontline_workers",
            5,
        ),
    ]:
        ms, r = timed(client, url, n)
        if "progress" in url and "town" not in url:
            worst = ms
            counts = ", ".join(
                f"{t['label']} {t['count']:,}/{t['target']:,}" for t in r.json()["tiers"]
            )
            print(f"  {counts}")
        print(f"{label}, median of {n}: {ms:.1f} ms", flush=True)
    verdict = "met" if worst <= TARGET_MS else "NOT met"
    print(f"plan progress for the district: {worst:.1f} ms (target ≤ {TARGET_MS} ms: {verdict})")


if __name__ == "__main__":
    main()
