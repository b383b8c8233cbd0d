"""The steps of a craftsman round (prepared → taking nominations → under review → public notice
→ titles conferred), of a nomination (checked against the scheme, withdrawn, removed after an
upheld objection) and of an award (prepared → paid by another person, reversed, paid again)."""

from django.utils.translation import gettext_lazy as _

from gongjia.craftsmen import steps
from gongjia.craftsmen.models import Award, Nomination, Round
from gongjia.platform.workflow import Transition, Workflow

R = Round.Status
N = Nomination.Status
A = Award.Status

round_workflow = Workflow(
    states=R,
    transitions=[
        Transition("open", (R.DRAFT,), R.OPEN, _("Open for nominations"), guard=steps.no_rubric),
        Transition(
            "review",
            (R.OPEN,),
            R.REVIEW,
            _("Close nominations and start the review"),
            guard=steps.not_ready_for_review,
        ),
        Transition(
            "publish",
            (R.REVIEW,),
            R.NOTICE,
            _("Rank, apply the quota and publish the notice"),
            permission="approve",
            guard=steps.quota_cut,
            check=steps.by_organiser,
            prepare=steps.notice_dates,
            after=steps.publish,
        ),
        Transition(
            "confer",
            (R.NOTICE,),
            R.APPROVED,
            _("Confer the titles"),
            permission="approve",
            guard=steps.notice_running,
            check=lambda step: steps.by_organiser(step) or steps.after_notice(step),
            prepare=steps.conferred_on,
            after=steps.confer,
        ),
        Transition(
            "cancel",
            (R.DRAFT, R.OPEN),
            R.CANCELLED,
            _("Cancel the round"),
            permission="approve",
            note_required=True,
            check=steps.by_organiser,
            style="danger",
        ),
    ],
)

nomination_workflow = Workflow(
    states=N,
    transitions=[
        Transition(
            "accept",
            (N.SUBMITTED,),
            N.ELIGIBLE,
            _("Eligible: admit to the review"),
            guard=steps.not_eligible,
            prepare=steps.checked,
        ),
        Transition(
            "refuse",
            (N.SUBMITTED,),
            N.INELIGIBLE,
            _("Not eligible"),
            note_required=True,
            guard=steps.round_closed,
            prepare=steps.checked,
            style="danger",
        ),
        Transition(
            "withdraw",
            (N.SUBMITTED, N.ELIGIBLE),
            N.WITHDRAWN,
            _("Withdraw the nomination"),
            note_required=True,
            guard=steps.round_closed,
            style="danger",
        ),
        Transition(
            "disqualify",
            (N.SELECTED,),
            N.DISQUALIFIED,
            _("Remove after the upheld objection"),
            permission="approve",
            note_required=True,
            guard=steps.no_upheld_objection,
            style="danger",
        ),
    ],
)

award_workflow = Workflow(
    states=A,
    transitions=[
        Transition(
            "approve",
            (A.PREPARED, A.REVERSED),
            A.PAID,
            _("Approve and pay"),
            permission="approve",
            guard=steps.title_revoked,
            check=steps.four_eyes,
            prepare=steps.decided,
            after=steps.pay,
        ),
        Transition(
            "refuse",
            (A.PREPARED,),
            A.REFUSED,
            _("Refuse"),
            permission="approve",
            note_required=True,
            prepare=steps.decided,
            style="danger",
        ),
        Transition(
            "reverse",
            (A.PAID,),
            A.REVERSED,
            _("Reverse the payment (returned by the bank, paid in error)"),
            permission="approve",
            note_required=True,
            after=steps.reverse,
            style="danger",
        ),
    ],
)
