from django.utils.translation import gettext_lazy as _

from gongjia.members import steps
from gongjia.members.models import Founding, Member, TransferRequest
from gongjia.platform.workflow import Transition, Workflow

S = Member.Status
member_workflow = Workflow(
    states=S,
    transitions=[
        Transition(
            "approve",
            (S.APPLIED,),
            S.ACTIVE,
            _("Approve application"),
            permission="approve",
            prepare=steps.joined,
            after=steps.history("join"),
        ),
        Transition(
            "reject",
            (S.APPLIED,),
            S.REJECTED,
            _("Reject application"),
            permission="approve",
            note_required=True,
            style="danger",
        ),
        Transition(
            "withdraw",
            (S.ACTIVE,),
            S.WITHDRAWN,
            _("Withdraw from the union"),
            note_required=True,
            style="danger",
            prepare=steps.withdrawing,
            after=steps.history("withdraw"),
        ),
        Transition(
            "reinstate",
            (S.WITHDRAWN,),
            S.ACTIVE,
            _("Reinstate"),
            note_required=True,
            prepare=steps.reinstating,
            after=steps.history("reinstate"),
        ),
    ],
)

F = Founding.Status
founding_workflow = Workflow(
    states=F,
    transitions=[
        Transition(
            "elect",
            (F.PREPARATION,),
            F.ELECTION,
            _("Committee elected"),
            required=("elected_on", "chair_name"),
        ),
        Transition("submit", (F.ELECTION,), F.APPROVAL, _("Submit for approval")),
        Transition(
            "establish",
            (F.APPROVAL,),
            F.ESTABLISHED,
            _("Approve and establish"),
            permission="approve",
            required=("approved_on", "approval_document", "unit_code"),
            prepare=steps.established,
        ),
        Transition(
            "send_back",
            (F.APPROVAL,),
            F.ELECTION,
            _("Send back"),
            permission="approve",
            note_required=True,
        ),
        Transition(
            "abandon",
            (F.PREPARATION, F.ELECTION, F.APPROVAL),
            F.ABANDONED,
            _("Abandon"),
            note_required=True,
            style="danger",
        ),
    ],
)

T = TransferRequest.Status
# Steps on a transfer request; `actions.decide_transfer` performs them (accepting also moves
# the member), and only the receiving side may accept or refuse.
transfer_workflow = Workflow(
    states=T,
    transitions=[
        Transition(
            "accept",
            (T.PENDING,),
            T.ACCEPTED,
            _("Accept the member"),
            check=steps.receiving_side,
            after=steps.accepted,
        ),
        Transition(
            "refuse",
            (T.PENDING,),
            T.REFUSED,
            _("Refuse the transfer"),
            note_required=True,
            style="danger",
            check=steps.receiving_side,
        ),
        Transition(
            "withdraw",
            (T.PENDING,),
            T.WITHDRAWN,
            _("Withdraw the request"),
            note_required=True,
            style="danger",
            check=steps.sending_side,
        ),
    ],
)
