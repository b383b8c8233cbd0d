"""The craftsman title's paperwork: the recommendation dossier of a holder for the city and
provincial selections (杭州工匠, 浙江工匠, model workers), and the public notice list of a round's
proposed holders."""

from django.utils.translation import gettext_lazy as _

from gongjia.craftsmen import eligibility
from gongjia.craftsmen.models import Nomination, Round, Title
from gongjia.platform import formatting
from gongjia.platform.paperwork import paper
from gongjia.skills import selectors as skills

HIGHER = [
    skills.CompetitionLevel.DISTRICT,
    skills.CompetitionLevel.CITY,
    skills.CompetitionLevel.PROVINCIAL,
    skills.CompetitionLevel.NATIONAL,
    skills.CompetitionLevel.WORLDSKILLS,
]


@paper(
    "craftsmen.dossier",
    Title,
    label=_("Recommendation dossier"),
    template="craftsmen/papers/dossier.html",
    signed=True,
    ready=lambda t: None if t.in_force else _("The title has been revoked."),
)
def dossier(title, user):
    n = title.nomination
    results = skills.placings_of(title.member_id, HIGHER, 3, title.held_from)
    return {
        "title": title,
        "nomination": n,
        "member": title.member,
        "findings": eligibility.explained(n.round, n.eligibility),
        "results": [eligibility.result_words(eligibility.as_result(r)) for r in results],
        "total": formatting.number(n.total, 2) if n.total is not None else "—",
    }


@paper(
    "craftsmen.notice",
    Round,
    label=_("Public notice of the proposed holders"),
    template="craftsmen/papers/notice.html",
    ready=lambda r: (
        None
        if r.notice_from
        else _("The notice is published with the ranking, at the end of the review.")
    ),
)
def notice(r, user):
    proposed = (
        r.nominations.filter(outcome__in=[Nomination.Outcome.TITLE, Nomination.Outcome.NOMINATION])
        .select_related("member", "unit")
        .order_by("rank", "pk")
    )
    return {"round": r, "proposed": proposed}
