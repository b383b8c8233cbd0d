"""Rights protection's paperwork: the mediation agreement (调解协议书), signed by both parties
and the mediator and sealed by the mediating body (LDMAL art. 14)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.platform import formatting, parameters
from gongjia.platform.paperwork import paper
from gongjia.rights.models import DisputeCase

S = DisputeCase.Status
# Printed to be signed while mediating, and again once signed (for the file, a review or a
# court's confirmation).
_PRINTABLE = {S.MEDIATING, S.COURT_ENTRUSTED, S.ARB_MEDIATED}


def _ready(case):
    if case.status in _PRINTABLE or case.agreement_effective_on:
        return None
    return _(
        "A mediation agreement is printed during mediation or once it is signed: this case is "
        "“%(status)s”."
    ) % {"status": case.get_status_display()}


@paper(
    "rights.mediation_agreement",
    DisputeCase,
    label=_("Mediation agreement"),
    template="rights/papers/mediation_agreement.html",
    signed=True,
    ready=_ready,
    personal=True,  # the parties' ID numbers, as on a signed agreement
)
def mediation_agreement(case, user):
    on = case.agreement_effective_on or timezone.localdate()
    days = {
        kind: parameters.value(f"rights.clock.{kind}", on=on)["length"]
        for kind in ("arbitral_review", "judicial_confirmation")
    }
    return {
        "case": case,
        "workers": list(case.workers.all()),
        "claims": [
            (c.get_kind_display(), formatting.money(c.amount) if c.amount is not None else "", c)
            for c in case.claims.all()
        ],
        "mediator": case.handler,
        "review_days": days["arbitral_review"],
        "confirmation_days": days["judicial_confirmation"],
    }
