from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "gongjia.rights"
    label = "rights"
    verbose_name = _("Rights protection")

    def ready(self):
        from auditlog.registry import auditlog

        from gongjia.platform import scope
        from gongjia.rights import selectors  # noqa: F401  registers the indicators
        from gongjia.rights.models import Agency, DutyShift, LegalTalk, Station, TeamMember

        scope.units(Station, "host")
        scope.units(TeamMember, "unit")
        scope.units(DutyShift, "station__host")
        scope.units(Agency, "unit")
        scope.units(LegalTalk, "unit")
        for model in (Station, TeamMember, Agency, LegalTalk):
            auditlog.register(model)
        auditlog.register(DutyShift)
