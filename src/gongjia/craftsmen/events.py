"""The event types of craftsman timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

NOMINATED = declare("craftsman_nominated", _("Nominated for the craftsman title"), public=True)
SCORED = declare("craftsman_scored", _("Review scores entered"))
PANEL_CHANGED = declare("craftsman_panel", _("Review panel changed"))
OBJECTION = declare("craftsman_objection", _("Objection received"))
OBJECTION_DECIDED = declare("craftsman_objection_decided", _("Objection decided"))
TITLE_REVOKED = declare("craftsman_title_revoked", _("Title revoked"), public=True)
BENEFIT_USED = declare("craftsman_benefit_used", _("Title benefit used"))
AWARD_PREPARED = declare("craftsman_award_prepared", _("Award prepared"))
BATCH_MADE = declare("craftsman_batch", _("Award payments sent to the bank"))
