from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "gongjia.honours"
    label = "honours"
    verbose_name = _("Honours")

    def ready(self):
        from gongjia.honours import models as m
        from gongjia.honours import selectors  # noqa: F401  registers the indicators
        from gongjia.platform import audit, scope

        scope.units(m.Programme, "organiser")
        scope.units(m.Batch, "organiser")
        # A nomination is the organiser's and the recommending unit's.
        scope.units(m.Nomination, "batch__organiser", "unit")
        scope.units(m.Clearance, "nomination__batch__organiser")
        scope.units(m.Objection, "nomination__batch__organiser")
        scope.units(m.Honour, "unit")
        scope.units(m.MassOrgPost, "unit")
        scope.units(m.SafetyIncident, "unit")
        scope.units(m.PioneerUnit, "unit")
        scope.units(m.Studio, "unit")
        scope.units(m.StudioMember, "studio__unit")
        scope.units(m.StudioGrant, "studio__unit")
        scope.units(m.NamedMethod, "unit")
        scope.units(m.PartyDevelopment, "unit")
        scope.units(m.CareBatch, "organiser")
        # An application is the organiser's and the applicant's union's.
        scope.units(m.CareApplication, "batch__organiser", "unit")
        for model in (
            m.Programme,
            m.Batch,
            m.Nomination,
            m.Clearance,
            m.Objection,
            m.Honour,
            m.MassOrgPost,
            m.SafetyIncident,
            m.PioneerUnit,
            m.Studio,
            m.StudioMember,
            m.StudioGrant,
            m.NamedMethod,
            m.PartyDevelopment,
            m.CareBatch,
            m.CareApplication,
        ):
            audit.track(model)
