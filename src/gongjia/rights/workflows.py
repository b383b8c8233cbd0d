"""The labour-dispute case state machine (rights.md §4): each step with the clock it starts,
its closure code, its checks of the step's day and its consequences (`steps`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.platform.workflow import Transition, Workflow
from gongjia.rights import steps
from gongjia.rights.clocks import MONEY_KINDS
from gongjia.rights.models import DisputeCase, Evaluation, Negotiation
from gongjia.rights.negotiation_rules import congress_passes, seat_problems

S = DisputeCase.Status
TERMINAL = (S.REJECTED, S.SETTLED, S.PERFORMED, S.ARB_MEDIATED, S.WITHDRAWN, S.CLOSED)
OPEN = tuple(s for s in S.values if s not in TERMINAL)


def _no_money_claim(case):
    if not case.pk or not case.claims.filter(kind__in=MONEY_KINDS).exists():
        return _(
            "A payment order is for wages, work-injury medical costs, compensation or damages."
        )
    return None


def _already_extended(case):
    if case.clock == "award_extension":
        return _("The award period can be extended only once.")
    return None


# Checks that depend on the day of the step (the limitation, the 15 days to sue) are made against
# that day, which may be earlier than today for a late entry.
case_workflow = Workflow(
    states=S,
    prepare_each=steps.case_values,
    after_each=steps.running_clock,
    transitions=[
        Transition(
            "reject",
            (S.RECEIVED,),
            S.REJECTED,
            _("Screen out (with referral)"),
            note_required=True,
            style="danger",
            prepare=steps.closure_of,
        ),
        Transition(
            "negotiate",
            (S.RECEIVED,),
            S.NEGOTIATING,
            _("Start negotiation"),
            clock="negotiation_answer",
        ),
        Transition(
            "settle",
            (S.NEGOTIATING,),
            S.SETTLED,
            _("Settled by negotiation"),
            prepare=steps.closure_of,
        ),
        Transition(
            "mediate",
            (S.RECEIVED, S.NEGOTIATING),
            S.MEDIATING,
            _("Start mediation"),
            clock="mediation",
            after=steps.interrupts,
        ),
        Transition(
            "agree",
            (S.MEDIATING, S.COURT_ENTRUSTED),
            S.AGREED,
            _("Agreement signed and sealed"),
            required=("agreement_effective_on",),
            clock="judicial_confirmation",
            clock_from="agreement_effective_on",
            after=steps.agreed,
        ),
        Transition(
            "fail_mediation",
            (S.MEDIATING,),
            S.MEDIATION_FAILED,
            _("Mediation failed"),
            note_required=True,
            style="danger",  # a setback, not what the worker waits for
        ),
        Transition(
            "apply_confirmation",
            (S.AGREED,),
            S.CONFIRMING,
            _("Apply for arbitral review or judicial confirmation"),
            note_required=True,
            check=steps.confirmation_window,
            prepare=steps.confirmation_noted,
            inputs=("confirmation",),
        ),
        Transition(
            "perform",
            (S.AGREED, S.CONFIRMING),
            S.PERFORMED,
            _("Agreement performed"),
            prepare=steps.performed,
        ),
        Transition(
            "payment_order",
            (S.AGREED, S.CONFIRMING),
            S.PAYMENT_ORDER,
            _("Not performed: apply for a payment order"),
            guard=_no_money_claim,
        ),
        Transition(
            "refer_arbitration",
            (
                S.RECEIVED,
                S.NEGOTIATING,
                S.MEDIATION_FAILED,
                S.AGREED,
                S.CONFIRMING,
                S.PAYMENT_ORDER,
            ),
            S.REFERRED_ARBITRATION,
            _("Refer to arbitration"),
            check=steps.within_limitation,
            clock="arbitration_acceptance",
            after=steps.interrupts,
        ),
        Transition(
            "accept_arbitration",
            (S.REFERRED_ARBITRATION,),
            S.ARB_ACCEPTED,
            _("Accepted by the arbitration committee"),
            clock="award",
        ),
        Transition(
            "arbitration_refused",
            (S.REFERRED_ARBITRATION,),
            S.LITIGATION,
            _("Not accepted: go to court"),
            note_required=True,
        ),
        Transition(
            "extend_award",
            (S.ARB_ACCEPTED,),
            S.ARB_ACCEPTED,
            _("Award period extended"),
            note_required=True,
            guard=_already_extended,
            clock="award_extension",
            clock_from="due_on",
        ),
        Transition(
            "arbitration_mediated",
            (S.ARB_ACCEPTED,),
            S.ARB_MEDIATED,
            _("Mediated in arbitration"),
            prepare=steps.closure_of,
        ),
        Transition(
            "award",
            (S.ARB_ACCEPTED,),
            S.ARB_AWARD,
            _("Award received"),
            required=("award_received_on",),
            prepare=steps.final_award,
            clock="sue_after_award",
            clock_from="award_received_on",
        ),
        Transition(
            "award_in_effect",
            (S.ARB_AWARD,),
            S.FINAL,
            _("Award in effect"),
            check=steps.award_may_take_effect,
        ),
        Transition("sue", (S.ARB_AWARD,), S.LITIGATION, _("Suit filed in court")),
        Transition(
            "entrust",
            (S.LITIGATION,),
            S.COURT_ENTRUSTED,
            _("Court entrusts mediation"),
            clock="referral",
            inputs=("agency",),
            after=steps.entrusted,
        ),
        Transition(
            "return_to_court",
            (S.COURT_ENTRUSTED,),
            S.LITIGATION,
            _("Mediation failed: back to court with a feedback letter"),
            note_required=True,
            style="danger",
            after=steps.entrustment_failed,
        ),
        Transition(
            "withdraw",
            OPEN,
            S.WITHDRAWN,
            _("Withdrawn by the worker"),
            note_required=True,
            style="danger",
            prepare=steps.withdrawal,
            inputs=("after_settlement",),
        ),
        Transition(
            "close",
            OPEN,
            S.CLOSED,
            _("Close with a closure code"),
            required=("closure",),
            check=steps.own_code,
        ),
    ],
)


# --- collective negotiation (rights.md §6) ------------------------------------------------------

N = Negotiation.Status
N_TERMINAL = (N.ABANDONED, N.RENEWED, N.EXPIRED)
N_TALKING = (N.IN_NEGOTIATION, N.SUSPENDED, N.DISPUTE_COORDINATION)


def _seats_invalid(negotiation):
    problems = seat_problems(
        list(negotiation.representatives.filter(vacated_on__isnull=True)), timezone.localdate()
    )
    return " ".join(problems) if problems else None


def _congress_says_no(n):
    if congress_passes(n.congress_total or 0, n.congress_present or 0, n.congress_yes or 0):
        return None
    return _(
        "The congress did not approve: at least two thirds of all %(t)s representatives must be "
        "present and more than half of all must vote yes (present %(p)s, yes %(y)s)."
    ) % {"t": n.congress_total, "p": n.congress_present, "y": n.congress_yes}


def _congress_says_yes(n):
    if congress_passes(n.congress_total or 0, n.congress_present or 0, n.congress_yes or 0):
        return _("These figures approve the draft: record the approval instead.")
    return None


negotiation_workflow = Workflow(
    states=N,
    after_each=steps.running_clock,
    transitions=[
        Transition(
            "send_offer",
            (N.DRAFT_OFFER,),
            N.OFFER_SENT,
            _("Offer delivered"),
            required=("offer_text", "offer_delivered_on"),
            clock="offer_reply",
            clock_from="offer_delivered_on",
        ),
        Transition("accept_offer", (N.OFFER_SENT,), N.REPLIED_ACCEPT, _("Offer accepted")),
        Transition(
            "refuse_offer",
            (N.OFFER_SENT,),
            N.REPLIED_REFUSE,
            _("Offer refused (reason required)"),
            note_required=True,
        ),
        Transition(
            "no_reply",
            (N.OFFER_SENT,),
            N.NO_REPLY,
            _("No reply in time: escalate"),
            check=steps.reply_time_over,
        ),
        Transition(
            "appoint",
            (N.REPLIED_ACCEPT,),
            N.REPS_APPOINTED,
            _("Representatives appointed"),
            guard=_seats_invalid,
        ),
        Transition("prepare", (N.REPS_APPOINTED,), N.PREPARING, _("Start preparation")),
        Transition(
            "open_talks",
            (N.PREPARING,),
            N.IN_NEGOTIATION,
            _("Open the talks"),
            guard=_seats_invalid,
        ),
        Transition(
            "suspend",
            (N.IN_NEGOTIATION,),
            N.SUSPENDED,
            _("Suspend (fix the pause and the next meeting)"),
            note_required=True,
        ),
        Transition("resume", (N.SUSPENDED,), N.IN_NEGOTIATION, _("Resume")),
        Transition(
            "coordinate",
            (N.IN_NEGOTIATION, N.SUSPENDED, N.NO_REPLY, N.REPLIED_REFUSE),
            N.DISPUTE_COORDINATION,
            _("Apply for tripartite coordination"),
            note_required=True,
            clock="coordination",
        ),
        Transition(
            "extend_coordination",
            (N.DISPUTE_COORDINATION,),
            N.DISPUTE_COORDINATION,
            _("Coordination extended"),
            note_required=True,
            clock="coordination_extension",
            clock_from="due_on",
        ),
        Transition(
            "coordinated",
            (N.DISPUTE_COORDINATION,),
            N.IN_NEGOTIATION,
            _("Coordination agreement reached: back to the table"),
        ),
        Transition(
            "abandon",
            (*N_TALKING, N.NO_REPLY, N.REPLIED_REFUSE),
            N.ABANDONED,
            _("Abandon"),
            note_required=True,
            style="danger",
        ),
        Transition(
            "sign_draft",
            (N.IN_NEGOTIATION,),
            N.DRAFT_AGREED,
            _("Draft signed by both chiefs"),
            guard=_seats_invalid,
        ),
        Transition("to_congress", (N.DRAFT_AGREED,), N.CONGRESS_VOTE, _("Put to the congress")),
        Transition(
            "congress_approved",
            (N.CONGRESS_VOTE,),
            N.SIGNED,
            _("Approved by the congress and signed"),
            required=("congress_total", "congress_present", "congress_yes", "signed_on"),
            guard=_congress_says_no,
            clock="filing_{kind}",
            clock_from="signed_on",
        ),
        Transition(
            "congress_rejected",
            (N.CONGRESS_VOTE,),
            N.IN_NEGOTIATION,
            _("Rejected by the congress: back to negotiation"),
            required=("congress_total", "congress_present", "congress_yes"),
            guard=_congress_says_yes,
        ),
        Transition(
            "submit",
            (N.SIGNED,),
            N.SUBMITTED,
            _("Submitted for filing"),
            required=("submitted_on",),
        ),
        Transition(
            "under_review",
            (N.SUBMITTED,),
            N.UNDER_REVIEW,
            _("Received by the labour department"),
            required=("received_by_labour_dept_on",),
            clock="review",
            clock_from="received_by_labour_dept_on",
        ),
        Transition(
            "objection",
            (N.UNDER_REVIEW,),
            N.IN_NEGOTIATION,
            _("Objection: renegotiate the points raised"),
            note_required=True,
        ),
        Transition(
            "take_effect",
            (N.UNDER_REVIEW,),
            N.EFFECTIVE,
            _("In effect (no objection)"),
            required=("term_months",),
            check=steps.may_take_effect,
            prepare=steps.effective,
            clock="publication_{kind}",
            clock_from="effective_on",
            after=steps.expiry,
        ),
        Transition(
            "publish",
            (N.EFFECTIVE,),
            N.PUBLISHED,
            _("Published to all workers"),
            required=("published_on",),
        ),
        Transition(
            "in_force", (N.PUBLISHED,), N.IN_FORCE, _("In force"), after=steps.renewal_clock
        ),
        Transition(
            "renewal_due",
            (N.IN_FORCE,),
            N.RENEWAL_WINDOW,
            _("Renewal window opened"),
            after=steps.renewal_clock,
        ),
        Transition("renew", (N.RENEWAL_WINDOW,), N.RENEWED, _("Renewed")),
        Transition("expire", (N.IN_FORCE, N.RENEWAL_WINDOW), N.EXPIRED, _("Expired")),
    ],
)


# --- harmonious labour relations ----------------------------------------------------------------

H = Evaluation.Status
evaluation_workflow = Workflow(
    states=H,
    transitions=[
        Transition(
            "submit",
            (H.SCORING,),
            H.SUBMITTED,
            _("Submit the scores"),
            check=steps.scores_complete,
        ),
        Transition(
            "return", (H.SUBMITTED,), H.SCORING, _("Return for rescoring"), note_required=True
        ),
        # The grade is computed from the scores; the step the total contradicts is refused.
        Transition(
            "certify",
            (H.SUBMITTED,),
            H.CERTIFIED,
            _("Grade and certify"),
            permission="approve",
            check=steps.gradable,
            prepare=steps.graded,
        ),
        Transition(
            "decline",
            (H.SUBMITTED,),
            H.NOT_CERTIFIED,
            _("Not certified"),
            permission="approve",
            check=steps.gradable,
            prepare=steps.graded,
        ),
        Transition(
            "revoke",
            (H.CERTIFIED,),
            H.REVOKED,
            _("Revoke after a serious violation"),
            note_required=True,
            permission="approve",
            style="danger",
            prepare=steps.revoked,
        ),
    ],
)
