"""Demo rights network, reproducing seed programme 1 from records: 77 rights stations and rooms
covering every village and community, 26 lawyers, 81 regional chief maintainers (three per town
or street) and 1,252 union labour-law supervisors; the agencies of "1+X", a duty roster and
legal talks."""

import datetime as dt
import random

from django.db import transaction

from gongjia.orgs.demo import person_name
from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform import audit
from gongjia.platform.demo import step
from gongjia.platform.models import AuditEvent
from gongjia.rights import actions
from gongjia.rights.models import Agency, DutyShift, Station, TeamMember

STATIONS = 77
LAWYERS = 26
CHIEFS_PER_TOWN = 3  # 27 towns and streets × 3 = 81
SUPERVISORS = 1_252
FIRMS = ["浙江萧然律师事务所", "浙江湘湖律师事务所", "浙江钱江律师事务所", "浙江瓜沥律师事务所"]
AGENCIES = [
    ("萧山区总工会", Agency.Kind.UNION),
    ("萧山区劳动人事争议仲裁委员会", Agency.Kind.ARBITRATION),
    ("萧山区人民法院", Agency.Kind.COURT),
    ("萧山区人民检察院", Agency.Kind.PROCURATORATE),
    ("萧山区司法局", Agency.Kind.JUSTICE_BUREAU),
    ("萧山区人力资源和社会保障局", Agency.Kind.HRSS),
    ("萧山区劳动争议人民调解委员会", Agency.Kind.PEOPLES_MEDIATION),
    ("浙江萧然律师事务所", Agency.Kind.LAW_FIRM),
]


def _split(items: list, parts: int) -> list[list]:
    base, extra = divmod(len(items), parts)
    out, i = [], 0
    for k in range(parts):
        n = base + (1 if k < extra else 0)
        out.append(items[i : i + n])
        i += n
    return out


@step(30)
@transaction.atomic
def rights_network(scale: str = "small", out=print):
    if Station.objects.exists():
        out("rights: demo records already present")
        return
    rng = random.Random(1)
    district = OrgUnit.objects.get(depth=1)
    towns = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWN_FEDERATION, region__isnull=False)
        .select_related("region")
        .order_by("code")
    )
    # 77 stations over the towns (two or three each), each town's villages split among them.
    per_town = [len(s) for s in _split(list(range(STATIONS)), len(towns))]
    stations = []
    for town, n in zip(towns, per_town, strict=True):
        villages = list(
            Region.objects.filter(path__startswith=town.region.path, level="village").order_by(
                "code"
            )
        )
        for k, served in enumerate(_split(villages, n), start=1):
            kind = Station.Kind.STATION if k == 1 else Station.Kind.ROOM
            label = "职工维权站" if k == 1 else f"第{k - 1}职工维权室"
            stations.append(
                actions.save_station(
                    None,
                    acting_user=None,
                    host=town,
                    name=f"{town.region.name}{label}",
                    kind=kind,
                    address=f"{town.region.name}{rng.randint(1, 300)}号",
                    hours="工作日 8:30-17:00",
                    phone=f"0571-8{rng.randint(1000000, 9999999)}",
                    opened_on=dt.date(2019, 3, 1),
                    serves=served,
                )
            )
    lawyers = []
    for i in range(LAWYERS):
        lawyers.append(
            actions.save_team_member(
                None,
                acting_user=None,
                unit=district,
                kind=TeamMember.Kind.LAWYER,
                name=person_name(rng),
                firm=FIRMS[i % len(FIRMS)],
                licence_number=f"133012{2010 + i % 12}1{i:06d}",
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2028, 12, 31),
                stations=stations[i * 3 % STATIONS : i * 3 % STATIONS + 3],
            )
        )
    for town in towns:
        town_stations = [s for s in stations if s.host_id == town.pk]
        for k in range(CHIEFS_PER_TOWN):
            actions.save_team_member(
                None,
                acting_user=None,
                unit=town,
                kind=TeamMember.Kind.CHIEF_MAINTAINER,
                name=person_name(rng),
                region=town.region,
                credential_number=f"萧工维{town.region.code[-3:]}{k + 1:02d}",
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2029, 12, 31),
                stations=town_stations,
                areas=[town.region],
            )
    unions = list(OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS).order_by("path"))
    # Supervisors in bulk (one per union round the list); validated like the others.
    supervisors = []
    for i in range(SUPERVISORS):
        m = TeamMember(
            kind=TeamMember.Kind.LAW_SUPERVISOR,
            name=person_name(rng),
            unit=unions[i % len(unions)],
            credential_number=f"萧劳监{i + 1:05d}",
            valid_from=dt.date(2020, 1, 1),
            valid_until=dt.date(2029, 12, 31),
        )
        m.full_clean()
        supervisors.append(m)
    TeamMember.objects.bulk_create(supervisors, batch_size=2000)
    for name, kind in AGENCIES:
        actions.save_agency(
            None,
            acting_user=None,
            unit=district,
            name=name,
            kind=kind,
            effective_from=dt.date(2019, 1, 1),
        )
    # Two weeks of duty from the first Monday of 2026 for the lawyers.
    start = dt.date(2026, 1, 5)
    for day in range(10):
        on = start + dt.timedelta(days=day + (day // 5) * 2)
        for lawyer in lawyers[day % 2 :: 2]:
            station = lawyer.stations.first()
            DutyShift.objects.create(station=station, member=lawyer, on=on, period="day")
    for i in range(40):
        town = towns[i % len(towns)]
        actions.record_talk(
            acting_user=None,
            unit=town,
            held_on=dt.date(2020 + i % 6, 1 + i % 12, 10),
            venue=f"{town.region.name}职工之家",
            speaker=lawyers[i % LAWYERS].name + "律师",
            topic=("劳动合同法", "工资支付条例", "工伤保险条例", "劳动争议调解仲裁法")[i % 4]
            + "宣讲",
            audience=40 + (i * 7) % 120,
        )
    audit.record(
        AuditEvent.Kind.IMPORT,
        "demo_rights",
        data={"stations": len(stations), "supervisors": SUPERVISORS},
    )
    out(
        f"rights: {len(stations)} stations, {LAWYERS} lawyers, "
        f"{len(towns) * CHIEFS_PER_TOWN} chief maintainers, {SUPERVISORS} supervisors"
    )
