"""What other programmes change in the member register, and only this: each change through an
action of the register, with its event in the member's timeline and its field change audited."""

from django.db import transaction

from gongjia.members.events import SKILL_RAISED
from gongjia.members.models import Member
from gongjia.platform import events


@transaction.atomic
def raise_skill_level(member_id: int, level: int, *, acting_user, source: str, data=None) -> int:
    """Raise a member's skill level to `level` because of `source` (a competition result):
    never lowered by it. Gives the level the member had."""
    member = Member.objects.select_for_update().get(pk=member_id)
    before = member.skill_level
    if level > before:
        member.skill_level = level
        member.save(update_fields=["skill_level"])
        events.record(
            SKILL_RAISED,
            actor=acting_user,
            obj=member,
            data={"from": before, "to": level, "source": source, **(data or {})},
        )
    return before
