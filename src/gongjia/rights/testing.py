import datetime as dt
import itertools

from gongjia.orgs.models import Region
from gongjia.platform.testing import factory
from gongjia.rights import actions
from gongjia.rights.models import Agency, DutyShift, LegalTalk, Station, TeamMember

_seq = itertools.count(1)


def village_of(town):
    """A village under the town's region (made on the spot when the tree has none)."""
    area = town.region
    village = Region.objects.filter(path__startswith=area.path, level="village").first()
    if village is None:
        n = next(_seq)
        village = Region.objects.add_child(
            Region.objects.get(pk=area.pk),
            dict(code=f"{area.code}{n:03d}", name=f"{town.code}-村{n}", level="village"),
        )
    return village


@factory(Station)
def make_station(tree, town):
    n = next(_seq)
    return actions.save_station(
        None,
        acting_user=None,
        host=town,
        name=f"{town.code}-维权站{n}",
        address=f"{town.code}路{n}号",
        hours="工作日 8:30-17:00",
        serves=[village_of(town)],
    )


@factory(TeamMember)
def make_team_member(tree, town):
    n = next(_seq)
    return actions.save_team_member(
        None,
        acting_user=None,
        unit=town,
        kind=TeamMember.Kind.LAWYER,
        name=f"{town.code}-律师{n}",
        firm="浙江某律师事务所",
        licence_number=f"{13301200010000000 + n}",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2030, 12, 31),
    )


@factory(DutyShift)
def make_shift(tree, town):
    station = make_station(tree, town)
    member = make_team_member(tree, town)
    member.stations.add(station)
    return actions.add_shift(
        acting_user=None, station=station, member=member, on=dt.date(2026, 3, 2)
    )


@factory(Agency)
def make_agency(tree, town):
    return actions.save_agency(
        None,
        acting_user=None,
        unit=town,
        name=f"{town.code}-人民调解委员会{next(_seq)}",
        kind=Agency.Kind.PEOPLES_MEDIATION,
        effective_from=dt.date(2020, 1, 1),
    )


@factory(LegalTalk)
def make_talk(tree, town):
    return actions.record_talk(
        acting_user=None,
        unit=town,
        held_on=dt.date(2026, 3, 15),
        venue=f"{town.code}-职工之家",
        speaker="王律师",
        topic=f"{town.code}-劳动合同法宣讲",
        audience=60,
    )
