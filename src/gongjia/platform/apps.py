from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "gongjia.platform"
    label = "platform"
    verbose_name = _("System")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from gongjia.platform import audit, figure_cache, jobs  # noqa: F401  jobs: its to-do

        audit.connect_signals()
        # Every write through any connection ages the figures computed over its table.
        connection_created.connect(figure_cache.watch, dispatch_uid="gongjia.figure_cache")
        autodiscover_modules("events")  # every app's event types, for the timelines' labels
        autodiscover_modules("papers")  # every app's printable documents, for its records' pages
