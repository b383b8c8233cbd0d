"""What a member's steps do besides moving the status: the dates they write and the history of
membership they add (declared on the transitions of `workflows.py`)."""

from gongjia.members.models import MembershipChange
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
