"""Labour-dispute cases: intake, steps with their clocks, the limitation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.selectors import find_by_id_number
from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters, events, pii, scope, validators
from gongjia.rights import clocks
from gongjia.rights.events import CASE_OPENED, LIMITATION_EVENT, REFERRAL_FEEDBACK, REFERRED
from gongjia.rights.models import (
    Agency,
    CaseClaim,
    CaseWorker,
    DisputeCase,
    LimitationEvent,
    Referral,
)
from gongjia.rights.steps import recompute_limitation
from gongjia.rights.workflows import TERMINAL, case_workflow

# --- dispute cases ------------------------------------------------------------------------------

CASE_FIELDS = (
    "station",
    "channel",
    "oral",
    "oral_record",
    "employer",
    "employer_name",
    "received_on",
    "summary",
    "facts",
    "common_claim",
    "handler",
    "known_on",
    "wage_arrears",
    "employment_ended_on",
)
# Dates and outcomes recorded on the case before the step that uses them (a closed case keeps
# its closure code; whether an award was fully performed may be learned later).
RECORDED = (
    "agreement_terms",
    "agreement_effective_on",
    "award_received_on",
    "closure",
    "fully_performed",
)
# Fields that move the limitation period: changing one recomputes it.
LIMITATION_FIELDS = ("known_on", "wage_arrears", "employment_ended_on")


def case_number(received_on) -> str:
    n = counters.allocate(f"dispute_case_{received_on.year}")[0]
    return f"WQ{received_on.year}{n:06d}"


def _worker(case, data: dict) -> CaseWorker:

    w = CaseWorker(
        case=case,
        name=(data.get("name") or "").strip(),
        mobile=data.get("mobile") or "",
        representative=bool(data.get("representative")),
    )
    if not w.name:
        raise ValidationError({"workers": _("Each worker needs a name.")})
    if data.get("id_number"):
        try:
            w.id_number = validators.validate_id_number(data["id_number"])
        except ValidationError as e:
            raise ValidationError({"workers": e.messages}) from None
        w.member = find_by_id_number(w.id_number)
    if w.mobile:
        try:
            w.mobile = validators.validate_mobile(w.mobile)
        except ValidationError as e:
            raise ValidationError({"workers": e.messages}) from None
    return w


def _claim(case, data: dict) -> CaseClaim:
    c = CaseClaim(
        case=case,
        kind=data.get("kind") or "",
        amount=data.get("amount"),
        description=data.get("description") or "",
    )
    try:
        c.full_clean(exclude=["case"])
    except ValidationError as e:
        raise ValidationError(
            {"claims": [f"{k}: {'；'.join(v)}" for k, v in e.message_dict.items()]}
        ) from None
    return c


def _one_case_per_problem(case: DisputeCase, parties: list, acting_user) -> None:
    """Repeated help to one worker on one problem in one year is one case (rights.md §5): a
    worker with an open case against the same employer this year is refused a second one."""

    keys = [
        pii.lookup(CaseWorker, "id_number", w.id_number)["id_number_bidx"]
        for w in parties
        if w.id_number
    ]
    if not keys:
        return
    same_employer = (
        Q(employer=case.employer) if case.employer_id else Q(employer_name=case.employer_name)
    )
    other = (
        DisputeCase.objects.filter(
            same_employer,
            workers__id_number_bidx__in=keys,
            received_on__year=case.received_on.year,
        )
        .exclude(status__in=TERMINAL)
        .first()
    )
    if other is None:
        return
    if scope.person(acting_user) is None or scope.can(acting_user, "view", other):
        message = _(
            "This worker already has an open case against this employer this year (%(n)s): "
            "add the new facts to it instead."
        ) % {"n": other.number}
    else:
        message = _("This worker already has an open case against this employer this year.")
    raise ValidationError({"workers": message})


@transaction.atomic
def open_case(
    *, acting_user, unit: OrgUnit, workers: list[dict], claims=(), requester=None, **fields
):
    """Intake: at a station, by a union, from the portal (`requester`: the worker's account;
    acting_user SYSTEM) or on a court's referral."""
    scope.require(acting_user, "add", unit, model=DisputeCase)
    if not workers:
        raise ValidationError({"workers": _("Name at least one worker.")})
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    case = DisputeCase(unit=unit, requester=requester, **fields)
    if case.employer_id and not case.employer_name:
        case.employer_name = case.employer.name
    if case.received_on is None:
        case.received_on = timezone.localdate()
    case.full_clean(exclude=["number"])
    parties = [_worker(case, w) for w in workers]
    _one_case_per_problem(case, parties, acting_user)
    case.number = case_number(case.received_on)
    case.save()
    for w in parties:
        w.case = case
    CaseWorker.objects.bulk_create(parties)
    CaseClaim.objects.bulk_create([_claim(case, c) for c in claims])
    recompute_limitation(case)
    events.record(
        CASE_OPENED,
        actor=scope.person(acting_user) or requester,
        obj=case,
        data={"to": case.status, "channel": case.channel, "workers": len(workers)},
    )
    return case


@transaction.atomic
def update_case(case: DisputeCase, *, acting_user, **fields) -> DisputeCase:
    scope.require(acting_user, "change", case)
    case = DisputeCase.objects.select_for_update().get(pk=case.pk)
    for k, v in fields.items():
        editable = (k in CASE_FIELDS and k not in ("channel", "received_on")) or k in RECORDED
        if not editable or (k == "closure" and case.status in TERMINAL and v != case.closure):
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(case, k, v)
    case.full_clean()
    case.save()
    if set(fields) & set(LIMITATION_FIELDS):
        recompute_limitation(case)
    return case


@transaction.atomic
def record_limitation_event(case, *, acting_user, kind: str, on, note: str) -> DisputeCase:
    """An interruption or suspension of the limitation (LDMAL art. 27): kept with its date,
    and the expiry recomputed."""
    scope.require(acting_user, "change", case)
    event = LimitationEvent(case=case, kind=kind, on=on, note=note)
    event.full_clean()
    event.save()
    events.record(
        LIMITATION_EVENT,
        actor=acting_user,
        obj=case,
        data={"kind": kind, "on": on.isoformat(), "note": note},
    )
    return recompute_limitation(case)


def case_step(
    case: DisputeCase,
    name: str,
    *,
    acting_user,
    note: str = "",
    on=None,
    values: dict | None = None,
) -> DisputeCase:
    """One step of the case on a given day; its closure code, clock, checks of the day and
    consequences are declared on the step (`workflows.case_workflow`, `steps`). `values` may
    carry the step's inputs too (an agency, a kind of confirmation, after a settlement)."""
    values = dict(values or {})
    inputs = {
        k: values.pop(k) for k in ("agency", "after_settlement", "confirmation") if k in values
    }
    return case_workflow.run(
        case, name, acting_user=acting_user, note=note, on=on, values=values, **inputs
    )


@transaction.atomic
def refer(case: DisputeCase, *, acting_user, agency: Agency, on=None, handler_name="") -> Referral:
    """Hand the case (with its facts) to a partner agency: an edge with its own clock."""
    scope.require(acting_user, "change", case)
    on = on or timezone.localdate()
    if not (
        agency.effective_from <= on
        and (agency.effective_until is None or on <= agency.effective_until)
    ):
        raise ValidationError(
            {"agency": _("%(a)s does not take part on %(d)s.") % {"a": agency, "d": on}}
        )
    edge = Referral.objects.create(
        case=case,
        kind=Referral.Kind.REFERRAL,
        agency=agency,
        entrusted_on=on,
        due_on=clocks.due("referral", on).due_on,
        handler_name=handler_name,
    )
    events.record(
        REFERRED,
        actor=acting_user,
        obj=case,
        data={"agency": agency.name, "on": on.isoformat(), "due": edge.due_on.isoformat()},
    )
    return edge


@transaction.atomic
def record_feedback(edge: Referral, *, acting_user, result: str, letter: str = "", on=None):
    """The agency's answer; on failure the letter names the disputed points and the obstacles."""
    scope.require(acting_user, "change", edge.case)
    edge = Referral.objects.select_for_update().get(pk=edge.pk)
    if edge.result:
        raise ValidationError(_("The feedback on this referral is already recorded."))
    if result not in (Referral.Result.RESOLVED, Referral.Result.FAILED, Referral.Result.RETURNED):
        raise ValidationError({"result": _("Choose resolved, not resolved or returned.")})
    if result != Referral.Result.RESOLVED and not letter.strip():
        raise ValidationError(
            {"feedback_letter": _("Write the disputed points and the obstacles.")}
        )
    edge.result, edge.feedback_letter = result, letter
    edge.returned_on = on or timezone.localdate()
    edge.save(update_fields=["result", "feedback_letter", "returned_on"])
    events.record(
        REFERRAL_FEEDBACK,
        actor=acting_user,
        obj=edge.case,
        data={"referral": edge.pk, "result": result},
    )
    return edge
