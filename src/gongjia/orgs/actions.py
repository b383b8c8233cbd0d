"""The only code that creates, moves or changes the status of units and enterprises."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjia.orgs.events import MOVED
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.orgs.workflows import unit_workflow
from gongjia.platform import audit, events, scope
from gongjia.platform.models import AuditEvent

UNIT_FIELDS = (
    "code",
    "name",
    "kind",
    "credit_code",
    "founded_on",
    "chair_name",
    "contact_name",
    "contact_phone",
    "region",
    "address",
)


def _check_parent(parent: OrgUnit, kind: str):
    if kind == OrgUnit.Kind.DISTRICT_FEDERATION:
        raise ValidationError({"kind": _("A district federation is the root of the tree.")})
    if kind == OrgUnit.Kind.TOWN_FEDERATION and parent.kind != OrgUnit.Kind.DISTRICT_FEDERATION:
        raise ValidationError(
            {"parent": _("A town or street federation sits under the district federation.")}
        )
    if parent.is_grassroots:
        raise ValidationError({"parent": _("Units cannot be placed under a grassroots union.")})


@transaction.atomic
def create_unit(*, acting_user, parent: OrgUnit | None, **fields) -> OrgUnit:
    unit = OrgUnit(**{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        if scope.person(acting_user) is not None and not acting_user.is_superuser:
            raise PermissionDenied(_("Only the installation may create a root unit."))
        if unit.kind != OrgUnit.Kind.DISTRICT_FEDERATION:
            raise ValidationError({"kind": _("The root unit is a district federation.")})
        unit = OrgUnit.objects.add_root(instance=unit)
    else:
        scope.require(acting_user, "add", parent, model=OrgUnit)
        _check_parent(parent, unit.kind)
        unit = OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.pk), instance=unit)
    audit.record(
        AuditEvent.Kind.SYSTEM,
        "unit_created",
        actor=acting_user,
        obj=unit,
        data={"parent": parent.code if parent else None},
    )
    return unit


@transaction.atomic
def update_unit(unit: OrgUnit, *, acting_user, **fields) -> OrgUnit:
    scope.require(acting_user, "change", unit)
    for k, v in fields.items():
        if k not in UNIT_FIELDS:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(unit, k, v)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    return unit


@transaction.atomic
def move_unit(unit: OrgUnit, new_parent: OrgUnit, *, acting_user) -> OrgUnit:
    """Move a unit, with its whole branch, under another unit."""
    scope.require(acting_user, "change", unit)
    scope.require(acting_user, "change", new_parent, model=OrgUnit)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": _("A unit cannot be moved under itself or its own branch.")}
        )
    _check_parent(new_parent, unit.kind)
    old_parent = OrgUnit.objects.get_parent(unit)
    OrgUnit.objects.move(unit, OrgUnit.objects.get(pk=new_parent.pk), pos="last-child")
    unit = OrgUnit.objects.get(pk=unit.pk)
    events.record(
        MOVED,
        actor=acting_user,
        obj=unit,
        data={"from": old_parent.code if old_parent else None, "to": new_parent.code},
    )
    return unit


def transition_unit(unit: OrgUnit, name: str, *, acting_user, note: str = "", on=None) -> OrgUnit:
    return unit_workflow.run(unit, name, acting_user=acting_user, note=note, on=on)


ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "industry",
    "size_band",
    "headcount",
    "region",
    "address",
    "federation",
    "union",
)


def _check_enterprise_scope(acting_user, ent: Enterprise, action: str):
    if scope.person(acting_user) is None:
        return
    allowed = scope.units_in_scope(acting_user, Enterprise, action)
    units = [u for u in (ent.federation_id, ent.union_id) if u]
    if not allowed.filter(pk__in=units).exists():
        raise PermissionDenied(_("This enterprise would lie outside your organisation."))


@transaction.atomic
def create_enterprise(*, acting_user, **fields) -> Enterprise:
    ent = Enterprise(**{k: v for k, v in fields.items() if k in ENTERPRISE_FIELDS})
    ent.full_clean()
    _check_enterprise_scope(acting_user, ent, "add")
    ent.save()
    return ent


@transaction.atomic
def update_enterprise(ent: Enterprise, *, acting_user, **fields) -> Enterprise:
    scope.require(acting_user, "change", ent)
    for k, v in fields.items():
        if k not in ENTERPRISE_FIELDS:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(ent, k, v)
    ent.full_clean()
    _check_enterprise_scope(acting_user, ent, "change")
    ent.save()
    return ent


@transaction.atomic
def create_region(*, acting_user, parent: Region, code: str, name: str, level: str) -> Region:
    """Add a division under `parent` (e.g. a new community); codes extend the parent's code."""
    scope.require_perm(acting_user, "orgs.add_region")
    if not code.startswith(parent.code) or not code.isdigit():
        raise ValidationError(
            {"code": _("A division code is digits that begin with its parent's code.")}
        )
    expected = {"district": "town", "town": "village"}.get(parent.level)
    if level != expected:
        raise ValidationError(
            {"level": _("Under this division only level %(l)s fits.") % {"l": expected}}
        )
    region = Region(code=code, name=name, level=level)
    region.full_clean(exclude=["path", "depth", "numchild"])
    return Region.objects.add_child(Region.objects.get(pk=parent.pk), instance=region)


@transaction.atomic
def rename_region(region: Region, *, acting_user, name: str) -> Region:
    scope.require_perm(acting_user, "orgs.change_region")
    region.name = name
    region.full_clean(exclude=["path", "depth", "numchild"])
    region.save(update_fields=["name"])
    return region
