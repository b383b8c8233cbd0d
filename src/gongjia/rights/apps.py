from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "gongjia.rights"
    label = "rights"
    verbose_name = _("Rights protection")

    def ready(self):

        from gongjia.platform import audit, scope
        from gongjia.rights import selectors  # noqa: F401  registers the indicators
        from gongjia.rights.models import (
            Agency,
            Ballot,
            CaseClaim,
            CaseWorker,
            Checklist,
            ChecklistItem,
            Clause,
            ClauseVersion,
            Demand,
            DisputeCase,
            DutyShift,
            Evaluation,
            InformationRequest,
            LegalTalk,
            LimitationEvent,
            Negotiation,
            Referral,
            Representative,
            Round,
            Score,
            Station,
            TeamMember,
            Vote,
        )

        scope.units(DisputeCase, "unit")
        for model in (CaseWorker, CaseClaim, LimitationEvent, Referral):
            scope.units(model, "case__unit")
        scope.units(Negotiation, "unit")
        for model in (Representative, Round, Demand, Clause, Ballot, InformationRequest):
            scope.units(model, "negotiation__unit")
        scope.units(ClauseVersion, "clause__negotiation__unit")
        scope.units(Vote, "ballot__negotiation__unit")
        scope.units(Checklist, "unit")
        scope.units(ChecklistItem, "checklist__unit")
        scope.units(Evaluation, "unit")
        scope.units(Score, "evaluation__unit")
        scope.units(Station, "host")
        scope.units(TeamMember, "unit")
        scope.units(DutyShift, "station__host")
        scope.units(Agency, "unit")
        scope.units(LegalTalk, "unit")
        for model in (Station, TeamMember, Agency, LegalTalk):
            audit.track(model)
        audit.track(DutyShift)
        audit.track(DisputeCase, exclude_fields=["alerted"])
        audit.track(CaseWorker, exclude_fields=["id_number_bidx"])
        audit.track(CaseClaim)
        audit.track(Negotiation, exclude_fields=["clock", "due_on", "warn_on"])
        audit.track(Representative, exclude_fields=["id_number_bidx"])
        audit.track(Round)
        audit.track(Evaluation)
        audit.track(Score)
