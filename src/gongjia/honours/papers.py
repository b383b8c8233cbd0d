"""The honours' paperwork: the public notice of a selection's nominees, and the list of a
recuperation or health-check batch's places in their order."""

from django.utils.translation import gettext_lazy as _

from gongjia.honours import quota, selectors
from gongjia.honours.models import Batch, CareBatch, Nomination
from gongjia.platform.paperwork import paper


@paper(
    "honours.notice",
    Batch,
    label=_("Public notice of the nominees"),
    template="honours/papers/notice.html",
    ready=lambda b: None if b.notice_from else _("The notice is published after the clearance."),
)
def notice(b, user):
    names = quota.categories()
    industrial = quota.industrial_categories()
    rows = []
    for n in (
        b.nominations.filter(status__in=(Nomination.Status.NOMINATED, Nomination.Status.CONFERRED))
        .select_related("member", "unit")
        .order_by("pk")
    ):
        cats = quota.categories_of(n.member.category, n.member.sex, n.categories, industrial)
        rows.append((n, "、".join(names[k] for k in names if k in cats) or "—"))
    return {"batch": b, "rows": rows}


@paper(
    "honours.places",
    CareBatch,
    label=_("List of places"),
    template="honours/papers/places.html",
    ready=lambda b: (
        None if b.allocated_on else _("The list is made when the places are allocated.")
    ),
)
def places(b, user):
    placed = (
        b.applications.filter(status__in=selectors.PLACED)
        .select_related("member", "unit")
        .order_by("position", "pk")
    )
    return {"batch": b, "placed": placed}
