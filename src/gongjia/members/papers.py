"""The member register's paperwork: the membership application form (入会申请表), signed by the
applicant and the base union, and the member card."""

import segno
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gongjia.members.models import Member
from gongjia.platform.paperwork import paper, rows


@paper(
    "members.application",
    Member,
    label=_("Membership application form"),
    template="members/papers/application.html",
    signed=True,
    personal=True,  # the ID number in full, as the form is signed
)
def application(member, user):
    return {
        "member": member,
        "person": rows(member, "name", "sex", "birth_date", "id_number", "mobile"),
        "work": rows(
            member, "employer", "category", "skill_level", "education", "political_status"
        ),
        "applied_on": timezone.localtime(member.created_at).date() if member.created_at else None,
    }


def _card_ready(member):
    if member.status != Member.Status.ACTIVE:
        return _("Only a member has a card: this record is “%(status)s”.") % {
            "status": member.get_status_display()
        }
    return None


@paper(
    "members.card",
    Member,
    label=_("Member card"),
    template="members/papers/card.html",
    ready=_card_ready,
)
def card(member, user):
    return {"member": member, "qr": qr(member, scale=4)}


def qr(member, scale: int = 5):
    """The card's QR code as inline SVG: it carries the member number only, so no personal
    data leaves on it."""
    return mark_safe(segno.make(member.member_number, error="m").svg_inline(scale=scale))  # noqa: S308
