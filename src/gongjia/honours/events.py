"""The event types of honours timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

NOMINATED = declare("honour_nominated", _("Nominated for an honour"), public=True)
CLEARED = declare("honour_cleared", _("Department response recorded"))
OBJECTION = declare("honour_objection", _("Objection received"))
OBJECTION_DECIDED = declare("honour_objection_decided", _("Objection decided"))
HONOUR_RECORDED = declare("honour_recorded", _("Honour entered in the register"), public=True)
HONOUR_REVOKED = declare("honour_revoked", _("Honour revoked"), public=True)
STUDIO_CHANGED = declare("studio_changed", _("Studio team, results or grants changed"))
STUDIO_RECONFIRMED = declare("studio_reconfirmed", _("Studio re-confirmed"))
CARE_APPLIED = declare("care_applied", _("Applied for a place"), public=True)
CARE_PLACED = declare("care_placed", _("Place decided"), public=True)
CARE_ATTENDANCE = declare("care_attendance", _("Attendance recorded"))
