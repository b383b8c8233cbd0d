import itertools

from gongjia.orgs import actions
from gongjia.orgs.demo import credit_code
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factory

_seq = itertools.count(5000)


@factory(OrgUnit)
def make_unit(tree, town):
    n = next(_seq)
    return actions.create_unit(
        acting_user=SYSTEM,
        parent=town,
        code=f"{town.code}-U{n}",
        name=f"{town.code}-工会{n}",
        kind=OrgUnit.Kind.GRASSROOTS_UNION,
        credit_code=credit_code("81", n),
    )


@factory(Enterprise)
def make_enterprise(tree, town):
    n = next(_seq)
    region = Region.objects.filter(level="town").first()
    return Enterprise.objects.create(
        name=f"{town.code}-企业{n}",
        credit_code=credit_code("91", n),
        industry="C",
        size_band="small",
        region=region,
        federation=town,
    )
