"""The demo district, modelled on Xiaoshan: the real division codes, federations for every town
and street, grassroots unions and enterprises with valid credit codes.

Everything is keyed by stable codes so running it again changes nothing. `scale="district"`
adds about 10,000 grassroots unions and 30,000 enterprises in bulk, for benchmarks.
"""

import csv
import datetime as dt
import random
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import audit, validators
from gongjia.platform.demo import step
from gongjia.platform.models import AuditEvent

REGIONS_CSV = Path(__file__).parent / "data" / "330109-xiaoshan.csv"
DISTRICT_CODE = "330109"

TRADES = [
    "精密机械",
    "纺织",
    "化纤",
    "汽车零部件",
    "电子科技",
    "建材",
    "物流",
    "食品",
    "五金",
    "印染",
    "新材料",
    "智能装备",
    "服装",
    "包装",
    "医药",
    "家居",
    "电气",
    "钢构",
]
INDUSTRY_OF = {"物流": "G", "食品": "C", "医药": "C", "建材": "C", "钢构": "E"}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国红梅志文斌波辉玲"
# Given names as they are usually read: a name matches the sex its ID number says.
GIVEN_MALE = "伟强磊军洋勇杰涛明超平刚华建国志文斌波辉"
GIVEN_FEMALE = "芳娜敏静丽艳秀霞桂英红梅玲"


def credit_code(prefix: str, seq: int) -> str:
    """A valid unified social credit code: prefix (e.g. 91, 81) + division + org code + check."""
    org8 = f"{seq:08d}"
    body = prefix + DISTRICT_CODE + org8 + validators.org_code_check_char(org8)
    return body + validators.uscc_check_char(body)


def demo_id_number(i: int) -> str:
    """A valid resident ID number of the district, distinct for each i."""
    birth = dt.date(1962, 1, 1) + dt.timedelta(days=i % 14_000)
    body = f"330109{birth:%Y%m%d}{(i // 14_000) % 1000:03d}"
    return body + validators.id_check_char(body)


def person_name(rng: random.Random, id_number: str = "") -> str:
    """A name; given the person's ID number, one of their sex (its 17th digit: odd for men)."""
    pool = GIVEN
    if len(id_number) == 18 and id_number[16].isdigit():
        pool = GIVEN_MALE if int(id_number[16]) % 2 else GIVEN_FEMALE
    return rng.choice(SURNAMES) + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2))))


def load_regions() -> int:
    """Load the division codes in tree order (parents first); returns how many were added."""
    rows = list(csv.DictReader(REGIONS_CSV.open(encoding="utf-8")))
    existing = set(Region.objects.values_list("code", flat=True))
    added = 0
    by_code = {}
    for row in rows:
        if row["level"] == "district":
            root = Region.objects.filter(code=row["code"]).first() or Region.objects.add_root(
                dict(code=row["code"], name=row["name"], level="district")
            )
            by_code[row["code"]] = root
    for level in ("town", "village"):
        for row in rows:
            if row["level"] != level:
                continue
            if row["code"] in existing:
                by_code[row["code"]] = Region.objects.get(code=row["code"])
                continue
            parent = Region.objects.get(pk=by_code[row["parent_code"]].pk)
            by_code[row["code"]] = Region.objects.add_child(
                parent, dict(code=row["code"], name=row["name"], level=level)
            )
            added += 1
    return added


def _unit(parent, **fields) -> OrgUnit:
    found = OrgUnit.objects.filter(code=fields["code"]).first()
    if found:
        return found
    if parent is None:
        return OrgUnit.objects.add_root(fields)
    return OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.pk), fields)


@step(10)
@transaction.atomic
def build(scale: str = "small", out=print):
    rng = random.Random(20201)
    regions = load_regions()
    district_region = Region.objects.get(code=DISTRICT_CODE)
    district = _unit(
        None,
        code=DISTRICT_CODE,
        name="萧山区总工会",
        kind=OrgUnit.Kind.DISTRICT_FEDERATION,
        credit_code=credit_code("81", 10001),
        founded_on=dt.date(1950, 5, 1),
        chair_name="王斌",
        region=district_region,
        address="杭州市萧山区",
    )
    towns = list(Region.objects.filter(level="town").order_by("code"))
    seq = 20000
    for t_index, town in enumerate(towns):
        fed = _unit(
            district,
            code=town.code,
            name=f"{town.name}总工会",
            kind=OrgUnit.Kind.TOWN_FEDERATION,
            credit_code=credit_code("81", 11000 + t_index),
            founded_on=dt.date(1984, 1, 1),
            chair_name=person_name(rng),
            region=town,
            address=f"杭州市萧山区{town.name}",
        )
        villages = list(
            Region.objects.filter(path__startswith=town.path, level="village").order_by("code")[:4]
        )
        short = town.name.removesuffix("街道").removesuffix("镇")[:4]
        for i in range(6):
            seq += 1
            trade = TRADES[(t_index + i) % len(TRADES)]
            region = villages[i % len(villages)] if villages else town
            ent_name = f"杭州{short}{trade}有限公司" if i else f"萧山{short}{trade}股份有限公司"
            code = f"{town.code}-{i + 1:03d}"
            union = None
            if i < 4:
                union = _unit(
                    fed,
                    code=code,
                    name=f"{ent_name}工会委员会",
                    kind=OrgUnit.Kind.GRASSROOTS_UNION,
                    credit_code=credit_code("81", seq),
                    founded_on=dt.date(2005 + (seq % 15), 1 + seq % 12, 1 + seq % 28),
                    chair_name=person_name(rng),
                    region=region,
                )
            if not Enterprise.objects.filter(credit_code=credit_code("91", seq)).exists():
                Enterprise.objects.create(
                    name=ent_name,
                    credit_code=credit_code("91", seq),
                    industry=INDUSTRY_OF.get(trade, "C"),
                    size_band=["large", "medium", "small", "small", "micro", "micro"][i],
                    headcount=[1200, 420, 160, 85, 30, 12][i],
                    region=region,
                    address=f"杭州市萧山区{town.name}{region.name}",
                    federation=fed,
                    union=union,
                )
        if villages:
            seq += 1
            _unit(
                fed,
                code=f"{town.code}-J01",
                name=f"{villages[0].name}联合工会",
                kind=OrgUnit.Kind.JOINT_UNION,
                credit_code=credit_code("81", seq),
                founded_on=dt.date(2012, 6, 1),
                chair_name=person_name(rng),
                region=villages[0],
            )
        if town.name.endswith("街道") and t_index % 3 == 0:
            seq += 1
            _unit(
                fed,
                code=f"{town.code}-B01",
                name=f"{town.name}商务楼宇联合工会",
                kind=OrgUnit.Kind.BUILDING_UNION,
                credit_code=credit_code("81", seq),
                founded_on=dt.date(2019, 9, 1),
                chair_name=person_name(rng),
                region=town,
            )
    out(
        f"regions added: {regions}; units: {OrgUnit.objects.count()}; "
        f"enterprises: {Enterprise.objects.count()}"
    )


DISTRICT_UNIONS = 10_000
DISTRICT_ENTERPRISES = 30_000


@step(80)
def district_volume(scale: str = "small", out=print):
    """Benchmark volume, appended after the demo's own records: --scale district."""
    if scale == "district":
        with transaction.atomic():
            bulk_district(DISTRICT_UNIONS, DISTRICT_ENTERPRISES, out=out)


def bulk_district(target_unions: int, target_enterprises: int, out=print):
    """Bulk-create grassroots unions and enterprises up to the targets (paths computed here)."""
    rng = random.Random(7)
    feds = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION).order_by("path"))
    have_unions = OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS).count()
    have_ents = Enterprise.objects.count()
    need_unions = max(0, target_unions - have_unions)
    need_ents = max(0, target_enterprises - have_ents)
    if not need_unions and not need_ents:
        out("district scale already present")
        return
    villages = {
        f.pk: list(
            Region.objects.filter(path__startswith=f.region.path, level="village").values_list(
                "pk", flat=True
            )
        )
        or [f.region_id]
        for f in feds
    }
    seq = 1_000_000 + (Enterprise.objects.aggregate(m=Max("id"))["m"] or 0) * 3
    units, ents = [], []
    per_fed = need_unions // len(feds) + 1
    for fed in feds:
        fed = OrgUnit.objects.get(pk=fed.pk)
        start = fed.numchild
        made = 0
        for k in range(per_fed):
            if len(units) >= need_unions:
                break
            seq += 1
            units.append(
                OrgUnit(
                    path=OrgUnit._get_path(fed.path, fed.depth + 1, start + k + 1),
                    depth=fed.depth + 1,
                    numchild=0,
                    code=f"{fed.code}-X{seq}",
                    name=f"杭州{TRADES[seq % len(TRADES)]}{seq}有限公司工会委员会",
                    kind=OrgUnit.Kind.GRASSROOTS_UNION,
                    credit_code=credit_code("81", seq),
                    founded_on=dt.date(2000 + seq % 20, 1 + seq % 12, 1 + seq % 28),
                    chair_name=person_name(rng),
                    region_id=rng.choice(villages[fed.pk]),
                )
            )
            made += 1
        OrgUnit.objects.filter(pk=fed.pk).update(numchild=start + made)
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    union_ids = {}
    for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS_UNION).values("pk", "path"):
        union_ids.setdefault(u["path"][:8], []).append(u["pk"])
    for i in range(need_ents):
        seq += 1
        fed = feds[i % len(feds)]
        covered = union_ids.get(fed.path[:8]) if i % 3 else None
        ents.append(
            Enterprise(
                name=f"杭州{TRADES[seq % len(TRADES)]}{seq}有限公司",
                credit_code=credit_code("91", seq),
                industry="C",
                size_band=("small", "micro", "medium")[i % 3],
                headcount=10 + seq % 900,
                region_id=rng.choice(villages[fed.pk]),
                federation_id=fed.pk,
                union_id=rng.choice(covered) if covered else None,
            )
        )
    Enterprise.objects.bulk_create(ents, batch_size=2000)
    audit.record(
        AuditEvent.Kind.IMPORT,
        "demo_district_scale",
        data={"units": len(units), "enterprises": len(ents)},
    )
    out(f"district scale: +{len(units)} unions, +{len(ents)} enterprises")
