"""The live quota check of a selection batch of 500 nominees (the target: at most 50 ms): the
check in process, and the API call the batch page's panel makes when a nominee is unticked.

    .venv/bin/python bench/bench_honours.py            # SQLite under var/bench-honours/
    .venv/bin/python bench/bench_honours.py --again    # the district built by the last run
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_honours.py
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("GONGJIA_VAR_DIR", str(ROOT / "var" / "bench-honours"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

TARGET_MS = 50
NOMINEES = 500


def median_ms(fn, n=30):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def batch_of(n):
    """A batch of `n` nominees (written in one go: the set-up is not what is measured)."""
    from gongjia.honours import actions
    from gongjia.honours.models import Batch, Nomination, Programme
    from gongjia.members.selectors import active_members
    from gongjia.platform.scope import SYSTEM

    name = f"基准：{n}名人选的评选批次"
    found = Batch.objects.filter(name=name).first()
    if found:
        return found
    programme = Programme.objects.filter(kind=Programme.Kind.MODEL_WORKER).first()
    b = actions.save_batch(
        None,
        acting_user=SYSTEM,
        programme=programme,
        organiser=programme.organiser,
        name=name,
        year=2020,
        places=n,
        rules=[
            {"category": "industrial", "op": ">", "pct": "60", "base": "all"},
            {"category": "enterprise_head", "op": "<=", "pct": "10", "base": "all"},
            {"category": "woman", "op": ">=", "pct": "15", "base": "all"},
            {"category": "frontline", "op": ">=", "pct": "57", "base": "enterprise"},
            {"category": "official", "op": "<=", "count": 3, "base": "all"},
        ],
    )
    people = active_members(n, 30_000 if len(active_members(1, 30_000)) else 0)
    Nomination.objects.bulk_create(
        [
            Nomination(
                batch=b,
                member=m,
                unit=m.union,
                categories=["enterprise", "frontline"] if k % 3 else ["enterprise_head"],
                deeds="事迹",
                appraisal_on=dt.date(2020, 3, 2),
                appraisal_evidence="记录",
                congress_on=dt.date(2020, 3, 10),
                congress_evidence="决议",
                nominated_on=dt.date(2020, 3, 20),
            )
            for k, m in enumerate(people)
        ]
    )
    return b


def main():
    settings.ALLOWED_HOSTS = ["*"]
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    from gongjia.accounts.models import User
    from gongjia.honours import findings
    from gongjia.members.models import Member
    from gongjia.orgs.models import OrgUnit

    if "--again" not in sys.argv or not OrgUnit.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("demo", stdout=quiet)
    b = batch_of(NOMINEES)
    client = Client()
    client.force_login(
        User.objects.get(username="district"), backend="gongjia.accounts.backends.RoleBackend"
    )
    check = findings.quota_check(b)
    assert check["nominees"] == NOMINEES, check["nominees"]
    in_process = median_ms(lambda: findings.quota_check(b))
    one = b.nominations.order_by("pk").values_list("pk", flat=True)[0]
    url = f"/api/v1/honours/batches/{b.pk}/quota-check"

    def api(exclude=""):
        r = client.get(url, {"exclude": exclude})
        assert r.status_code == 200, r.content[:300]

    through_api = median_ms(api)
    unticked = median_ms(lambda: api(str(one)))
    print(
        f"honours quota check ({vendor}, {Member.objects.count():,} members, {NOMINEES} nominees)"
    )
    print(f"  rules checked: {len(check['results'])}")
    for r in check["results"]:
        print(f"    {r.sentence()}")
    for label, ms in (
        ("in process", in_process),
        ("API, all nominees", through_api),
        ("API, one unticked", unticked),
    ):
        verdict = "met" if ms <= TARGET_MS else "NOT MET"
        print(f"  {label}: {ms:.1f} ms (target ≤ {TARGET_MS} ms: {verdict})")


if __name__ == "__main__":
    main()
