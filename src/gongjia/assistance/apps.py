from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "gongjia.assistance"
    label = "assistance"
    verbose_name = _("Hardship assistance")

    def ready(self):

        from gongjia.assistance import selectors  # noqa: F401  registers the indicators
        from gongjia.assistance.models import (
            ArchivePeriod,
            AssistanceRecord,
            CategoryDecision,
            CheckUp,
            EmployerSignal,
            Household,
            HouseholdMember,
            Pairing,
            PaymentBatch,
            ReliefApplication,
            ReliefFund,
            ReliefPayment,
            RiskGrade,
            Visit,
            YearFinance,
        )
        from gongjia.platform import audit, scope

        scope.units(Household, "unit")
        for model in (HouseholdMember, YearFinance, CategoryDecision, ArchivePeriod):
            scope.units(model, "household__unit")
        scope.units(RiskGrade, "member__household__unit")
        scope.units(ReliefApplication, "household__unit")
        for model in (AssistanceRecord, CheckUp, Pairing):
            scope.units(model, "household__unit")
        scope.units(Visit, "pairing__household__unit")
        scope.units(ReliefPayment, "household__unit")
        scope.units(PaymentBatch, "unit")
        scope.unscoped(ReliefFund)  # the district's budget: the permission alone decides
        scope.units(EmployerSignal, "enterprise__federation", "enterprise__union")
        audit.track(Household)
        audit.track(
            HouseholdMember,
            exclude_fields=["id_number_bidx"],
        )
        audit.track(YearFinance)
        audit.track(ReliefApplication)
        audit.track(AssistanceRecord)
        audit.track(Pairing, exclude_fields=["alerted_for"])
        audit.track(Visit)
