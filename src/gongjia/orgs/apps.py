from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongjia.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):

        from gongjia.orgs.models import Enterprise, OrgUnit, Region
        from gongjia.platform import audit, scope

        scope.unscoped(Region)
        scope.units(OrgUnit, "")
        scope.units(Enterprise, "federation", "union")
        from gongjia.orgs import selectors  # noqa: F401  registers the indicators

        for model in (Region, OrgUnit, Enterprise):
            audit.track(model, exclude_fields=["path", "depth", "numchild"])
