"""Shared checks of the rights actions."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import scope


def _check(acting_user, action: str, obj):
    if acting_user is not None:
        scope.check(acting_user, action, obj)


def _may(acting_user, action: str, model, unit: OrgUnit):
    """acting_user None is the system itself (demo, commands run by the operator)."""
    if acting_user is None:
        return
    if not scope.units_in_scope(acting_user, model, action).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not do this under %(u)s.") % {"u": unit})
