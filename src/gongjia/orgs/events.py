"""The event types of the organisation tree's timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

MOVED = declare("move", _("Moved under another unit"))
