"""The event types of the member register's timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

APPLIED = declare("apply", _("Applied to join"), status=True, public=True)
TRANSFER_REQUESTED = declare("transfer_requested", _("Transfer requested"))
TRANSFERRED = declare("transfer", _("Transferred to another union"), public=True)
ACCOUNT_LINKED = declare("account_linked", _("Portal account linked"), public=True)
SKILL_RAISED = declare("skill_raised", _("Skill level raised by a competition result"), public=True)
