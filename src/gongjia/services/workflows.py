"""The steps of the special services: a counselling room and a booking, a job posting and a
placement, a helmet stock period, a beautiful factory and a beautiful worker, a rest station."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.workflow import Transition, Workflow
from gongjia.services import steps
from gongjia.services.models import (
    BeautifulWorker,
    Booking,
    CounsellingRoom,
    FactoryAssessment,
    HelmetPeriod,
    Placement,
    Posting,
    RestStation,
)

R = CounsellingRoom.Status
room_workflow = Workflow(
    states=R,
    transitions=[
        Transition(
            "close",
            (R.OPEN,),
            R.CLOSED,
            _("Close the room"),
            note_required=True,
            prepare=steps.closed_on,
            style="danger",
        )
    ],
)

BK = Booking.Status
booking_workflow = Workflow(
    states=BK,
    transitions=[
        # Held: taken by `record_session`, which writes the counts with the step.
        Transition("hold", (BK.BOOKED,), BK.HELD, _("Session held"), permission="counsel"),
        Transition("cancel", (BK.BOOKED,), BK.CANCELLED, _("Cancel"), permission="counsel"),
        Transition("miss", (BK.BOOKED,), BK.MISSED, _("Not attended"), permission="counsel"),
    ],
)

J = Posting.Status
posting_workflow = Workflow(
    states=J,
    transitions=[
        Transition("fill", (J.OPEN,), J.FILLED, _("All posts filled")),
        Transition(
            "withdraw", (J.OPEN,), J.WITHDRAWN, _("Withdraw"), note_required=True, style="danger"
        ),
    ],
)

P = Placement.Status
placement_workflow = Workflow(
    states=P,
    transitions=[
        # The hire is written beside the placement: the count of placements reads the hires.
        Transition(
            "hire",
            (P.REFERRED,),
            P.HIRED,
            _("Hired, with evidence"),
            required=("hired_on", "evidence", "evidence_reference"),
            prepare=steps.hired,
            after=steps.hire_recorded,
        ),
        Transition(
            "stable_3",
            (P.HIRED,),
            P.STABLE_3,
            _("Still at work after 3 months"),
            check=steps.three_months_over,
            prepare=steps.stable_3,
        ),
        Transition(
            "stable_6",
            (P.STABLE_3,),
            P.STABLE_6,
            _("Still at work after 6 months"),
            check=steps.six_months_over,
            prepare=steps.stable_6,
        ),
        Transition(
            "close", (P.STABLE_6,), P.CLOSED, _("Close the follow-up"), prepare=steps.closed
        ),
        Transition(
            "lose",
            (P.HIRED, P.STABLE_3),
            P.REFERRED,
            _("Job lost: refer again"),
            note_required=True,
            prepare=steps.lost,
            style="danger",
        ),
        Transition(
            "drop",
            (P.REFERRED,),
            P.DROPPED,
            _("Not taken up"),
            note_required=True,
            style="danger",
        ),
    ],
)

H = HelmetPeriod.Status
period_workflow = Workflow(
    states=H,
    transitions=[
        # opening + received − issued − written off = closing (services.md §3).
        Transition(
            "close",
            (H.OPEN,),
            H.CLOSED,
            _("Reconcile and close the period"),
            required=("counted",),
            guard=steps.not_reconciled,
            prepare=steps.period_closed,
            after=steps.next_period_opens,
        )
    ],
)

F = FactoryAssessment.Status
factory_workflow = Workflow(
    states=F,
    transitions=[
        Transition(
            "check",
            (F.APPLIED,),
            F.CHECKED,
            _("Town check done"),
            guard=steps.photos_missing,
            check=steps.town_scored,
        ),
        Transition(
            "spot_check",
            (F.CHECKED,),
            F.SPOT_CHECKED,
            _("District spot check done"),
            permission="approve",
            check=steps.district_scored,
            prepare=steps.graded,
        ),
        Transition(
            "publish",
            (F.SPOT_CHECKED,),
            F.NOTICE,
            _("Publish the notice"),
            permission="approve",
            guard=steps.barred,
            check=steps.reaches_a_level,
            prepare=steps.notice_dates,
        ),
        Transition(
            "name",
            (F.NOTICE,),
            F.NAMED,
            _("Name the beautiful factory"),
            permission="approve",
            guard=steps.barred,
            check=steps.after_notice,
            prepare=steps.named,
        ),
        Transition(
            "decline",
            (F.APPLIED, F.CHECKED, F.SPOT_CHECKED, F.NOTICE),
            F.DECLINED,
            _("Not named"),
            permission="approve",
            note_required=True,
            prepare=steps.ended,
            style="danger",
        ),
        # Taken by `revoke_factory`, dated from the bar event.
        Transition(
            "revoke",
            (F.NAMED,),
            F.REVOKED,
            _("Revoke from the date of a bar event"),
            permission="approve",
            note_required=True,
            prepare=steps.ended,
            style="danger",
        ),
        Transition(
            "expire",
            (F.NAMED,),
            F.EXPIRED,
            _("Expired: re-evaluate"),
            permission="approve",
            check=steps.not_expired_yet,
            prepare=steps.ended,
        ),
    ],
)

W = BeautifulWorker.Status
worker_workflow = Workflow(
    states=W,
    transitions=[
        Transition(
            "name",
            (W.NOMINATED,),
            W.NAMED,
            _("Name the beautiful worker"),
            permission="approve",
            guard=steps.worker_barred,
            check=steps.over_enterprise_quota,
            prepare=steps.worker_named,
        ),
        Transition(
            "refuse",
            (W.NOMINATED,),
            W.REFUSED,
            _("Do not name"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
    ],
)

S = RestStation.Status
station_workflow = Workflow(
    states=S,
    transitions=[
        Transition("suspend", (S.OPEN,), S.SUSPENDED, _("Suspend"), note_required=True),
        Transition("reopen", (S.SUSPENDED,), S.OPEN, _("Reopen")),
        Transition(
            "close",
            (S.OPEN, S.SUSPENDED),
            S.CLOSED,
            _("Close the station"),
            note_required=True,
            prepare=steps.closed_on,
            style="danger",
        ),
    ],
)
