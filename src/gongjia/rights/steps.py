"""What the steps of a dispute case do besides moving its status (rights.md §4): the checks,
preparations, clocks and consequences declared on the transitions of `workflows.py`."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters, parameters, workdays
from gongjia.platform.workflow import Step
from gongjia.rights import clocks
from gongjia.rights.models import Agency, DisputeCase, Evaluation, LimitationEvent, Referral

# What a step of a case may write besides what it sets itself.
CASE_VALUES = {"agreement_effective_on", "award_received_on", "closure", "fully_performed"}
# Closure codes a step sets by itself; `close` takes one of the others.
AUTO_CLOSURE = {
    "reject": DisputeCase.Closure.REJECTED,
    "settle": DisputeCase.Closure.NEGOTIATED,
    "arbitration_mediated": DisputeCase.Closure.ARBITRATION_MEDIATED,
    "withdraw": DisputeCase.Closure.WITHDRAWN,
}


def recompute_limitation(case: DisputeCase) -> DisputeCase:
    events = list(case.limitation_events.values_list("kind", "on"))
    case.limitation_expires_on = clocks.limitation_expiry(
        case.known_on,
        events,
        wage_arrears=case.wage_arrears,
        employment_ended_on=case.employment_ended_on,
    )
    DisputeCase.objects.filter(pk=case.pk).update(limitation_expires_on=case.limitation_expires_on)
    return case


def court_of(case: DisputeCase, on) -> Agency:
    """The court listed among the agencies of the case's unit or a unit above it, in force."""
    path, step = case.unit.path, OrgUnit.steplen
    court = (
        Agency.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on),
            kind=Agency.Kind.COURT,
            unit__path__in=[path[:i] for i in range(step, len(path) + 1, step)],
            effective_from__lte=on,
        )
        .order_by("-unit__depth")
        .first()
    )
    if court is None:
        raise ValidationError(
            {"agency": _("No court is listed among the agencies: add it first, then entrust.")}
        )
    return court


# --- every step ---------------------------------------------------------------------------------


def case_values(step: Step) -> None:
    unknown = set(step.values) - CASE_VALUES
    if unknown:
        raise ValidationError({k: _("This field cannot be set by this step.") for k in unknown})
    from gongjia.rights.workflows import TERMINAL

    if step.transition.target in TERMINAL:
        step.values["closed_on"] = step.on


def running_clock(step: Step) -> None:
    """The clock the step starts runs from now on (from the date its field names, if any);
    any other step stops the running one. A clock's name may depend on the kind of agreement
    (`filing_{kind}`). Cases and negotiations alike."""
    obj, t = step.obj, step.transition
    if t.clock:
        kind = t.clock.format(kind=getattr(obj, "kind", ""))
        start = (getattr(obj, t.clock_from) if t.clock_from else None) or step.on
        d = clocks.due(kind, start)
        obj.clock, obj.due_on, obj.warn_on = kind, d.due_on, d.warn_on
    else:
        obj.clock, obj.due_on, obj.warn_on = "", None, None
    obj.alerted = ""
    obj.save(update_fields=["clock", "due_on", "warn_on", "alerted"])


# --- closure codes ------------------------------------------------------------------------------


def closure_of(step: Step) -> None:
    step.values["closure"] = AUTO_CLOSURE[step.transition.name]


def withdrawal(step: Step) -> None:
    settled = step.inputs.get("after_settlement")
    step.values["closure"] = (
        DisputeCase.Closure.NEGOTIATED if settled else DisputeCase.Closure.WITHDRAWN
    )


def performed(step: Step) -> None:
    step.values["closure"] = (
        DisputeCase.Closure.MEDIATED_CONFIRMED
        if step.obj.status == DisputeCase.Status.CONFIRMING
        else DisputeCase.Closure.MEDIATED_PERFORMED
    )


def own_code(step: Step):
    if step.values.get("closure") in AUTO_CLOSURE.values():
        return {"closure": _("That code belongs to its own step.")}
    return None


# --- checks of the step's day -------------------------------------------------------------------


def _confirmation(step: Step) -> str:
    return step.inputs.get("confirmation") or "judicial_confirmation"


def confirmation_window(step: Step):
    kind = _confirmation(step)
    if kind not in ("arbitral_review", "judicial_confirmation"):
        return {"confirmation": _("Choose arbitral review or judicial confirmation.")}
    window = clocks.due(kind, step.obj.agreement_effective_on)
    if step.on > window.due_on:
        return _("The window to apply closed on %(d)s.") % {"d": window.due_on}
    return None


def confirmation_noted(step: Step) -> None:
    step.note = f"[{_confirmation(step)}] {step.note}"


def within_limitation(step: Step):
    ends = step.obj.limitation_expires_on
    if ends and step.on > ends:
        return _("The limitation period ended on %(d)s: arbitration can no longer be sought.") % {
            "d": ends
        }
    return None


def award_may_take_effect(step: Step):
    case = step.obj
    if not case.final_award and step.on <= case.due_on:
        return _(
            "A non-final award takes effect only after %(d)s, when the days to sue are over."
        ) % {"d": case.due_on}
    return None


def final_award(step: Step) -> None:
    case = step.obj
    received = step.values.get("award_received_on") or case.award_received_on or step.on
    region = case.unit.region.code if case.unit.region_id else None
    step.values["final_award"], _reasons = clocks.final_award(
        list(case.claims.values_list("kind", "amount")), received, region
    )


# --- consequences -------------------------------------------------------------------------------


def entrusted(step: Step) -> None:
    """The court's entrustment is an edge with its own clock."""
    case = step.obj
    Referral.objects.create(
        case=case,
        kind=Referral.Kind.COURT_ENTRUSTED,
        agency=step.inputs.get("agency") or court_of(case, step.on),
        entrusted_on=step.on,
        due_on=case.due_on,
    )


def _entrustment_ends(step: Step, result) -> None:
    Referral.objects.filter(case=step.obj, kind=Referral.Kind.COURT_ENTRUSTED, result="").update(
        result=result, returned_on=step.on, feedback_letter=step.note
    )


def entrustment_failed(step: Step) -> None:
    _entrustment_ends(step, Referral.Result.FAILED)


def agreed(step: Step) -> None:
    _entrustment_ends(step, Referral.Result.RESOLVED)


def interrupts(step: Step) -> None:
    """A request to a mediation body or an authority interrupts the limitation."""
    LimitationEvent.objects.create(
        case=step.obj,
        kind=LimitationEvent.Kind.INTERRUPTION,
        on=step.on,
        note=str(step.transition.label),
    )
    recompute_limitation(step.obj)


# --- collective negotiation (rights.md §6) ------------------------------------------------------


def reply_time_over(step: Step):
    due = step.obj.due_on
    if due is None or step.on <= due:
        return _("The time to reply runs until %(d)s.") % {"d": due}
    return None


def may_take_effect(step: Step):
    n = step.obj
    if n.clock == "review" and step.on <= n.due_on:
        return _("The labour department may object until %(d)s.") % {"d": n.due_on}
    term = step.values.get("term_months") or n.term_months
    limits = parameters.value("rights.contract_term_months", on=step.on)
    if term is None or not limits["min"] <= term <= limits["max"]:
        return {
            "term_months": _("The term is %(a)d to %(b)d months.")
            % {"a": limits["min"], "b": limits["max"]}
        }
    return None


def effective(step: Step) -> None:
    step.values.setdefault("effective_on", step.on)


def expiry(step: Step) -> None:
    n = step.obj
    n.expires_on = workdays.add_months(n.effective_on, n.term_months)
    n.save(update_fields=["expires_on"])


def renewal_clock(step: Step) -> None:
    """In force: the renewal window opens before the agreement expires."""
    n = step.obj
    window = parameters.value(f"rights.renewal_window_{n.kind}", on=step.on)
    n.clock, n.due_on = "renewal", n.expires_on
    n.warn_on = n.expires_on - dt.timedelta(days=window)
    n.save(update_fields=["clock", "due_on", "warn_on"])


# --- harmonious-labour-relations evaluations ----------------------------------------------------


def grade_for(total: Decimal, grades: list[dict]) -> str:
    """The highest grade whose minimum the total reaches ("" when none)."""
    for g in sorted(grades, key=lambda g: Decimal(str(g["min"])), reverse=True):
        if total >= Decimal(str(g["min"])):
            return str(g["grade"])
    return ""


def weighted_total(scores) -> Decimal:
    """Σ weight × share earned over scores of checklist items, to two decimals: the marking of
    every scheme built on a `Checklist` (harmonious relations, beautiful factories)."""
    total = sum((s.item.weight * s.percent / Decimal(100) for s in scores), Decimal(0))
    return total.quantize(Decimal("0.01"))


def total_of(evaluation: Evaluation) -> Decimal:
    return weighted_total(evaluation.scores.select_related("item"))


def scores_complete(step: Step):
    missing = step.obj.checklist.items.exclude(pk__in=step.obj.scores.values("item")).count()
    if missing:
        return _("%(n)d criteria are not scored yet.") % {"n": missing}
    return None


def _graded(step: Step) -> str:
    e = step.obj
    e.total = total_of(e)
    return grade_for(e.total, e.checklist.grades)


def gradable(step: Step):
    grade = _graded(step)
    if step.transition.name == "certify" and not grade:
        return _("A total of %(t)s reaches no grade: the enterprise is not certified.") % {
            "t": step.obj.total
        }
    if step.transition.name == "decline" and grade:
        return _("A total of %(t)s reaches grade %(g)s: certify it.") % {
            "t": step.obj.total,
            "g": grade,
        }
    return None


def graded(step: Step) -> None:
    """The total and grade, and for a grade its certificate and validity."""
    e, on = step.obj, step.on
    grade = _graded(step)
    step.values.update(total=e.total, grade=grade)
    if grade:
        n = counters.allocate(f"harmony_certificate_{on.year}")[0]
        step.values.update(
            certificate_number=f"HX{on.year}{n:05d}",
            valid_from=on,
            valid_until=workdays.add_months(on, 12 * e.checklist.certificate_years)
            - dt.timedelta(days=1),
        )


def revoked(step: Step) -> None:
    step.values["revoked_on"] = step.on
