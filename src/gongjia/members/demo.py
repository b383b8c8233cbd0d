"""Demo members and the 2020 union-building figures of the seed (programme 6):
174 new grassroots unions, about 19,000 new members, 38 new unions with 100 or more people
and 9,900 members in them — as records, so the indicators compute them.
"""

import datetime as dt
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gongjia.members import actions
from gongjia.members.models import Founding, Member, MembershipChange
from gongjia.orgs.demo import credit_code, demo_id_number, person_name
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import audit, validators
from gongjia.platform.demo import step
from gongjia.platform.models import AuditEvent
from gongjia.platform.scope import SYSTEM

YEAR = 2020
FIELDS = [  # (field, union kind, how many of the 174, name pattern)
    ("enterprise", "grassroots_union", 90, "杭州{town}{n}号实业有限公司工会委员会"),
    ("building", "building_union", 25, "{town}第{n}商务楼宇联合工会"),
    ("commercial", "commercial_union", 15, "{town}第{n}商圈联合工会"),
    ("park", "joint_union", 12, "{town}产业小镇第{n}联合工会"),
    ("village", "joint_union", 10, "{town}第{n}村社区联合工会"),
    ("industry", "industry_union", 12, "{town}第{n}行业联合工会"),
    ("new_form", "joint_union", 10, "{town}新就业形态劳动者第{n}联合工会"),
]
LARGE = 38  # new unions with 100 or more people, holding 9,900 members between them
LARGE_MEMBERS = 9_900
SMALL_MEMBERS = 5_440  # in the other 136 new unions, fewer than 100 each
JOINED_ELSEWHERE = 3_660  # 2020 joiners in older unions; 9,900 + 5,440 + 3,660 = 19,000
OLDER_PER_UNION = 20  # members who joined before 2020, in every older union
JOINED_SINCE = 600  # joiners in each year since 2020, so the years after the seed's go on


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def found_2020_unions(rng) -> list[OrgUnit]:
    feds = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("code"))
    created, n = [], 0
    for field, kind, count, pattern in FIELDS:
        for k in range(count):
            n += 1
            fed = feds[n % len(feds)]
            town = fed.name.removesuffix("总工会")
            started = dt.date(2019, 10, 1) + dt.timedelta(days=(n * 3) % 120)
            approved = dt.date(YEAR, 1, 10) + dt.timedelta(days=(n * 2) % 340)
            region = Region.objects.filter(
                path__startswith=fed.region.path, level="village"
            ).order_by("code")[k % 7 : k % 7 + 1]
            f = actions.open_founding(
                acting_user=SYSTEM,
                federation=fed,
                name=pattern.format(town=town, n=k + 1),
                field=field,
                kind=kind,
                started_on=started,
                region=region[0] if region else fed.region,
                workers=300 if n <= LARGE else 60,
            )
            actions.update_founding(
                f,
                acting_user=SYSTEM,
                elected_on=started + dt.timedelta(30),
                chair_name=person_name(rng),
            )
            actions.founding_step(f, "elect", acting_user=SYSTEM)
            actions.founding_step(f, "submit", acting_user=SYSTEM)
            actions.founding_step(
                f,
                "establish",
                acting_user=SYSTEM,
                values={
                    "approved_on": approved,
                    "approval_document": f"萧工〔{YEAR}〕{n}号",
                    "unit_code": f"{fed.code}-N{n:03d}",
                    "credit_code": credit_code("81", 500_000 + n),
                },
            )
            created.append(f.unit)
    return created


@step(20)
@transaction.atomic
def members(scale: str = "small", out=print):
    if Founding.objects.filter(approved_on__year=YEAR).exists():
        out("members: demo records already present")
        return
    rng = random.Random(2020)
    new = found_2020_unions(rng)
    large, small = new[:LARGE], new[LARGE:]
    # The unions of the small demo, not the benchmark volume of --scale district ("-X" codes).
    older = list(
        OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS)
        .exclude(pk__in=[u.pk for u in new])
        .exclude(code__contains="-X")
        .order_by("path")
    )
    employers = {e.union_id: e.pk for e in Enterprise.objects.filter(union__isnull=False)}
    plan = []  # (union, join date, count)
    for u, n in zip(large, _spread(LARGE_MEMBERS, len(large)), strict=True):
        plan.append((u, u.founded_on, n))
    for u, n in zip(small, _spread(SMALL_MEMBERS, len(small)), strict=True):
        plan.append((u, u.founded_on, n))
    for u, n in zip(older, _spread(JOINED_ELSEWHERE, len(older)), strict=True):
        plan.append((u, dt.date(YEAR, 3, 1), n))
        plan.append((u, dt.date(2016, 5, 1), OLDER_PER_UNION))
    today = timezone.localdate()
    for year in range(YEAR + 1, today.year + 1):
        joined = min(dt.date(year, 4, 1), today)
        for u, n in zip(older, _spread(JOINED_SINCE, len(older)), strict=True):
            plan.append((u, joined, n))
    total = sum(n for _, _, n in plan)
    numbers = iter(actions.member_numbers(total, new[0]))
    categories = [c for c, _ in Member.Category.choices]
    rows, i = [], 0
    for union, joined, n in plan:
        for _ in range(n):
            id_number = demo_id_number(i)
            parsed = validators.parse_id_number(id_number)
            rows.append(
                Member(
                    name=person_name(rng, id_number),
                    id_number=id_number,
                    sex=parsed.sex,
                    birth_date=parsed.birth_date,
                    mobile=f"13{rng.randint(500000000, 999999999)}",
                    union=union,
                    employer_id=employers.get(union.pk),
                    join_date=joined,
                    member_number=next(numbers),
                    category=categories[i % len(categories)],
                    skill_level=i % 7,
                )
            )
            i += 1
    Member.objects.bulk_create(rows, batch_size=2000)
    ids = Member.objects.filter(member_number__in=[r.member_number for r in rows]).values_list(
        "pk", "union_id", "join_date"
    )
    MembershipChange.objects.bulk_create(
        [
            MembershipChange(member_id=pk, kind="join", on=joined, to_union_id=union_id)
            for pk, union_id, joined in ids
        ],
        batch_size=5000,
    )
    audit.record(
        AuditEvent.Kind.IMPORT, "demo_members", data={"members": len(rows), "new_unions": len(new)}
    )
    out(f"members: {len(rows)} members, {len(new)} unions founded in {YEAR}")


DISTRICT_MEMBERS = 1_000_000


@step(85)
def district_members(scale: str = "small", out=print):
    """--scale district: about a million members in the benchmark unions, loaded through the
    member import itself (a CSV written under var/, checked and written like any upload).
    They joined before 2020, so the seed's 2020 figures stay as they are."""
    if scale != "district":
        return
    import csv
    import tempfile

    from django.conf import settings

    from gongjia.members import imports

    codes = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS_UNION, code__contains="-X")
        .order_by("path")
        .values_list("code", flat=True)
    )
    have = Member.objects.filter(union__code__contains="-X").count()
    if not codes or have >= DISTRICT_MEMBERS * 0.9:
        out(f"district members already present: {have}")
        return
    rng = random.Random(85)
    categories = [value for value, _label in Member.Category.choices]  # codes are accepted too
    folder = Path(settings.VAR_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", dir=folder, encoding="utf-8", newline="", delete=False
    ) as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "身份证号码", "手机号码", "所属工会代码", "入会日期", "职工类别"])
        start = 100_000  # after the demo's own members
        for k in range(DISTRICT_MEMBERS - have):
            id_number = demo_id_number(start + have + k)
            writer.writerow(
                [
                    person_name(rng, id_number),
                    id_number,
                    f"13{rng.randint(500000000, 999999999)}",
                    codes[k % len(codes)],
                    f"{2005 + k % 15}-{1 + k % 12:02d}-{1 + k % 28:02d}",
                    categories[k % len(categories)],
                ]
            )
    try:
        result = imports.run_import(f.name, user=SYSTEM, valid_only=True)
    finally:
        Path(f.name).unlink(missing_ok=True)
    out(f"district members: {result.summary()}")
