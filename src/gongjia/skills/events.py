"""The event types of skills timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

ENTRY_REGISTERED = declare("entry_registered", _("Entered in the event"), public=True)
JUDGE_SEATED = declare("judge_seated", _("Judge seated on the panel"))
MARKS_SIGNED = declare("marks_signed", _("Marks signed by a judge"))
UNLOCK_REQUESTED = declare("unlock_requested", _("Unlocking of a mark requested"))
RECHECK_DRAWN = declare("recheck_drawn", _("Results drawn for the recheck"))
RECHECK_RECORDED = declare("recheck_recorded", _("Recheck recorded"))
TIE_DECIDED = declare("tie_decided", _("Tie decided by the jury"))
RESULTS_COMPUTED = declare("results_computed", _("Results computed from the marks"))
COMPETITION_REPORTED = declare("competition_reported", _("Guided competition reported"))
EVENT_REPORTED = declare("event_reported", _("Event reported with its participants"))
