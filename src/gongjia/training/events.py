"""The event types of training timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

ENROLLED = declare("training_enrolled", _("Enrolled in a class"), public=True)
WITHDRAWN = declare("training_withdrawn", _("Enrolment withdrawn"), public=True)
CHECKED_IN = declare("training_checked_in", _("Checked in to a session"))
ASSESSED = declare("training_assessed", _("Assessment recorded"), public=True)
COMPLETED = declare("training_completed", _("Class completed, certificate issued"), public=True)
CERTIFICATE_REVOKED = declare("certificate_revoked", _("Certificate revoked"), public=True)
BASE_CHECKLIST = declare("base_checklist", _("Evaluation checklist recorded"))
BASE_REVIEWED = declare("base_reviewed", _("Yearly review recorded"))
