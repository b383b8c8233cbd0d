"""A skill competition's paperwork, once the jury has published the results: each entry's
certificate (the rank and award, for the entrants to keep) and the event's results list, posted
at the venue and filed with the competition."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform import formatting
from gongjia.platform.paperwork import paper
from gongjia.skills import results
from gongjia.skills.models import Entry, Event
from gongjia.skills.results import award_labels


def _published(competition):
    if competition.results_open:
        return None
    return _("Printed once the jury has published the results: the competition is “%(s)s”.") % {
        "s": competition.get_status_display()
    }


def _certificate_ready(entry):
    if why := _published(entry.event.competition):
        return why
    if entry.status != Entry.Status.REGISTERED or entry.rank is None:
        return _("Only a ranked entry has a certificate.")
    return None


def _total(entry) -> str:
    return formatting.number(float(entry.total), 2) if entry.total is not None else ""


@paper(
    "skills.certificate",
    Entry,
    label=_("Certificate"),
    template="skills/papers/certificate.html",
    signed=True,
    ready=_certificate_ready,
)
def certificate(entry, user):
    event = entry.event
    return {
        "entry": entry,
        "event": event,
        "competition": event.competition,
        "names": "、".join(e.member.name for e in entry.entrants.select_related("member")),
        "award": dict(award_labels()).get(entry.award, ""),
        "total": _total(entry),
    }


@paper(
    "skills.results_list",
    Event,
    label=_("Results list"),
    template="skills/papers/results_list.html",
    ready=lambda event: _published(event.competition),
)
def results_list(event, user):
    rows = results.table(event.entries.order_by("rank", "number"))
    return {"event": event, "competition": event.competition, "rows": rows}
