"""Data scope: the one function that restricts what a user may see or touch.

House rule: every domain row belongs to an OrgUnit, directly or through a parent row. A user sees
and changes rows of the units where they hold a role granting the permission, and the units
below them (a materialized-path prefix). The back office, the API, exports, search,
autocompletes, reports and indicators all call `restrict()`; a model that is not registered
here cannot be restricted, and `restrict()` refuses it loudly.

Registration kinds:
- `units(Model, "union", "federation")`: rows whose unit at any of these paths lies in scope;
  "" means the model is the OrgUnit tree itself.
- `owned(Model, "user")`: rows that belong to the user (jobs, notifications).
- `unscoped(Model)`: rows with no organisation (reference data, the audit log): the permission
  alone decides.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q


def unit_model():
    """The model of the organisation tree (settings.GONGJIA_UNIT_MODEL, like AUTH_USER_MODEL):
    the platform names no app of its own."""
    from django.apps import apps
    from django.conf import settings

    return apps.get_model(settings.GONGJIA_UNIT_MODEL)


@dataclass(frozen=True)
class Spec:
    kind: str  # "units", "owned", "unscoped"
    paths: tuple[str, ...] = ()


_registry: dict[type, Spec] = {}


def units(model, *paths: str):
    _registry[model] = Spec("units", tuple(paths))
    return model


def owned(model, field: str):
    _registry[model] = Spec("owned", (field,))
    return model


def unscoped(model):
    _registry[model] = Spec("unscoped")
    return model


# --- the actor of an action ---------------------------------------------------------------------


class System:
    """The platform itself acting where no person does: sweeps, the demo, commands and imports
    run by the operator, the portal filing a worker's own request. Always passed explicitly
    (`acting_user=SYSTEM`); an action given no actor refuses to run."""

    pk = None
    is_authenticated = False
    username = "gongjia"

    def __repr__(self):
        return "SYSTEM"

    def has_perm(self, perm: str) -> bool:
        return True


SYSTEM = System()


def person(actor):
    """The user to record as having acted: None for the platform itself."""
    if actor is SYSTEM:
        return None
    if actor is None:
        raise TypeError("an action needs its actor: a user, or scope.SYSTEM")
    return actor


def require(actor, action: str, target, *, model=None) -> None:
    """Refuse unless `actor` may `action` the row `target` (in its scope), or, with `model`,
    rows of `model` under the unit `target` (adding one there, moving one there). The one
    permission check of every action; the platform itself may do anything."""
    from django.utils.translation import gettext as _

    if person(actor) is None:
        return
    if model is None:
        if not can(actor, action, target):
            raise PermissionDenied(_("You may not do this on this record."))
    elif not units_in_scope(actor, model, action).filter(pk=target.pk).exists():
        raise PermissionDenied(_("You may not do this under %(u)s.") % {"u": target})


def require_perm(actor, perm: str) -> None:
    """Refuse unless `actor` holds `perm` anywhere (reference data, accounts)."""
    from django.utils.translation import gettext as _

    if person(actor) is not None and not actor.has_perm(perm):
        raise PermissionDenied(_("Your role does not allow this."))


def spec_for(model) -> Spec:
    model = getattr(model, "_meta", None) and model._meta.concrete_model or model
    try:
        return _registry[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model.__name__} is not registered for data scope (gongjia.platform.scope)"
        ) from None


def registered_models():
    return dict(_registry)


def perm_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _minimal(prefixes: list[str]) -> list[str]:
    out: list[str] = []
    for p in sorted(set(prefixes), key=len):
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return out


def unit_prefixes(user, model, action: str) -> list[str] | None:
    """Tree paths of the units where the user may perform `action`; None means everywhere."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return None
    return _minimal(user.unit_paths_for(perm_name(model, action)))


def _unit_q(spec: Spec, prefixes: list[str]) -> Q:
    """Rows whose unit lies under any prefix. Related units are matched with an `IN (SELECT id
    FROM orgunit WHERE path LIKE ...)` subquery rather than joins: with several unit paths an OR
    over joins is far slower on PostgreSQL."""
    OrgUnit = unit_model()
    branch = Q()
    for p in prefixes:
        branch |= Q(path__startswith=p)
    q = Q(pk__in=[])
    for path in spec.paths:
        if path:
            q |= Q(**{f"{path}__in": OrgUnit.objects.filter(branch).values("pk")})
        else:
            q |= branch
    return q


def restrict(queryset, user, action: str = "view"):
    """The rows of `queryset` that `user` may `action` (view, change, delete, export, ...)."""
    model = queryset.model
    spec = spec_for(model)
    if user is SYSTEM:
        return queryset  # the platform itself (sweeps, the operator's commands) sees everything
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if spec.kind == "owned":
        if user.is_superuser:
            return queryset
        return queryset.filter(**{spec.paths[0]: user})
    prefixes = unit_prefixes(user, model, action)
    if prefixes is None:
        return queryset
    if spec.kind == "unscoped":
        return queryset if prefixes else queryset.none()
    if not prefixes:
        return queryset.none()
    if _whole_tree(prefixes):
        # The user's role covers the only district: a filter would select every row anyway,
        # and leaving it out lets "newest first, 50 rows" use the primary key index.
        return queryset
    return queryset.filter(_unit_q(spec, prefixes))


def _whole_tree(prefixes: list[str]) -> bool:
    # Asked afresh each time (one indexed query): a remembered answer would outlive the
    # creation of a second district.
    OrgUnit = unit_model()
    if len(prefixes) != 1 or len(prefixes[0]) != OrgUnit.steplen:
        return False
    return not OrgUnit.objects.filter(depth=1).exclude(path=prefixes[0]).exists()


def can(user, action: str, obj) -> bool:
    """Whether `user` may `action` this one row (a single indexed query)."""
    if obj is None or obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def check(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def units_in_scope(user, model, action: str):
    """The OrgUnits where `user` may `action` rows of `model` (for choices and validation)."""
    OrgUnit = unit_model()
    qs = OrgUnit.objects.all()
    if user is SYSTEM:
        return qs
    prefixes = unit_prefixes(user, model, action)
    if prefixes is None:
        return qs
    if not prefixes:
        return qs.none()
    return qs.filter(_unit_q(Spec("units", ("",)), prefixes))


class Narrowed:
    """A user seen through one unit of their scope (figures "by town"): they keep their
    permissions, but reach only the rows at or under `unit` that they could reach anyway."""

    is_superuser = False

    def __init__(self, user, unit):
        self._user, self._path, self._unit = user, unit.path, unit

    def __getattr__(self, name):
        return getattr(self._user, name)

    def unit_paths_for(self, perm: str) -> list[str]:
        u = self._user
        if not (u and u.is_authenticated and u.is_active):
            return []
        paths = [self._path] if u.is_superuser else u.unit_paths_for(perm)
        out = []
        for p in paths:
            if self._path.startswith(p):
                out.append(self._path)  # the user's unit holds the chosen one
            elif p.startswith(self._path):
                out.append(p)  # the user's unit lies inside it
        return out


def narrowed(user, unit):
    return Narrowed(user, unit)
