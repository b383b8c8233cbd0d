"""Skill competitions at the size the rules plan for: an event of 500 entrants marked on 60
judgement aspects by a panel of three (90,000 scores). Prints the time to compute its results
and ranking (every mark again from its scores, totals, 1-1-3 ranks, awards, written back),
and the server time of a judge's score saved (the action, with the mark it completes; and the
whole API request a judge's phone makes).

    .venv/bin/python bench/bench_skills.py                 # SQLite under var/bench-skills/
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_skills.py

The database is flushed and built again on every run.
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("GONGJIA_VAR_DIR", str(ROOT / "var" / "bench-skills"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

ENTRANTS, ASPECTS, JUDGES = 500, 60, 3


def build():
    """The event, its locked scheme, its panel and every score, written in sets."""
    from gongjia.accounts import actions as accounts
    from gongjia.orgs import actions as orgs
    from gongjia.orgs.models import OrgUnit
    from gongjia.platform.scope import SYSTEM
    from gongjia.skills import actions
    from gongjia.skills.models import (
        Aspect,
        Competition,
        Criterion,
        Entry,
        Event,
        Judge,
        Mark,
        Scheme,
        Score,
        Section,
        SubCriterion,
        Trade,
    )

    district = orgs.create_unit(
        acting_user=SYSTEM,
        parent=None,
        code="330109",
        name="萧山区总工会",
        kind=OrgUnit.Kind.DISTRICT_FEDERATION,
    )
    competition = Competition.objects.create(
        name="区职工技术比武（基准）",
        level=Competition.Level.DISTRICT,
        organiser=district,
        year=2020,
        starts_on=dt.date(2020, 6, 1),
        ends_on=dt.date(2020, 6, 3),
    )
    event = Event.objects.create(competition=competition, trade=Trade.objects.create(name="焊工"))
    scheme = Scheme.objects.create(event=event)
    sections = [
        Section.objects.create(scheme=scheme, number=str(i + 1), title=f"分项{i + 1}", weight=w)
        for i, w in enumerate((30, 30, 40))
    ]
    crit = Criterion.objects.create(scheme=scheme, letter="A", title="模块A")
    sub = SubCriterion.objects.create(criterion=crit, code="A1", title="第一天")
    # 60 aspects whose maxima sum to 100: 20 per section, 1.5 / 1.5 / 2.0; every sixth one
    # aggregated as the two closest of three (the exact-fraction path), the rest by the
    # WorldSkills rule.
    aspects = Aspect.objects.bulk_create(
        [
            Aspect(
                sub=sub,
                section=sections[i % 3],
                order=i,
                kind=Aspect.Kind.JUDGEMENT,
                description=f"评价项{i}",
                max_mark=Decimal("2.0") if i % 3 == 2 else Decimal("1.5"),
                aggregation=Aspect.Aggregation.TWO_CLOSEST
                if i % 6 == 5
                else Aspect.Aggregation.SPREAD_CHECKED,
            )
            for i in range(ASPECTS)
        ]
    )
    judges = []
    for j in range(JUDGES):
        user, _secret = accounts.create_user(
            f"referee{j}",
            acting_user=SYSTEM,
            password="Marking-2026-Safe",
            role="judge",
            unit=district,
            must_change_password=False,
        )
        user.totp = _secret  # the bench signs in through the API with the second factor
        judges.append(Judge.objects.create(user=user, name=f"裁判{j}", unit=district))
        actions.seat_judge(event, judges[-1], acting_user=SYSTEM, chief=j == 0)
    entries = Entry.objects.bulk_create(
        [Entry(event=event, number=n + 1, union=district) for n in range(ENTRANTS)],
        batch_size=1000,
    )
    Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.LOCKED)
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.MARKING)
    marks = Mark.objects.bulk_create(
        [
            Mark(entry=e, aspect=a, status=Mark.Status.SIGNED, numerator=1, denominator=1)
            for e in entries
            for a in aspects
        ],
        batch_size=5000,
    )
    scores = []
    for k, mark in enumerate(marks):
        base = (k * 7) % 3  # 0, 1 or 2: within the spread rule with +0/+1
        for j, judge in enumerate(judges):
            scores.append(Score(mark=mark, judge=judge, value=base + (j == 2)))
    Score.objects.bulk_create(scores, batch_size=10_000)
    return event, judges, aspects


def main():
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from gongjia.platform.scope import SYSTEM
    from gongjia.skills import actions, results
    from gongjia.skills.models import Aspect, Entry, Mark, Score

    t = time.perf_counter()
    event, judges, aspects = build()
    print(f"database: {vendor}")
    print(
        f"event of {ENTRANTS} entrants × {ASPECTS} aspects × {JUDGES} judges"
        f" ({Score.objects.count():,} scores) built: {time.perf_counter() - t:.1f} s"
    )

    samples = []
    for _ in range(3):
        t = time.perf_counter()
        ranked = results.apply(event, acting_user=SYSTEM)
        samples.append(time.perf_counter() - t)
    assert len(ranked) == ENTRANTS and ranked[0].rank == 1
    print(f"results and ranking, median of 3: {statistics.median(samples) * 1000:.0f} ms")

    # A judge's score saved: each on a fresh mark, the third completing the panel's.
    extra = Entry.objects.create(
        event=event, number=ENTRANTS + 1, union=event.competition.organiser
    )
    saves = []
    for a in aspects[:20]:
        for judge, value in zip(judges, (2, 2, 3), strict=True):
            t = time.perf_counter()
            actions.enter_score(extra, a, value, acting_user=judge.user)
            saves.append((time.perf_counter() - t) * 1000)
    done = Mark.objects.filter(entry=extra, status=Mark.Status.ENTERED).count()
    assert done == 20, done
    print(f"a judge's score saved, median of {len(saves)}: {statistics.median(saves):.1f} ms")
    print(f"  the slowest: {max(saves):.1f} ms")

    # The same through the API a judge's phone posts to: the request handled in full
    # (authentication, scope, the action, the answer), the network aside.
    import pyotp
    from django.test import Client

    client = Client()
    tokens = {}
    for judge in judges:
        r = client.post(
            "/api/v1/auth/token",
            {
                "username": judge.user.username,
                "password": "Marking-2026-Safe",
                "otp": pyotp.TOTP(judge.user.totp).now(),
            },
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        tokens[judge.pk] = {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}
    phone = Entry.objects.create(
        event=event, number=ENTRANTS + 2, union=event.competition.organiser
    )
    url = f"/api/v1/skills/events/{event.pk}/marks"
    posts = []
    for a in aspects[20:40]:
        for judge, value in zip(judges, (2, 2, 3), strict=True):
            body = {"entry_id": phone.pk, "aspect_id": a.pk, "value": value}
            t = time.perf_counter()
            r = client.post(url, body, content_type="application/json", **tokens[judge.pk])
            posts.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.content
    done = Mark.objects.filter(entry=phone, status=Mark.Status.ENTERED).count()
    assert done == 20, done
    print(
        "a judge's score saved through POST /api/v1/skills/events/{id}/marks,"
        f" median of {len(posts)}: {statistics.median(posts):.1f} ms"
    )
    print(f"  the slowest: {max(posts):.1f} ms")
    assert Aspect.objects.filter(sub__criterion__scheme__event=event).count() == ASPECTS


if __name__ == "__main__":
    main()
