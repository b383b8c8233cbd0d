"""/api/v1/skills: competitions, their events and entries, a judge's own marks (and entering
them), and the results once the jury has published them; every list in the caller's scope."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gongjia.platform import formatting, scope
from gongjia.platform.api_base import ERRORS, Year, page, scoped_get
from gongjia.skills import actions
from gongjia.skills.models import Aspect, Competition, Entry, Event, Judge, Mark
from gongjia.skills.results import award_labels

router = Router(tags=["skills"])


class CompetitionOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    organiser_code: str
    organiser_name: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    status: str
    status_label: str
    results_published: bool

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_organiser_code(obj):
        return obj.organiser.code

    @staticmethod
    def resolve_organiser_name(obj):
        return obj.organiser.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_results_published(obj):
        return obj.results_open


class CompetitionPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[CompetitionOut]


@router.get("/competitions", response={200: CompetitionPage, **ERRORS})
def list_competitions(
    request,
    level: Competition.Level | None = None,
    year: Year | None = None,
    organiser: str | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """Competitions in the caller's scope, newest first; `organiser` is a unit's code."""
    qs = scope.restrict(Competition.objects.select_related("organiser"), request.user)
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(year=year)
    if organiser:
        qs = qs.filter(organiser__code=organiser)
    return page(qs.order_by("-year", "-starts_on", "-pk"), offset, limit)


@router.get("/competitions/{competition_id}", response={200: CompetitionOut, **ERRORS})
def get_competition(request, competition_id: int):
    return scoped_get(request, Competition.objects.select_related("organiser"), competition_id)


class EventOut(Schema):
    id: int
    trade: str
    occupation_code: str
    skill_level: int
    skill_level_label: str
    team_size: int
    entries: int
    participants_reported: int | None

    @staticmethod
    def resolve_trade(obj):
        return obj.trade.name

    @staticmethod
    def resolve_occupation_code(obj):
        return obj.trade.occupation_code

    @staticmethod
    def resolve_skill_level_label(obj):
        return obj.get_skill_level_display()

    @staticmethod
    def resolve_entries(obj):
        return obj.n_entries  # counted with the list (list_events), not a query per event


@router.get("/competitions/{competition_id}/events", response={200: list[EventOut], **ERRORS})
def list_events(request, competition_id: int):
    competition = scoped_get(request, Competition.objects.all(), competition_id)
    events = scope.restrict(Event.objects.filter(competition=competition), request.user)
    registered = Count("entries", filter=Q(entries__status=Entry.Status.REGISTERED))
    events = events.select_related("trade").annotate(n_entries=registered)
    return list(events.order_by("trade__name"))


class EntryOut(Schema):
    id: int
    number: int
    team_name: str
    entrants: list[str]
    union_code: str
    enterprise: str
    status: str
    status_label: str

    @staticmethod
    def resolve_entrants(obj):
        return [e.member.name for e in obj.entrants.all()]

    @staticmethod
    def resolve_union_code(obj):
        return obj.union.code

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name if obj.enterprise_id else ""

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class EntryPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[EntryOut]


def _event(request, event_id: int) -> Event:
    return scoped_get(request, Event.objects.select_related("competition", "trade"), event_id)


@router.get("/events/{event_id}/entries", response={200: EntryPage, **ERRORS})
def list_entries(request, event_id: int, offset: int = 0, limit: int = 50):
    event = _event(request, event_id)
    qs = scope.restrict(Entry.objects.filter(event=event), request.user)
    qs = qs.select_related("union", "enterprise").prefetch_related("entrants__member")
    return page(qs.order_by("number"), offset, limit)


# --- a judge's marks ---------------------------------------------------------------------------


class MarkOut(Schema):
    entry_id: int
    aspect_id: int
    my_score: float | None
    round: int | None
    status: str
    status_label: str
    rescore: bool
    # Shown once the panel has scored (revealed together), never before.
    panel_scores: list[float] | None
    mark: float | None
    mark_display: str
    message: str = ""


def _mark_out(mark: Mark, judge: Judge, message: str = "") -> dict:
    scores = list(mark.scores.all())
    mine = next((s for s in scores if s.judge_id == judge.pk), None)
    revealed = mark.status != Mark.Status.PENDING or mark.rescore
    value = mark.value
    return {
        "entry_id": mark.entry_id,
        "aspect_id": mark.aspect_id,
        "my_score": mine.value if mine else None,
        "round": mine.round if mine else None,
        "status": mark.status,
        "status_label": mark.get_status_display(),
        "rescore": mark.rescore,
        "panel_scores": [s.value for s in scores] if revealed else None,
        "mark": float(value) if value is not None else None,
        "mark_display": formatting.number(float(value), 2)
        if value is not None
        else formatting.DASH,
        "message": message,
    }


@router.get("/events/{event_id}/marks", response={200: list[MarkOut], **ERRORS})
def list_marks(request, event_id: int):
    """The calling judge's marks in the event: their own score of each aspect, and the panel's
    scores and the mark once the panel has scored."""
    event = _event(request, event_id)
    judge = actions.judge_of(request.user, event)
    marks = (
        Mark.objects.filter(entry__event=event, scores__judge=judge)
        .prefetch_related("scores")
        .order_by("entry__number", "aspect__order", "aspect_id")
    )
    return [_mark_out(m, judge) for m in marks]


class ScoreIn(Schema):
    entry_id: int
    aspect_id: int
    value: float | int | bool
    typed_at: dt.datetime | None = None
    client_key: str = Field("", max_length=40)


@router.post("/events/{event_id}/marks", response={200: MarkOut, **ERRORS})
def enter_mark(request, event_id: int, payload: ScoreIn):
    """Enter (or correct) the calling judge's score of one aspect for one entry. A phone that
    was offline sends what was typed with its own time (`typed_at`) and a key of its own
    (`client_key`): the same key twice is taken once."""
    event = _event(request, event_id)
    judge = actions.judge_of(request.user, event)
    entry = Entry.objects.filter(event=event, pk=payload.entry_id).first()
    aspect = Aspect.objects.filter(sub__criterion__scheme__event=event, pk=payload.aspect_id)
    aspect = aspect.select_related("sub__criterion__scheme").first()
    if entry is None or aspect is None:
        raise Http404
    value = payload.value
    if aspect.kind == Aspect.Kind.JUDGEMENT and isinstance(value, float) and value.is_integer():
        value = int(value)
    mark = actions.enter_score(
        entry,
        aspect,
        value,
        acting_user=request.user,
        typed_at=payload.typed_at,
        client_key=payload.client_key,
    )
    mark = Mark.objects.prefetch_related("scores").get(pk=mark.pk)
    message = actions.spread_message(mark) if mark.rescore else ""
    return _mark_out(mark, judge, message)


# --- results -----------------------------------------------------------------------------------


class ResultOut(Schema):
    entry_id: int
    number: int
    rank: int | None
    entrants: list[str]
    team_name: str
    union_code: str
    practical: float | None
    total: float | None
    total_display: str
    award: str
    award_label: str
    tied: bool


@router.get("/events/{event_id}/results", response={200: list[ResultOut], **ERRORS})
def list_results(request, event_id: int):
    """The event's results, best first: only once the jury has published them (before, to the
    jury alone)."""
    event = _event(request, event_id)
    competition = event.competition
    if not competition.results_visible_to(request.user):
        raise PermissionDenied(_("The results are confidential until the jury publishes them."))
    labels = dict(award_labels())
    entries = (
        Entry.objects.filter(event=event, status=Entry.Status.REGISTERED, rank__isnull=False)
        .select_related("union")
        .prefetch_related("entrants__member")
        .order_by("rank", "number")
    )
    return [
        {
            "entry_id": e.pk,
            "number": e.number,
            "rank": e.rank,
            "entrants": [x.member.name for x in e.entrants.all()],
            "team_name": e.team_name,
            "union_code": e.union.code,
            "practical": float(e.practical) if e.practical is not None else None,
            "total": float(e.total) if e.total is not None else None,
            "total_display": formatting.number(float(e.total), 2)
            if e.total is not None
            else formatting.DASH,
            "award": e.award,
            "award_label": str(labels.get(e.award, "")),
            "tied": e.tied,
        }
        for e in entries
    ]
