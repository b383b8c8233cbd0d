"""The event types of hardship assistance's timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

HOUSEHOLD_OPENED = declare("open_household", _("Application filed"), status=True, public=True)
CATEGORY_OVERRIDDEN = declare("override_category", _("Category set by an officer"))
HELP_RECORDED = declare("record_assistance", _("Help recorded"))
PAIRED = declare("pair", _("One-to-one helper paired"))
RELIEF_APPLIED = declare("apply_relief", _("Relief applied for"), status=True)
RELIEF_REVERSED = declare("reverse_relief", _("Relief payment reversed"))
BATCH_MADE = declare("make_payment_batch", _("Payment batch made"))
