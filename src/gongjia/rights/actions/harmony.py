"""Harmonious-labour-relations evaluations: scoring, grade, certificate, revocation."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters, events, records, scope, workdays
from gongjia.rights.events import EVALUATION_OPENED
from gongjia.rights.models import Checklist, ChecklistItem, Evaluation, Score
from gongjia.rights.workflows import evaluation_workflow


def grade_for(total: Decimal, grades: list[dict]) -> str:
    """The highest grade whose minimum the total reaches ("" when none)."""
    for g in sorted(grades, key=lambda g: Decimal(str(g["min"])), reverse=True):
        if total >= Decimal(str(g["min"])):
            return str(g["grade"])
    return ""


def total_of(evaluation: Evaluation) -> Decimal:
    """Σ weight × share earned, to two decimals."""
    total = sum(
        (
            s.item.weight * s.percent / Decimal(100)
            for s in evaluation.scores.select_related("item")
        ),
        Decimal(0),
    )
    return total.quantize(Decimal("0.01"))


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
    on = on or timezone.localdate()
    values = dict(values or {})
    with transaction.atomic():
        e = Evaluation.objects.select_for_update().select_related("checklist").get(pk=evaluation.pk)
        if name == "submit":
            missing = e.checklist.items.exclude(pk__in=e.scores.values("item")).count()
            if missing:
                raise ValidationError(_("%(n)d criteria are not scored yet.") % {"n": missing})
        if name in ("certify", "decline"):
            e.total = total_of(e)
            grade = grade_for(e.total, e.checklist.grades)
            if name == "certify" and not grade:
                raise ValidationError(
                    _("A total of %(t)s reaches no grade: the enterprise is not certified.")
                    % {"t": e.total}
                )
            if name == "decline" and grade:
                raise ValidationError(
                    _("A total of %(t)s reaches grade %(g)s: certify it.")
                    % {"t": e.total, "g": grade}
                )
            values.update(total=e.total, grade=grade)
            if grade:
                n = counters.allocate(f"harmony_certificate_{on.year}")[0]
                values.update(
                    certificate_number=f"HX{on.year}{n:05d}",
                    valid_from=on,
                    valid_until=workdays.add_months(on, 12 * e.checklist.certificate_years)
                    - dt.timedelta(days=1),
                )
        if name == "revoke":
            values["revoked_on"] = on
        evaluation_workflow.perform(e, name, acting_user=acting_user, note=note, values=values)
    records.adopt(evaluation, e)
    return evaluation
