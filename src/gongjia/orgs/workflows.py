from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform.workflow import Transition, Workflow

unit_workflow = Workflow(
    states=OrgUnit.Status,
    transitions=[
        Transition(
            "deregister",
            source=(OrgUnit.Status.ACTIVE,),
            target=OrgUnit.Status.DEREGISTERED,
            label=_("Deregister"),
            note_required=True,
            guard=lambda unit: (
                _("Move or deregister the units below it first.")
                if OrgUnit.objects.get_children(unit).filter(status=OrgUnit.Status.ACTIVE).exists()
                else None
            ),
            style="danger",
        ),
        Transition(
            "reactivate",
            source=(OrgUnit.Status.DEREGISTERED,),
            target=OrgUnit.Status.ACTIVE,
            label=_("Reactivate"),
            note_required=True,
        ),
    ],
)
