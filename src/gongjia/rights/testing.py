import datetime as dt
import itertools

from django.utils import timezone

from gongjia.orgs.models import Region
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory
from gongjia.rights import actions
from gongjia.rights.models import (
    Agency,
    Ballot,
    CaseClaim,
    CaseWorker,
    Checklist,
    ChecklistItem,
    Clause,
    ClauseVersion,
    Demand,
    DisputeCase,
    DutyShift,
    Evaluation,
    InformationRequest,
    LegalTalk,
    LimitationEvent,
    Negotiation,
    Referral,
    Representative,
    Round,
    Score,
    Station,
    TeamMember,
    Vote,
)

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
        acting_user=SYSTEM,
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
        acting_user=SYSTEM,
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
        # Today: the roster's list opens at this month.
        acting_user=SYSTEM,
        station=station,
        member=member,
        on=timezone.localdate(),
    )


@factory(Agency)
def make_agency(tree, town):
    return actions.save_agency(
        None,
        acting_user=SYSTEM,
        unit=town,
        name=f"{town.code}-人民调解委员会{next(_seq)}",
        kind=Agency.Kind.PEOPLES_MEDIATION,
        effective_from=dt.date(2020, 1, 1),
    )


@factory(LegalTalk)
def make_talk(tree, town):
    return actions.record_talk(
        acting_user=SYSTEM,
        unit=town,
        held_on=dt.date(2026, 3, 15),
        venue=f"{town.code}-职工之家",
        speaker="王律师",
        topic=f"{town.code}-劳动合同法宣讲",
        audience=60,
    )


@factory(DisputeCase)
def make_case(tree, town):
    return actions.open_case(
        acting_user=SYSTEM,
        unit=town,
        channel="station",
        employer_name=f"{town.code}-用人单位{next(_seq)}",
        received_on=dt.date(2026, 3, 2),
        summary="拖欠工资",
        known_on=dt.date(2026, 2, 1),
        workers=[{"name": f"{town.code}-职工"}],
        claims=[{"kind": "wages", "amount": "1000"}],
    )


@factory(CaseWorker)
def make_case_worker(tree, town):
    return make_case(tree, town).workers.get()


@factory(CaseClaim)
def make_case_claim(tree, town):
    return make_case(tree, town).claims.get()


@factory(LimitationEvent)
def make_limitation_event(tree, town):
    case = make_case(tree, town)
    actions.record_limitation_event(
        case, acting_user=SYSTEM, kind="interruption", on=dt.date(2026, 3, 5), note="向单位主张"
    )
    return case.limitation_events.get()


@factory(Referral)
def make_referral(tree, town):
    case = make_case(tree, town)
    court = make_agency(tree, town)
    return Referral.objects.create(
        case=case,
        kind=Referral.Kind.REFERRAL,
        agency=court,
        entrusted_on=dt.date(2026, 3, 3),
        due_on=dt.date(2026, 4, 2),
    )


@factory(Negotiation)
def make_negotiation(tree, town):
    return actions.open_negotiation(
        acting_user=SYSTEM,
        unit=town,
        title=f"{town.code}-工资集体协商{next(_seq)}",
        level=Negotiation.Level.AREA,
        kind=Negotiation.Kind.WAGE,
    )


@factory(Representative)
def make_representative(tree, town):
    n = make_negotiation(tree, town)
    return actions.seat(
        n,
        acting_user=SYSTEM,
        side="workers",
        name=f"{town.code}-代表",
        appointed_on=dt.date(2026, 3, 2),
    )


@factory(Round)
def make_round(tree, town):
    n = make_negotiation(tree, town)
    return Round.objects.create(
        negotiation=n, held_on=dt.date(2026, 3, 9), recorder="记录员", minutes="第一轮协商"
    )


@factory(Demand)
def make_demand(tree, town):
    from gongjia.accounts.models import User

    n = make_negotiation(tree, town)
    user = User.objects.create(username=f"demand{next(_seq)}")
    return actions.add_demand(n, user=user, text="希望提高夜班津贴")


@factory(Clause)
def make_clause(tree, town):
    n = make_negotiation(tree, town)
    return Clause.objects.create(negotiation=n, number=1, title="最低工资")


@factory(ClauseVersion)
def make_clause_version(tree, town):
    from gongjia.accounts.models import User

    clause = make_clause(tree, town)
    user = User.objects.create(username=f"clause{next(_seq)}")
    return ClauseVersion.objects.create(
        clause=clause, version=1, side="workers", text="不低于 2600 元", proposed_by=user
    )


def _in_talks(tree, town):
    n = make_negotiation(tree, town)
    Negotiation.objects.filter(pk=n.pk).update(status=Negotiation.Status.IN_NEGOTIATION)
    n.refresh_from_db()
    return n


@factory(Ballot)
def make_ballot(tree, town):
    return actions.open_ballot(
        _in_talks(tree, town), acting_user=SYSTEM, question="夜班津贴方案", options=["甲", "乙"]
    )


@factory(Vote)
def make_vote(tree, town):
    from gongjia.accounts.models import User

    ballot = make_ballot(tree, town)
    user = User.objects.create(username=f"voter{next(_seq)}")
    actions.seat(
        ballot.negotiation,
        acting_user=SYSTEM,
        side="workers",
        name=f"{town.code}-投票代表",
        appointed_on=dt.date(2026, 3, 2),
        user=user,
    )
    return actions.cast_vote(ballot, user=user, choice="甲")


@factory(Checklist)
def make_checklist(tree, town):
    c = Checklist.objects.create(
        name=f"{town.code}-和谐劳动关系评价标准{next(_seq)}",
        unit=town,
        effective_from=dt.date(2024, 1, 1),
        grades=[{"grade": "A", "min": 60}],
    )
    ChecklistItem.objects.create(checklist=c, code="1", text="依法签订劳动合同", weight=100)
    return c


@factory(ChecklistItem)
def make_checklist_item(tree, town):
    return make_checklist(tree, town).items.get()


@factory(Evaluation)
def make_evaluation(tree, town):
    from gongjia.orgs.testing import make_enterprise

    return actions.open_evaluation(
        acting_user=SYSTEM,
        unit=town,
        enterprise=make_enterprise(tree, town),
        checklist=make_checklist(tree, town),
        round="2026 年度",
    )


@factory(Score)
def make_score(tree, town):
    e = make_evaluation(tree, town)
    return actions.score(e, acting_user=SYSTEM, item=e.checklist.items.get(), percent=80)


@factory(InformationRequest)
def make_information_request(tree, town):
    return actions.request_information(
        make_negotiation(tree, town),
        acting_user=SYSTEM,
        what="近三年工资总额",
        on=dt.date(2026, 3, 2),
    )
