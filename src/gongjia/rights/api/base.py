"""What the rights API modules share: the router, unit and region references."""

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Router

from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform import scope
from gongjia.platform.api_base import reference, references

router = Router(tags=["rights"])


def unit_ref(request, model, code, field="host_code", action="add"):
    return reference(
        scope.units_in_scope(request.user, model, action), field, _("Unit code"), code=code
    )


def region_refs(codes: list[str], field: str) -> list[Region]:
    return references(
        Region.objects.all(), field, _("Division code"), codes, key="code", scoped=False
    )


def under_branch(value, path_field):
    if not value:
        return Q()
    unit = OrgUnit.objects.filter(code=value).first()
    return Q(**{f"{path_field}__startswith": unit.path}) if unit else Q(pk__in=[])
