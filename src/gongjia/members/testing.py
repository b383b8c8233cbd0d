import datetime as dt
import itertools

from gongjia.members import actions
from gongjia.members.models import Founding, Member, MembershipChange, TransferRequest
from gongjia.orgs.models import OrgUnit
from gongjia.orgs.testing import make_unit
from gongjia.platform import validators
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory

_seq = itertools.count(100)


def id_number(n: int) -> str:
    body = f"330109198{n % 10}0101{n % 1000:03d}"
    return body + validators.id_check_char(body)


def union_under(tree, town):
    union = OrgUnit.objects.filter(path__startswith=town.path, kind="grassroots_union").first()
    return union or make_unit(tree, town)


@factory(Member)
def make_member(tree, town, **fields):
    n = next(_seq)
    return actions.register(
        acting_user=SYSTEM,
        union=union_under(tree, town),
        name=f"{town.code}-职工{n}",
        id_number=fields.pop("id_number", None) or id_number(n),
        join_date=dt.date(2020, 3, 1),
        **fields,
    )


@factory(MembershipChange)
def make_change(tree, town):
    return make_member(tree, town).changes.get()


@factory(Founding)
def make_founding(tree, town):
    return actions.open_founding(
        acting_user=SYSTEM,
        federation=town,
        name=f"{town.code}-筹建工会",
        field=Founding.Field.BUILDING,
        started_on=dt.date(2020, 1, 6),
    )


@factory(TransferRequest)
def make_transfer_request(tree, town):
    from gongjia.accounts.models import User

    member = make_member(tree, town)
    other = make_unit(tree, town)
    user = User.objects.create(username=f"{town.code}-sender-{next(_seq)}")
    return TransferRequest.objects.create(
        member=member,
        from_union=member.union,
        to_union=other,
        on=dt.date(2026, 1, 5),
        requested_by=user,
    )
