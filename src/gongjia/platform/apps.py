from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "gongjia.platform"
    label = "platform"
    verbose_name = _("System")

    def ready(self):
        from gongjia.platform import audit

        audit.connect_signals()
