from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CraftsmenConfig(AppConfig):
    name = "gongjia.craftsmen"
    label = "craftsmen"
    verbose_name = _("Craftsman titles")

    def ready(self):
        from gongjia.craftsmen import models as m
        from gongjia.craftsmen import (
            selectors,  # noqa: F401  registers the indicators and the plan criterion
        )
        from gongjia.platform import audit, scope

        scope.units(m.Round, "organiser")
        scope.units(m.PanelMember, "round__organiser")
        # A nomination is the round's organiser's and the nominating unit's.
        scope.units(m.Nomination, "round__organiser", "unit")
        scope.units(m.ReviewScore, "nomination__round__organiser")
        scope.units(m.Objection, "nomination__round__organiser")
        scope.units(m.Title, "round__organiser", "unit")
        scope.units(m.Entitlement, "title__round__organiser", "title__unit")
        # The award and its ledger are the paying federation's alone.
        scope.units(m.Award, "title__round__organiser")
        scope.units(m.AwardPayment, "award__title__round__organiser")
        scope.units(m.AwardBatch, "unit")
        for model in (
            m.Round,
            m.PanelMember,
            m.Nomination,
            m.ReviewScore,
            m.Objection,
            m.Title,
            m.Entitlement,
            m.Award,
            m.AwardPayment,
            m.AwardBatch,
        ):
            audit.track(model)
