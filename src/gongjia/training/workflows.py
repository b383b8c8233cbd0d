"""The steps of a class (planned → open for enrolment → running → completed) and of a training
base (applied → evaluated → named → removed). Enrolments are completed in sets when their
class is completed (`steps.complete`): a class has hundreds of them."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.workflow import Transition, Workflow
from gongjia.training import steps
from gongjia.training.models import Enrolment, TrainingBase, TrainingClass

K = TrainingClass.Status
B = TrainingBase.Status
E = Enrolment.Status

class_workflow = Workflow(
    states=K,
    transitions=[
        Transition(
            "open", (K.PLANNED,), K.ENROLLING, _("Open for enrolment"), guard=steps.no_sessions
        ),
        Transition(
            "start", (K.ENROLLING,), K.RUNNING, _("Start the class"), guard=steps.no_one_enrolled
        ),
        Transition(
            "close",
            (K.RUNNING,),
            K.CLOSED,
            _("Complete the class and issue certificates"),
            guard=steps.not_assessed,
            after=steps.complete,
        ),
        Transition(
            "cancel",
            (K.PLANNED, K.ENROLLING),
            K.CANCELLED,
            _("Cancel"),
            note_required=True,
            style="danger",
        ),
    ],
)

enrolment_workflow = Workflow(
    states=E,
    transitions=[
        Transition(
            "withdraw",
            (E.ENROLLED,),
            E.WITHDRAWN,
            _("Withdraw"),
            guard=steps.class_finished,
            style="danger",
        ),
    ],
)

base_workflow = Workflow(
    states=B,
    transitions=[
        Transition(
            "evaluate",
            (B.APPLIED,),
            B.EVALUATED,
            _("Evaluation done"),
            guard=steps.checklist_unanswered,
            unblock="checklist",
        ),
        Transition(
            "name",
            (B.EVALUATED,),
            B.NAMED,
            _("Name the base"),
            permission="approve",
            guard=steps.checklist_not_met,
            check=steps.by_authority,
            prepare=steps.named,
            unblock="checklist",
        ),
        Transition(
            "renew",
            (B.NAMED,),
            B.NAMED,
            _("Renew the naming for another term"),
            permission="approve",
            guard=steps.no_passed_review,
            check=steps.by_authority,
            prepare=steps.renewed,
            unblock="review",
        ),
        Transition(
            "reject",
            (B.APPLIED, B.EVALUATED),
            B.REJECTED,
            _("Do not name"),
            permission="approve",
            note_required=True,
            check=steps.by_authority,
            style="danger",
        ),
        Transition(
            "remove",
            (B.NAMED,),
            B.REMOVED,
            _("Remove the naming"),
            permission="approve",
            note_required=True,
            check=steps.by_authority,
            prepare=steps.removed,
            style="danger",
        ),
    ],
)
