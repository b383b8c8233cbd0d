"""The event types of the special services' timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

SESSION_RECORDED = declare("counselling_session", _("Session counts recorded"))
CRISIS_FOLLOWED = declare("crisis_followed_up", _("Crisis followed up"))
HIRED = declare("placement_hired", _("Hired, with evidence"), public=True)
SCORED = declare("factory_scored", _("Scores entered"))
SPOT_CHECKED = declare("factory_spot_checked", _("Yearly spot check recorded"))
HELMET_ISSUED = declare("helmet_issued", _("Helmet issued"), public=True)
CHECKED_IN = declare("volunteer_checked_in", _("Checked in at the post"), public=True)
