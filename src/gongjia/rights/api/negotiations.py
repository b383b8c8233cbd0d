"""/api/v1/rights/negotiations and /ballots: collective negotiation online and offline."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Schema, Status

from gongjia.accounts.models import User
from gongjia.orgs.models import Enterprise
from gongjia.platform import scope, workdays
from gongjia.platform.api_base import (
    ERRORS,
    TransitionIn,
    record_endpoints,
    reference,
    references,
    scoped_get,
    transition_endpoints,
)
from gongjia.rights import actions, selectors
from gongjia.rights.api.base import router, under_branch, unit_ref
from gongjia.rights.models import (
    Ballot,
    Clause,
    Negotiation,
    Representative,
)
from gongjia.rights.workflows import negotiation_workflow

# --- collective negotiation ---------------------------------------------------------------------


class RepresentativeOut(Schema):
    id: int
    side: str
    name: str
    chief: bool
    outsider: bool
    appointed_on: dt.date
    vacated_on: dt.date | None


class ClauseOut(Schema):
    id: int
    number: int
    title: str
    versions: list[dict]

    @staticmethod
    def resolve_versions(obj):
        return [{"version": v.version, "side": v.side, "text": v.text} for v in obj.versions.all()]


class BallotOut(Schema):
    id: int
    question: str
    options: list[str]
    side: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    result: dict | None
    seal: str


class RoundOut(Schema):
    held_on: dt.date
    recorder: str
    minutes: str
    signed_by_chiefs: bool


class InformationOut(Schema):
    id: int
    what: str
    requested_on: dt.date
    due_on: dt.date
    supplied_on: dt.date | None


class NegotiationOut(Schema):
    id: int
    number: str
    title: str
    unit_code: str
    level: str
    kind: str
    enterprise_id: int | None
    covered: list[int]
    online: bool
    status: str
    offer_delivered_on: dt.date | None
    congress_total: int | None
    congress_present: int | None
    congress_yes: int | None
    signed_on: dt.date | None
    submitted_on: dt.date | None
    effective_on: dt.date | None
    published_on: dt.date | None
    term_months: int | None
    expires_on: dt.date | None
    clock: str
    due_on: dt.date | None
    due_on_provisional: bool = Field(
        False, description="计算所跨年份的国家节假日安排尚未录入：期限为暂定"
    )
    seat_problems: list[str]
    representatives: list[RepresentativeOut]
    clauses: list[ClauseOut]
    ballots: list[BallotOut]
    rounds: list[RoundOut]
    information_requests: list[InformationOut]

    @staticmethod
    def resolve_due_on_provisional(obj):
        return workdays.provisional(obj.due_on)

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_covered(obj):
        return [e.pk for e in obj.covered.all()]

    @staticmethod
    def resolve_seat_problems(obj):
        return selectors.seat_problems_of(obj)

    @staticmethod
    def resolve_representatives(obj):
        return list(obj.representatives.all())

    @staticmethod
    def resolve_clauses(obj):
        return list(obj.clauses.all())

    @staticmethod
    def resolve_ballots(obj):
        return list(obj.ballots.all())

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())

    @staticmethod
    def resolve_information_requests(obj):
        return list(obj.information_requests.all())


class NegotiationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[NegotiationOut]


class NegotiationIn(Schema):
    unit_code: str
    title: str = Field(..., min_length=2, max_length=200)
    level: Negotiation.Level
    kind: Negotiation.Kind = Negotiation.Kind.WAGE
    enterprise_id: int | None = None
    covered: list[int] = []
    online: bool = False
    workers: int | None = Field(None, ge=0)
    offer_text: str = ""


class NegotiationPatch(Schema):
    title: str | None = Field(None, min_length=2, max_length=200)
    online: bool | None = None
    workers: int | None = Field(None, ge=0)
    offer_text: str | None = None
    offer_delivered_on: dt.date | None = None
    congress_total: int | None = Field(None, ge=0)
    congress_present: int | None = Field(None, ge=0)
    congress_yes: int | None = Field(None, ge=0)
    signed_on: dt.date | None = None
    submitted_on: dt.date | None = None
    received_by_labour_dept_on: dt.date | None = None
    published_on: dt.date | None = None
    term_months: int | None = Field(None, ge=1)
    explanation: str | None = None


class NegotiationFilter(FilterSchema):
    status: Negotiation.Status | None = None
    level: Negotiation.Level | None = None
    kind: Negotiation.Kind | None = None
    online: bool | None = None
    under: str | None = None

    def filter_under(self, value):
        return under_branch(value, "unit__path")


NEGOTIATIONS = Negotiation.objects.select_related("unit").prefetch_related(
    "covered", "representatives", "clauses__versions", "ballots", "rounds", "information_requests"
)


def _enterprises(request, ids, field):
    return references(
        scope.restrict(Enterprise.objects.all(), request.user), field, _("Enterprise"), ids
    )


def _create_negotiation(request, payload):
    data = payload.dict()
    unit = unit_ref(request, Negotiation, data.pop("unit_code"), "unit_code")
    covered = _enterprises(request, data.pop("covered"), "covered")
    ent = data.pop("enterprise_id")
    data["enterprise"] = _enterprises(request, [ent], "enterprise_id")[0] if ent else None
    return actions.open_negotiation(acting_user=request.user, unit=unit, covered=covered, **data)


def _change_negotiation(request, n, data):
    actions.update_negotiation(n, acting_user=request.user, **data)


record_endpoints(
    router,
    "/negotiations/{nid}",
    names=("list_negotiations", "create_negotiation", "get_negotiation", "update_negotiation"),
    queryset=NEGOTIATIONS,
    out=NegotiationOut,
    page_out=NegotiationPage,
    filters=NegotiationFilter,
    create=(NegotiationIn, _create_negotiation),
    change=(NegotiationPatch, _change_negotiation),
)


class NegotiationTransitionIn(TransitionIn):
    values: dict = {}


def _take_negotiation_step(request, n, payload):
    # Dates, figures and texts a step may record; references are set through PATCH.
    allowed = {
        f
        for f in actions.NEGOTIATION_FIELDS
        if not Negotiation._meta.get_field(f).is_relation and f not in ("level", "kind")
    }
    unknown = set(payload.values) - allowed
    if unknown:
        raise ValidationError({k: [_("This step cannot set this field.")] for k in unknown})
    # Dates arrive as text: let the model parse them as the form would.
    values = {k: Negotiation._meta.get_field(k).to_python(v) for k, v in payload.values.items()}
    actions.negotiation_step(
        n, payload.name, acting_user=request.user, note=payload.note, on=payload.on, values=values
    )


transition_endpoints(
    router,
    "/negotiations/{nid}",
    name="negotiation",
    queryset=NEGOTIATIONS,
    workflow=negotiation_workflow,
    out=NegotiationOut,
    take=_take_negotiation_step,
    payload=NegotiationTransitionIn,
)


class RepresentativeIn(Schema):
    side: Representative.Side
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = ""
    chief: bool = False
    outsider: bool = False
    appointed_on: dt.date
    username: str | None = None


@router.post("/negotiations/{nid}/representatives", response={201: NegotiationOut, **ERRORS})
def add_representative(request, nid: int, payload: RepresentativeIn):

    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    data = payload.dict()
    username = data.pop("username")
    if username:
        data["user"] = reference(
            User.objects.filter(is_active=True),
            "username",
            _("User"),
            scoped=False,
            username=username,
        )
    actions.seat(n, acting_user=request.user, **data)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class ProposalIn(Schema):
    number: int = Field(..., ge=1)
    title: str = Field(..., min_length=1, max_length=100)
    side: Representative.Side
    text: str = Field(..., min_length=1)


@router.post("/negotiations/{nid}/clauses", response={201: NegotiationOut, **ERRORS})
def propose_clause(request, nid: int, payload: ProposalIn):
    """A proposal or counter-proposal for clause `number` (created on its first proposal)."""
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    clause, _created = Clause.objects.get_or_create(
        negotiation=n, number=payload.number, defaults={"title": payload.title}
    )
    actions.propose(clause, acting_user=request.user, side=payload.side, text=payload.text)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class BallotIn(Schema):
    question: str = Field(..., min_length=2, max_length=300)
    options: list[str]
    side: Representative.Side = Representative.Side.WORKERS


@router.post("/negotiations/{nid}/ballots", response={201: BallotOut, **ERRORS})
def open_ballot(request, nid: int, payload: BallotIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    return Status(201, actions.open_ballot(n, acting_user=request.user, **payload.dict()))


class VoteIn(Schema):
    choice: str


@router.post("/ballots/{bid}/votes", response={200: BallotOut, **ERRORS})
def vote(request, bid: int, payload: VoteIn):
    """A representative's vote (their own account); voting again changes it until closed."""
    ballot = Ballot.objects.filter(pk=bid).first()
    if ballot is None:
        raise Http404
    actions.cast_vote(ballot, user=request.user, choice=payload.choice)
    ballot.refresh_from_db()
    return ballot


@router.post("/ballots/{bid}/close", response={200: BallotOut, **ERRORS})
def close_ballot(request, bid: int):
    ballot = scoped_get(request, Ballot.objects.all(), bid, "change")
    return actions.close_ballot(ballot, acting_user=request.user)


class RoundIn(Schema):
    held_on: dt.date
    recorder: str = Field(..., min_length=1, max_length=50)
    minutes: str = Field(..., min_length=1)
    signed_by_chiefs: bool = False


@router.post("/negotiations/{nid}/rounds", response={201: NegotiationOut, **ERRORS})
def add_round(request, nid: int, payload: RoundIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    actions.record_round(n, acting_user=request.user, **payload.dict())
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class InformationIn(Schema):
    what: str = Field(..., min_length=2, max_length=300)
    on: dt.date | None = None


@router.post("/negotiations/{nid}/information", response={201: NegotiationOut, **ERRORS})
def ask_information(request, nid: int, payload: InformationIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    actions.request_information(n, acting_user=request.user, what=payload.what, on=payload.on)
    return Status(201, NEGOTIATIONS.get(pk=n.pk))


class SuppliedIn(Schema):
    on: dt.date | None = None


@router.post(
    "/negotiations/{nid}/information/{rid}/supplied", response={200: NegotiationOut, **ERRORS}
)
def information_supplied(request, nid: int, rid: int, payload: SuppliedIn):
    n = scoped_get(request, NEGOTIATIONS, nid, "change")
    r = n.information_requests.filter(pk=rid).first()
    if r is None:
        raise Http404
    actions.information_supplied(r, acting_user=request.user, on=payload.on)
    return NEGOTIATIONS.get(pk=n.pk)
