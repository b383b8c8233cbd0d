from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform.workflow import Transition, Workflow


def _dated(step):
    """Deregistration is dated, for the figures of past years (a reactivated unit has no date:
    the gap is not kept). Written beside the step, not as its data: the step must not judge the
    unit's other fields again (a legacy credit code never blocks deregistering)."""
    unit = step.obj
    unit.deregistered_on = step.on if step.transition.name == "deregister" else None
    OrgUnit.objects.filter(pk=unit.pk).update(deregistered_on=unit.deregistered_on)


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
            after=_dated,
        ),
        Transition(
            "reactivate",
            source=(OrgUnit.Status.DEREGISTERED,),
            target=OrgUnit.Status.ACTIVE,
            label=_("Reactivate"),
            note_required=True,
            after=_dated,
        ),
    ],
)
