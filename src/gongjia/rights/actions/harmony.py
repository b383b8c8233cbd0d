"""Harmonious-labour-relations evaluations: scoring, grade, certificate, revocation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import events, scope
from gongjia.rights.events import EVALUATION_OPENED
from gongjia.rights.models import Checklist, ChecklistItem, Evaluation, Score
from gongjia.rights.steps import total_of
from gongjia.rights.workflows import evaluation_workflow


@transaction.atomic
def open_evaluation(*, acting_user, unit: OrgUnit, enterprise, checklist: Checklist, round: str):
    scope.require(acting_user, "add", unit, model=Evaluation)
    e = Evaluation(unit=unit, enterprise=enterprise, checklist=checklist, round=round)
    e.full_clean()
    e.save()
    events.record(
        EVALUATION_OPENED,
        actor=acting_user,
        obj=e,
        data={"to": e.status},
    )
    return e


@transaction.atomic
def score(evaluation: Evaluation, *, acting_user, item: ChecklistItem, percent: int, note=""):
    scope.require(acting_user, "change", evaluation)
    e = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if e.status != Evaluation.Status.SCORING:
        raise ValidationError(_("Scores can be changed only while scoring."))
    if item.checklist_id != e.checklist_id:
        raise ValidationError({"item": _("This criterion belongs to another checklist.")})
    if not 0 <= int(percent) <= 100:
        raise ValidationError({"percent": _("Give a share between 0 and 100.")})
    s, _created = Score.objects.update_or_create(
        evaluation=e, item=item, defaults={"percent": int(percent), "note": note}
    )
    e.total = total_of(e)
    e.save(update_fields=["total"])
    return s


def evaluation_step(
    evaluation: Evaluation, name: str, *, acting_user, note="", on=None, values=None
):
    """A step of an evaluation (scores complete, grade and certificate, revocation: declared on
    the step)."""
    return evaluation_workflow.run(
        evaluation, name, acting_user=acting_user, note=note, on=on, values=values
    )
