"""The steps of a competition, of a marking scheme, of unlocking a mark and of an appeal
(competitions.md §1, §3). Marks themselves move entered → signed → locked in sets, by the
actions (`actions.sign`, the close of marking): a competition has tens of thousands of them."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.workflow import Transition, Workflow
from gongjia.skills import steps
from gongjia.skills.models import Appeal, Competition, Scheme, Unlock

C = Competition.Status
S = Scheme.Status
U = Unlock.Status
A = Appeal.Status

competition_workflow = Workflow(
    states=C,
    transitions=[
        Transition("open", (C.PLANNED,), C.REGISTRATION, _("Open registration")),
        Transition(
            "start_marking",
            (C.REGISTRATION,),
            C.MARKING,
            _("Open marking"),
            guard=steps.not_ready_to_mark,
            after=steps.lock_schemes,
        ),
        Transition(
            "close_marking",
            (C.MARKING,),
            C.REVIEW,
            _("Close marking and compute the results"),
            guard=steps.marks_not_signed,
            after=steps.lock_marks_and_rank,
        ),
        Transition(
            "reopen_marking",
            (C.REVIEW,),
            C.MARKING,
            _("Reopen marking"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
        Transition(
            "publish",
            (C.REVIEW,),
            C.PUBLISHED,
            _("Publish the results"),
            permission="approve",
            guard=steps.not_publishable,
            check=steps.jury_only,
            prepare=steps.published,
        ),
        Transition(
            "freeze",
            (C.PUBLISHED,),
            C.FROZEN,
            _("Results final"),
            guard=steps.appeals_open,
            check=steps.window_passed,
        ),
        Transition(
            "check_report",
            (C.REPORTED,),
            C.CHECKED,
            _("Report checked"),
            permission="approve",
            guard=steps.report_incomplete,
        ),
        Transition(
            "cancel",
            (C.PLANNED, C.REGISTRATION, C.REPORTED),
            C.CANCELLED,
            _("Cancel"),
            note_required=True,
            style="danger",
        ),
    ],
)

scheme_workflow = Workflow(
    states=S,
    transitions=[
        Transition(
            "approve",
            (S.DRAFT,),
            S.APPROVED,
            _("Approve the scheme"),
            permission="approve",
            guard=steps.scheme_invalid,
        ),
        Transition("redraft", (S.APPROVED,), S.DRAFT, _("Back to draft"), permission="approve"),
    ],
)

unlock_workflow = Workflow(
    states=U,
    transitions=[
        Transition(
            "approve",
            (U.REQUESTED,),
            U.APPROVED,
            _("Approve and unlock"),
            permission="approve",
            check=steps.second_person,
            prepare=steps.decided,
            after=steps.unlock_mark,
        ),
        Transition(
            "refuse",
            (U.REQUESTED,),
            U.REFUSED,
            _("Refuse"),
            permission="approve",
            note_required=True,
            check=steps.second_person,
            prepare=steps.decided,
            style="danger",
        ),
    ],
)

appeal_workflow = Workflow(
    states=A,
    transitions=[
        Transition(
            "uphold", (A.LODGED,), A.UPHELD, _("Uphold"), permission="approve", note_required=True
        ),
        Transition(
            "dismiss",
            (A.LODGED,),
            A.DISMISSED,
            _("Dismiss"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
    ],
)
