"""The steps of a selection batch (assembled → cleared by the departments → public notice →
approved), of a nomination (withdrawn, vetoed, removed after an objection), of a pioneer unit,
a studio, a named method, and a batch of recuperation or health-check places."""

from django.utils.translation import gettext_lazy as _

from gongjia.honours import steps
from gongjia.honours.models import (
    Batch,
    CareBatch,
    NamedMethod,
    Nomination,
    PioneerUnit,
    Studio,
)
from gongjia.platform.workflow import Transition, Workflow

B = Batch.Status
N = Nomination.Status
P = PioneerUnit.Status
S = Studio.Status
M = NamedMethod.Status
C = CareBatch.Status

batch_workflow = Workflow(
    states=B,
    transitions=[
        Transition(
            "submit",
            (B.ASSEMBLING,),
            B.CLEARANCE,
            _("Submit: check the shares and send to the departments"),
            permission="approve",
            guard=steps.not_ready,
            prepare=steps.submitted_on,
        ),
        Transition(
            "publish",
            (B.CLEARANCE,),
            B.NOTICE,
            _("Publish the notice"),
            permission="approve",
            guard=steps.clearance_outstanding,
            prepare=steps.notice_dates,
        ),
        Transition(
            "approve",
            (B.NOTICE,),
            B.APPROVED,
            _("Approve and confer the titles"),
            permission="approve",
            guard=steps.objections_open,
            check=steps.after_notice,
            prepare=steps.approved_on,
            after=steps.confer,
        ),
        Transition(
            "cancel",
            (B.ASSEMBLING, B.CLEARANCE),
            B.CANCELLED,
            _("Cancel the batch"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
    ],
)

nomination_workflow = Workflow(
    states=N,
    transitions=[
        Transition(
            "withdraw",
            (N.NOMINATED,),
            N.WITHDRAWN,
            _("Withdraw the nomination"),
            note_required=True,
            guard=steps.batch_assembling,
            prepare=steps.ended,
            style="danger",
        ),
        Transition(
            "veto",
            (N.NOMINATED,),
            N.VETOED,
            _("End by the department's veto"),
            note_required=True,
            guard=steps.no_veto,
            prepare=steps.ended,
            style="danger",
        ),
        Transition(
            "disqualify",
            (N.NOMINATED,),
            N.DISQUALIFIED,
            _("Remove after the upheld objection"),
            note_required=True,
            guard=steps.no_upheld_objection,
            prepare=steps.ended,
            style="danger",
        ),
    ],
)

pioneer_workflow = Workflow(
    states=P,
    transitions=[
        Transition(
            "name",
            (P.RECOMMENDED,),
            P.NAMED,
            _("Name the worker-pioneer unit"),
            permission="approve",
            guard=steps.pioneer_barred,
            prepare=steps.pioneer_decided,
        ),
        Transition(
            "refuse",
            (P.RECOMMENDED,),
            P.REFUSED,
            _("Do not name"),
            permission="approve",
            note_required=True,
            prepare=steps.pioneer_decided,
            style="danger",
        ),
        Transition(
            "revoke",
            (P.NAMED,),
            P.REVOKED,
            _("Revoke (fraud or a major accident)"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
    ],
)

studio_workflow = Workflow(
    states=S,
    transitions=[
        Transition(
            "apply",
            (S.CREATING,),
            S.APPLIED,
            _("Apply for naming"),
            guard=steps.studio_incomplete,
        ),
        Transition(
            "name",
            (S.APPLIED,),
            S.NAMED,
            _("Accept and name the studio"),
            permission="approve",
            guard=steps.studio_incomplete,
            prepare=steps.studio_named,
            after=steps.studio_grant,
        ),
        Transition(
            "lapse",
            (S.NAMED,),
            S.LAPSED,
            _("Let the naming lapse"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
    ],
)

method_workflow = Workflow(
    states=M,
    transitions=[
        Transition(
            "name",
            (M.PROPOSED,),
            M.NAMED,
            _("Name the method"),
            permission="approve",
            check=steps.method_ineligible_on,
            prepare=steps.method_found,
        ),
        Transition(
            "refuse",
            (M.PROPOSED,),
            M.REFUSED,
            _("Do not name"),
            permission="approve",
            note_required=True,
            prepare=steps.method_found,
            style="danger",
        ),
    ],
)

care_workflow = Workflow(
    states=C,
    transitions=[
        Transition(
            "allocate",
            (C.OPEN,),
            C.ALLOCATED,
            _("Allocate the places in order"),
            permission="allocate",
            guard=steps.nobody_applied,
            check=steps.applications_running,
            prepare=steps.allocated_on,
            after=steps.allocate,
        ),
        Transition(
            "close",
            (C.ALLOCATED,),
            C.CLOSED,
            _("Close the batch"),
            permission="allocate",
            guard=steps.attendance_missing,
        ),
        Transition(
            "cancel",
            (C.OPEN,),
            C.CANCELLED,
            _("Cancel the batch"),
            permission="allocate",
            note_required=True,
            style="danger",
        ),
    ],
)
