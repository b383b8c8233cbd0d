"""Labour-dispute cases: intake, steps with their clocks, the limitation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters, events, records, scope
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
RECORDED = ("agreement_effective_on", "award_received_on", "closure", "fully_performed")
# Fields that move the limitation period: changing one recomputes it.
LIMITATION_FIELDS = ("known_on", "wage_arrears", "employment_ended_on")


def case_number(received_on) -> str:
    n = counters.allocate(f"dispute_case_{received_on.year}")[0]
    return f"WQ{received_on.year}{n:06d}"


def _worker(case, data: dict) -> CaseWorker:
    from gongjia.members.selectors import find_by_id_number
    from gongjia.platform import validators

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


def _one_case_per_problem(case: DisputeCase, parties: list, acting_user) -> None:
    """Repeated help to one worker on one problem in one year is one case (rights.md §5): a
    worker with an open case against the same employer this year is refused a second one."""
    from gongjia.platform import pii

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


# Closure codes a step sets by itself; `close` takes one of the others.
AUTO_CLOSURE = {
    "reject": DisputeCase.Closure.REJECTED,
    "settle": DisputeCase.Closure.NEGOTIATED,
    "arbitration_mediated": DisputeCase.Closure.ARBITRATION_MEDIATED,
    "withdraw": DisputeCase.Closure.WITHDRAWN,
}
# The clock a step starts: (parameter kind, which date it runs from).
STARTS = {
    "negotiate": "negotiation_answer",
    "mediate": "mediation",
    "agree": "judicial_confirmation",
    "refer_arbitration": "arbitration_acceptance",
    "accept_arbitration": "award",
    "extend_award": "award_extension",
    "award": "sue_after_award",
    "entrust": "referral",
}
# Steps that are a request to a mediation body or an authority: they interrupt the limitation.
INTERRUPTS = ("mediate", "refer_arbitration")


def _court_of(case: DisputeCase, on) -> Agency:
    """The court listed among the agencies of the case's unit or a unit above it, in force."""
    from django.db.models import Q

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


def case_step(
    case: DisputeCase,
    name: str,
    *,
    acting_user,
    note: str = "",
    on=None,
    values: dict | None = None,
) -> DisputeCase:
    """Perform one step of the case: state, closure code, clocks, limitation, timeline."""
    on = on or timezone.localdate()
    values = dict(values or {})
    t = case_workflow.get(name)
    with transaction.atomic():
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        agency = values.pop("agency", None)
        after_settlement = values.pop("after_settlement", False)
        confirmation = values.pop("confirmation", "judicial_confirmation")
        unknown = set(values) - {
            "agreement_effective_on",
            "award_received_on",
            "closure",
            "fully_performed",
        }
        if unknown:
            raise ValidationError({k: _("This field cannot be set by this step.") for k in unknown})
        if name in AUTO_CLOSURE:
            values["closure"] = AUTO_CLOSURE[name]
            if name == "withdraw" and after_settlement:
                values["closure"] = DisputeCase.Closure.NEGOTIATED
        if name == "perform":
            values["closure"] = (
                DisputeCase.Closure.MEDIATED_CONFIRMED
                if locked.status == DisputeCase.Status.CONFIRMING
                else DisputeCase.Closure.MEDIATED_PERFORMED
            )
        if name == "close" and values.get("closure") in AUTO_CLOSURE.values():
            raise ValidationError({"closure": _("That code belongs to its own step.")})
        if name == "apply_confirmation":
            if confirmation not in ("arbitral_review", "judicial_confirmation"):
                raise ValidationError(
                    {"confirmation": _("Choose arbitral review or judicial confirmation.")}
                )
            window = clocks.due(confirmation, locked.agreement_effective_on)
            if on > window.due_on:
                raise ValidationError(
                    _("The window to apply closed on %(d)s.") % {"d": window.due_on}
                )
            note = f"[{confirmation}] {note}"
        if (
            name == "refer_arbitration"
            and locked.limitation_expires_on
            and on > locked.limitation_expires_on
        ):
            raise ValidationError(
                _("The limitation period ended on %(d)s: arbitration can no longer be sought.")
                % {"d": locked.limitation_expires_on}
            )
        if name == "award_in_effect" and not locked.final_award and on <= locked.due_on:
            raise ValidationError(
                _("A non-final award takes effect only after %(d)s, when the days to sue are over.")
                % {"d": locked.due_on}
            )
        if name == "award":
            received = values.get("award_received_on") or locked.award_received_on or on
            region = locked.unit.region.code if locked.unit.region_id else None
            values["final_award"], _reasons = clocks.final_award(
                list(locked.claims.values_list("kind", "amount")), received, region
            )
        if name == "entrust" and agency is None:
            agency = _court_of(locked, on)
        if t.target in TERMINAL:
            values["closed_on"] = on
        case_workflow.perform(locked, name, acting_user=acting_user, note=note, values=values)
        # The clock that runs from now on.
        kind = STARTS.get(name)
        if kind:
            start = {
                "agree": locked.agreement_effective_on,
                "award": locked.award_received_on,
                "extend_award": locked.due_on,
            }.get(name) or on
            d = clocks.due(kind, start)
            locked.clock, locked.due_on, locked.warn_on = kind, d.due_on, d.warn_on
        elif name != "extend_award":
            locked.clock, locked.due_on, locked.warn_on = "", None, None
        locked.alerted = ""
        locked.save(update_fields=["clock", "due_on", "warn_on", "alerted"])
        if name == "entrust":
            Referral.objects.create(
                case=locked,
                kind=Referral.Kind.COURT_ENTRUSTED,
                agency=agency,
                entrusted_on=on,
                due_on=locked.due_on,
            )
        if name in ("return_to_court", "agree"):
            Referral.objects.filter(
                case=locked, kind=Referral.Kind.COURT_ENTRUSTED, result=""
            ).update(
                result=Referral.Result.FAILED
                if name == "return_to_court"
                else Referral.Result.RESOLVED,
                returned_on=on,
                feedback_letter=note,
            )
        if name in INTERRUPTS:
            LimitationEvent.objects.create(
                case=locked, kind=LimitationEvent.Kind.INTERRUPTION, on=on, note=str(t.label)
            )
            recompute_limitation(locked)
    records.adopt(case, locked)
    return case


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
