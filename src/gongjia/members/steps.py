"""What a member's steps do besides moving the status: the dates they write and the history of
membership they add (declared on the transitions of `workflows.py`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gongjia.members.events import TRANSFERRED
from gongjia.members.models import Member, MembershipChange
from gongjia.orgs import actions as org_actions
from gongjia.platform import events, scope
from gongjia.platform.workflow import Step


def joined(step: Step) -> None:
    step.values["join_date"] = step.obj.join_date or step.on


def withdrawing(step: Step) -> None:
    step.values.update(withdrawn_on=step.on, withdrawal_reason=step.note[:200])


def reinstating(step: Step) -> None:
    step.values.update(withdrawn_on=None, withdrawal_reason="")


def history(kind: str):
    """The membership history's entry for a step (joined, withdrew, reinstated)."""

    def add(step: Step) -> None:
        m = step.obj
        MembershipChange.objects.create(
            member=m, kind=kind, on=step.on, to_union=m.union, note=step.note[:200]
        )

    return add


# --- transfers between unions -------------------------------------------------------------------


def may_receive(user, union) -> bool:

    return scope.units_in_scope(user, Member, "change").filter(pk=union.pk).exists()


def move(member, to_union, *, acting_user, on, note: str):
    """The member joins another grassroots union; the history keeps both."""

    from_union = member.union
    member.union = to_union
    member.save(update_fields=["union", "updated_at"])
    MembershipChange.objects.create(
        member=member,
        kind=MembershipChange.Kind.TRANSFER,
        on=on,
        from_union=from_union,
        to_union=to_union,
        note=note[:200],
    )
    events.record(
        TRANSFERRED,
        actor=acting_user,
        obj=member,
        data={"from": from_union.code, "to": to_union.code, "note": note},
    )
    return member


def receiving_side(step: Step):
    """Only the receiving union accepts or refuses a request."""

    if scope.person(step.actor) is not None and not may_receive(step.actor, step.obj.to_union):
        raise PermissionDenied(_("Only the receiving union accepts or refuses a transfer."))


def sending_side(step: Step):
    """Only the sending union withdraws its request."""

    if scope.person(step.actor) is not None and not scope.can(
        step.actor, "change", step.obj.member
    ):
        raise PermissionDenied(_("Only the sending union withdraws its request."))


def accepted(step: Step) -> None:

    req = step.obj
    member = Member.objects.select_for_update().get(pk=req.member_id)
    if member.status != Member.Status.ACTIVE or member.union_id != req.from_union_id:
        raise ValidationError(
            _("The member is no longer an active member of %(u)s: refuse the request.")
            % {"u": req.from_union.name}
        )
    move(member, req.to_union, acting_user=step.actor, on=req.on, note=req.note)


# --- foundings ----------------------------------------------------------------------------------


def established(step: Step) -> None:
    """Approval founds the unit in the tree (and makes it the enterprise's union)."""

    f = step.obj
    for k, v in step.values.items():
        setattr(f, k, v)
    unit = org_actions.create_unit(
        acting_user=scope.SYSTEM,  # the founding's own step, checked on the founding
        parent=f.federation,
        code=f.unit_code,
        name=f.name,
        kind=f.kind,
        credit_code=f.credit_code or None,
        founded_on=f.approved_on,
        chair_name=f.chair_name,
        region=f.region,
    )
    step.values["unit"] = unit
    if f.enterprise_id and not f.enterprise.union_id:
        f.enterprise.union = unit
        f.enterprise.save(update_fields=["union"])
