"""The event types of rights protection's timelines (see gongjia.platform.events)."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.events import declare

CASE_OPENED = declare("open_case", _("Case opened"), status=True, public=True)
LIMITATION_EVENT = declare("limitation_event", _("Limitation period interrupted or suspended"))
REFERRED = declare("refer", _("Referred to an agency"), public=True)
REFERRAL_FEEDBACK = declare("referral_feedback", _("Feedback from the agency"))
NEGOTIATION_OPENED = declare("open_negotiation", _("Negotiation opened"), status=True)
REPRESENTATIVE_APPOINTED = declare("appoint_representative", _("Representative appointed"))
CLAUSE_PROPOSED = declare("propose_clause", _("Clause proposed"))
BALLOT_OPENED = declare("open_ballot", _("Ballot opened"))
VOTE_CAST = declare("vote", _("Vote cast"))
BALLOT_CLOSED = declare("close_ballot", _("Ballot closed"))
INFORMATION_REQUESTED = declare("request_information", _("Information requested"))
ROUND_RECORDED = declare("record_round", _("Round of talks recorded"))
EVALUATION_OPENED = declare("open_evaluation", _("Evaluation opened"), status=True)
