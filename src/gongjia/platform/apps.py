from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "gongjia.platform"
    label = "platform"
    verbose_name = _("System")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from gongjia.platform import audit, jobs  # noqa: F401  jobs: its to-do

        audit.connect_signals()
        autodiscover_modules("events")  # every app's event types, for the timelines' labels
        autodiscover_modules("papers")  # every app's printable documents, for its records' pages
