"""The only code that changes members' status or union, and foundings' steps."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.events import APPLIED, TRANSFER_REQUESTED
from gongjia.members.models import Founding, Member, MembershipChange, TransferRequest
from gongjia.members.selectors import find_by_id_number
from gongjia.members.steps import may_receive, move
from gongjia.members.workflows import founding_workflow, member_workflow, transfer_workflow
from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters, events, notifications, scope, validators

EDITABLE = (
    "name",
    "mobile",
    "employer",
    "category",
    "skill_level",
    "highest_certificate",
    "education",
    "political_status",
    "join_date",
)


def member_numbers(n: int, union: OrgUnit) -> list[str]:
    """New member numbers in the district of `union`: its code and a sequence (one sequence for
    every district, so numbers are unique and never reused)."""
    district = (
        OrgUnit.objects.filter(path=union.path[: OrgUnit.steplen])
        .values_list("code", flat=True)
        .first()
    )
    return [f"{district or 'M'}{i:08d}" for i in counters.allocate("member_number", n)]


def duplicate_message(existing: Member, user) -> str:
    """Name the union holding the person only if the user may see that member."""
    if scope.can(user, "view", existing):
        return _("This person is already registered with %(u)s (member number %(n)s).") % {
            "u": existing.union.name,
            "n": existing.member_number,
        }
    return _("This person is already registered with another union in the district.")


def _check_union(union: OrgUnit, acting_user, action="add"):
    if not union.is_grassroots:
        raise ValidationError({"union": _("Members belong to a grassroots union.")})
    scope.require(acting_user, action, union, model=Member)


@transaction.atomic
def register(
    *,
    acting_user,
    union: OrgUnit,
    name: str,
    id_number: str,
    status: str = Member.Status.ACTIVE,
    **fields,
) -> Member:
    """Enter a member (or, with status=applied, an application) after every check."""
    try:
        parsed = validators.parse_id_number(id_number)
    except ValidationError as e:
        raise ValidationError({"id_number": e.messages}) from None
    _check_union(union, acting_user)
    existing = find_by_id_number(parsed.value)
    if existing is not None:
        raise ValidationError({"id_number": [duplicate_message(existing, acting_user)]})
    if fields.get("mobile"):
        try:
            fields["mobile"] = validators.validate_mobile(fields["mobile"])
        except ValidationError as e:
            raise ValidationError({"mobile": e.messages}) from None
    member = Member(
        name=name.strip(),
        id_number=parsed.value,
        id_upgraded=parsed.upgraded,
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        union=union,
        status=status,
        member_number=member_numbers(1, union)[0],
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    if status == Member.Status.ACTIVE and member.join_date is None:
        member.join_date = timezone.localdate()
    member.full_clean(exclude=["id_number_bidx"])
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        # A concurrent registration of the same person won the race.
        existing = find_by_id_number(parsed.value)
        raise ValidationError({"id_number": [duplicate_message(existing, acting_user)]}) from None
    if status == Member.Status.ACTIVE:
        MembershipChange.objects.create(
            member=member, kind=MembershipChange.Kind.JOIN, on=member.join_date, to_union=union
        )
    return member


def apply(*, user, union: OrgUnit, **fields) -> Member:
    """A worker applies in the portal, in the name and ID number their account declares (never
    another person's); the grassroots union approves."""
    if not user.id_number:
        raise ValidationError(
            {"id_number": [_("Declare your name and ID number on your account first.")]}
        )
    member = register(
        acting_user=scope.SYSTEM,  # the worker's own application, approved by the union
        union=union,
        name=user.full_name,
        id_number=user.id_number,
        status=Member.Status.APPLIED,
        **fields,
    )
    member.user = user
    member.save(update_fields=["user"])
    events.record(
        APPLIED,
        actor=user,
        obj=member,
        data={"from": None, "to": Member.Status.APPLIED},
    )
    return member


@transaction.atomic
def update(member: Member, *, acting_user, **fields) -> Member:
    scope.require(acting_user, "change", member)
    for k, v in fields.items():
        if k not in EDITABLE:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(member, k, v)
    if member.mobile:
        member.mobile = validators.validate_mobile(member.mobile)
    member.full_clean(exclude=["id_number_bidx"])
    member.save()
    return member


def transition(
    member: Member, name: str, *, acting_user, note: str = "", on: dt.date | None = None
) -> Member:
    """A step of membership (its dates and history are declared on the step)."""
    return member_workflow.run(member, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def transfer(
    member: Member, to_union: OrgUnit, *, acting_user, on: dt.date | None = None, note: str = ""
) -> Member | TransferRequest:
    """转会: the member moves to another grassroots union; the history keeps both. Into a union
    outside the acting officer's organisation it is a request, which the receiving union
    accepts or refuses: nobody pushes a member out of their own sight into another town."""
    scope.require(acting_user, "change", member)
    if not to_union.is_grassroots:
        raise ValidationError({"union": _("Members belong to a grassroots union.")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can transfer."))
    if member.union_id == to_union.pk:
        raise ValidationError({"union": _("The member already belongs to this union.")})
    on = on or timezone.localdate()
    if scope.person(acting_user) is not None and not may_receive(acting_user, to_union):
        if TransferRequest.objects.filter(
            member=member, status=TransferRequest.Status.PENDING
        ).exists():
            raise ValidationError(
                _("A transfer of this member is already waiting for the receiving union.")
            )
        req = TransferRequest.objects.create(
            member=member,
            from_union=member.union,
            to_union=to_union,
            on=on,
            note=note[:200],
            requested_by=scope.person(acting_user),
        )
        events.record(
            TRANSFER_REQUESTED,
            actor=acting_user,
            obj=member,
            data={"from": member.union.code, "to": to_union.code, "note": note},
        )
        title = _("Transfer request: %(m)s to %(u)s") % {"m": member.name, "u": to_union.name}
        link = f"/admin/members/transferrequest/{req.pk}/change/"
        for unit in (to_union, OrgUnit.objects.get_parent(to_union)):
            for role in ("union_officer", "town_officer") if unit is not None else ():
                notifications.notify(title=title, link=link, role=role, unit=unit)
        return req
    return move(member, to_union, acting_user=acting_user, on=on, note=note)


def decide_transfer(req: TransferRequest, name: str, *, acting_user, note: str = ""):
    """Accept or refuse (the receiving side), or withdraw (the sending side) a request."""
    return transfer_workflow.run(req, name, acting_user=acting_user, note=note)


# --- foundings ----------------------------------------------------------------------------------

FOUNDING_FIELDS = (
    "name",
    "field",
    "kind",
    "enterprise",
    "region",
    "workers",
    "started_on",
    "elected_on",
    "chair_name",
    "approved_on",
    "approval_document",
    "credit_code",
    "unit_code",
)


@transaction.atomic
def open_founding(*, acting_user, federation: OrgUnit, **fields) -> Founding:
    scope.require(acting_user, "add", federation, model=Founding)
    if federation.kind not in OrgUnit.FEDERATIONS:
        raise ValidationError({"federation": _("Choose a town or street federation.")})
    founding = Founding(
        federation=federation, **{k: v for k, v in fields.items() if k in FOUNDING_FIELDS}
    )
    founding.full_clean()
    founding.save()
    return founding


@transaction.atomic
def update_founding(founding: Founding, *, acting_user, **fields) -> Founding:
    scope.require(acting_user, "change", founding)
    for k, v in fields.items():
        if k not in FOUNDING_FIELDS:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(founding, k, v)
    founding.full_clean()
    founding.save()
    return founding


def founding_step(
    founding: Founding, name: str, *, acting_user, note: str = "", values: dict | None = None
) -> Founding:
    """A step of a founding; establishing it founds the unit (declared on the step)."""
    return founding_workflow.run(founding, name, acting_user=acting_user, note=note, values=values)
