"""What the rights API modules share: the router, unit and region references."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Router

from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform import scope
from gongjia.platform.api_base import reference

router = Router(tags=["rights"])


def unit_ref(request, model, code, field="host_code", action="add"):
    return reference(
        scope.units_in_scope(request.user, model, action),
        field,
        f"单位代码 {code} 不存在或不在您的管辖范围内",
        code=code,
    )


def region_refs(codes: list[str], field: str) -> list[Region]:
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({field: [f"区划代码 {'、'.join(missing)} 不存在"]})
    return [found[c] for c in codes]


def under_branch(value, path_field):
    if not value:
        return Q()
    unit = OrgUnit.objects.filter(code=value).first()
    return Q(**{f"{path_field}__startswith": unit.path}) if unit else Q(pk__in=[])
