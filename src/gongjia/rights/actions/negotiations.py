"""Collective negotiation: offer to filing, representatives, clauses, online votes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit
from gongjia.platform import counters, events, scope, validators
from gongjia.rights import clocks
from gongjia.rights.events import (
    BALLOT_CLOSED,
    BALLOT_OPENED,
    CLAUSE_PROPOSED,
    INFORMATION_REQUESTED,
    NEGOTIATION_OPENED,
    REPRESENTATIVE_APPOINTED,
    ROUND_RECORDED,
    VOTE_CAST,
)
from gongjia.rights.models import (
    Ballot,
    Clause,
    ClauseVersion,
    Demand,
    InformationRequest,
    Negotiation,
    Representative,
    Round,
    Vote,
)
from gongjia.rights.workflows import N_TERMINAL, negotiation_workflow

# --- collective negotiation ---------------------------------------------------------------------

NEGOTIATION_FIELDS = (
    "title",
    "level",
    "kind",
    "enterprise",
    "online",
    "workers",
    "offer_text",
    "offer_delivered_on",
    "congress_total",
    "congress_present",
    "congress_yes",
    "signed_on",
    "submitted_on",
    "received_by_labour_dept_on",
    "effective_on",
    "published_on",
    "term_months",
    "explanation",
)


# The clock a step starts: (parameter, the field or None for the step's day).
@transaction.atomic
def open_negotiation(*, acting_user, unit: OrgUnit, covered=(), **fields) -> Negotiation:
    scope.require(acting_user, "add", unit, model=Negotiation)
    unknown = set(fields) - set(NEGOTIATION_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    n = Negotiation(unit=unit, **fields)
    n.number = f"XS{timezone.localdate().year}{counters.allocate('negotiation')[0]:05d}"
    n.full_clean()
    n.save()
    if covered:
        n.covered.set(covered)
    events.record(
        NEGOTIATION_OPENED,
        actor=acting_user,
        obj=n,
        data={"to": n.status},
    )
    return n


@transaction.atomic
def update_negotiation(n: Negotiation, *, acting_user, covered=None, **fields) -> Negotiation:
    scope.require(acting_user, "change", n)
    n = Negotiation.objects.select_for_update().get(pk=n.pk)
    for k, v in fields.items():
        if k not in NEGOTIATION_FIELDS:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(n, k, v)
    n.full_clean()
    n.save()
    if covered is not None:
        n.covered.set(covered)
    return n


def seat(n: Negotiation, *, acting_user, side, name, appointed_on, id_number="", **fields):
    """Appoint a representative; a vacancy left open more than 15 days shows as a clock."""

    scope.require(acting_user, "change", n)
    r = Representative(negotiation=n, side=side, name=name, appointed_on=appointed_on, **fields)
    if id_number:
        r.id_number = validators.validate_id_number(id_number)
    r.full_clean()
    with transaction.atomic():
        r.save()
        events.record(
            REPRESENTATIVE_APPOINTED,
            actor=acting_user,
            obj=n,
            data={"side": side, "name": name, "chief": r.chief, "outsider": r.outsider},
        )
    return r


def negotiation_step(
    n: Negotiation, name: str, *, acting_user, note: str = "", on=None, values=None
) -> Negotiation:
    """One step of a negotiation on a given day; its clock, checks and consequences are
    declared on the step (`workflows.negotiation_workflow`, `steps`)."""
    return negotiation_workflow.run(
        n, name, acting_user=acting_user, note=note, on=on, values=values
    )


def add_demand(n: Negotiation, *, user, text: str) -> Demand:
    text = (text or "").strip()
    if len(text) < 4:
        raise ValidationError({"text": _("Say a little more about your demand.")})
    if n.status in N_TERMINAL:
        raise ValidationError(_("This negotiation is over."))
    return Demand.objects.create(negotiation=n, author=user, text=text)


@transaction.atomic
def propose(clause: Clause, *, acting_user, side: str, text: str) -> ClauseVersion:
    """A new version of a clause: a proposal or a counter-proposal; earlier ones stay."""
    scope.require(acting_user, "change", clause.negotiation)
    Clause.objects.select_for_update().filter(pk=clause.pk).first()
    last = clause.versions.order_by("-version").values_list("version", flat=True).first() or 0
    v = ClauseVersion(
        clause=clause, version=last + 1, side=side, text=text, proposed_by=scope.person(acting_user)
    )
    v.full_clean()
    v.save()
    events.record(
        CLAUSE_PROPOSED,
        actor=acting_user,
        obj=clause.negotiation,
        data={"clause": clause.number, "version": v.version, "side": side},
    )
    return v


def open_ballot(n: Negotiation, *, acting_user, question: str, options: list[str], side="workers"):
    scope.require(acting_user, "change", n)
    options = [o.strip() for o in options if o and o.strip()]
    if len(options) < 2 or len(set(options)) != len(options):
        raise ValidationError({"options": _("Give at least two different options.")})
    if n.status not in (Negotiation.Status.IN_NEGOTIATION, Negotiation.Status.DRAFT_AGREED):
        raise ValidationError(_("Representatives vote during the talks."))
    b = Ballot.objects.create(negotiation=n, question=question, options=options, side=side)
    events.record(
        BALLOT_OPENED,
        actor=acting_user,
        obj=n,
        data={"ballot": b.pk, "question": question},
    )
    return b


def cast_vote(ballot: Ballot, *, user, choice: str) -> Vote:
    """One person one vote: a representative of the ballot's side, in office, while the ballot
    is open. Voting again changes the vote; every change is on the record."""
    with transaction.atomic():
        b = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if b.closed_at is not None:
            raise ValidationError(_("This vote is closed."))
        if choice not in b.options:
            raise ValidationError({"choice": _("Choose one of the options.")})
        rep = Representative.objects.filter(
            negotiation_id=b.negotiation_id, side=b.side, user=user, vacated_on__isnull=True
        ).first()
        if rep is None:
            raise PermissionDenied(_("Only the representatives of this side vote here."))
        now = timezone.now()
        vote = Vote.objects.filter(ballot=b, representative=rep).first()
        if vote is None:
            vote = Vote.objects.create(ballot=b, representative=rep, choice=choice, cast_at=now)
            before = None
        else:
            before = vote.choice
            vote.choice, vote.cast_at, vote.changes = choice, now, vote.changes + 1
            vote.save(update_fields=["choice", "cast_at", "changes"])
        events.record(
            VOTE_CAST,
            actor=user,
            obj=b.negotiation,
            data={"ballot": b.pk, "from": before, "to": choice},
        )
    return vote


def close_ballot(ballot: Ballot, *, acting_user) -> Ballot:
    """Count and seal: the result and a SHA-256 over the votes are fixed; no vote changes after."""
    import hashlib
    import json

    with transaction.atomic():
        b = Ballot.objects.select_for_update().get(pk=ballot.pk)
        scope.require(acting_user, "change", b.negotiation)
        if b.closed_at is not None:
            raise ValidationError(_("This vote is already closed."))
        votes = list(
            b.votes.order_by("representative_id").values_list("representative_id", "choice")
        )
        eligible = Representative.objects.filter(
            negotiation_id=b.negotiation_id, side=b.side, vacated_on__isnull=True
        ).count()
        counts = {o: sum(1 for _r, c in votes if c == o) for o in b.options}
        b.closed_at = timezone.now()
        b.result = {"eligible": eligible, "voted": len(votes), "counts": counts}
        payload = json.dumps({"ballot": b.pk, "votes": votes, "result": b.result}, sort_keys=True)
        b.seal = hashlib.sha256(payload.encode()).hexdigest()
        b.save(update_fields=["closed_at", "result", "seal"])
        events.record(
            BALLOT_CLOSED,
            actor=acting_user,
            obj=b.negotiation,
            data={"ballot": b.pk, "result": b.result, "seal": b.seal},
        )
    return b


def request_information(n: Negotiation, *, acting_user, what: str, on=None) -> InformationRequest:
    scope.require(acting_user, "change", n)
    on = on or timezone.localdate()
    r = InformationRequest(
        negotiation=n,
        what=(what or "").strip(),
        requested_on=on,
        due_on=clocks.due_date("information", on),
    )
    r.full_clean()
    r.save()
    events.record(
        INFORMATION_REQUESTED,
        actor=acting_user,
        obj=n,
        data={"what": r.what, "due": r.due_on.isoformat()},
    )
    return r


def information_supplied(r: InformationRequest, *, acting_user, on=None) -> InformationRequest:
    scope.require(acting_user, "change", r.negotiation)
    if r.supplied_on:
        raise ValidationError(_("This information was already supplied."))
    r.supplied_on = on or timezone.localdate()
    r.save(update_fields=["supplied_on"])
    return r


def record_round(
    n: Negotiation, *, acting_user, held_on, recorder: str, minutes: str, signed_by_chiefs=False
):
    """A meeting with its minutes; the recorder is neutral, not a representative (CCP art. 33)."""
    scope.require(acting_user, "change", n)
    recorder = (recorder or "").strip()
    if n.representatives.filter(name=recorder, vacated_on__isnull=True).exists():
        raise ValidationError({"recorder": _("The recorder cannot be a representative.")})
    r = Round(
        negotiation=n,
        held_on=held_on,
        recorder=recorder,
        minutes=minutes,
        signed_by_chiefs=signed_by_chiefs,
    )
    r.full_clean()
    r.save()
    events.record(
        ROUND_RECORDED,
        actor=acting_user,
        obj=n,
        data={"held_on": held_on.isoformat(), "signed_by_chiefs": signed_by_chiefs},
    )
    return r
