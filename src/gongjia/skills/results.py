"""An event's results from its marks: the practical from the aspects' marks (recomputed from
the judges' scores, the record of what was marked), the total with the theory paper, the
1-1-3 ranking with the competition's tie-breaks, the awards and the standardised score.

Fast by construction: one query for the scores, one for the entries; a mark is summed as an
integer over the denominator it has (900 for three judges' 0–3 scores with a maximum in
hundredths) and each total made an exact fraction once."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from gongjia.platform import events, formatting, parameters
from gongjia.skills import marking
from gongjia.skills.events import RESULTS_COMPUTED
from gongjia.skills.models import Aspect, Competition, Entry, Event, Score

# The keys a competition may break ties by, after the total: what each reads, and which way
# is better.
TIE_BREAKS = {
    "practical": ("practical", marking.HIGHER),
    "practical_time": ("practical_seconds", marking.LOWER),
    "theory": ("theory", marking.HIGHER),
}
DEFAULT_TIE_BREAKS = ["practical", "practical_time"]


def award_labels():
    return [
        ("first", _("First prize")),
        ("second", _("Second prize")),
        ("third", _("Third prize")),
        ("merit", _("Merit award")),
    ]


@dataclass(eq=False)  # told apart by identity: an award is given to this result
class Result:
    entry: Entry
    practical: Fraction
    total: Fraction


def read_score(aspect: Aspect, value: float):
    """A stored score as the arithmetic takes it: a whole number for a judgement, a number
    completed or a choice, met or not for pass/fail, the value measured for a ranged score."""
    if aspect.kind == Aspect.Kind.JUDGEMENT or aspect.calculation in (
        marking.COMPLETED,
        marking.CHOICE,
    ):
        return int(value)
    if aspect.calculation == marking.PASS_FAIL:
        return bool(value)
    return value


def aspect_marks(event: Event) -> dict[int, Fraction]:
    """Entry id → the sum of its aspects' marks (the practical, out of 100 when the sections'
    weightings sum to 100), each mark computed again from its scores."""
    aspects = {
        a.pk: a
        for a in Aspect.objects.filter(sub__criterion__scheme__event=event).only(
            "pk", "kind", "max_mark", "calculation", "params", "aggregation"
        )
    }
    scores = Score.objects.filter(mark__entry__event=event, mark__aspect__in=list(aspects))
    rows = scores.order_by().values_list("mark__entry_id", "mark__aspect_id", "mark_id", "value")
    by_mark: dict = defaultdict(list)
    owner: dict = {}
    for entry_id, aspect_id, mark_id, value in rows.iterator(chunk_size=20_000):
        by_mark[mark_id].append(value)
        owner[mark_id] = (entry_id, aspect_id)
    sums: dict = defaultdict(lambda: defaultdict(int))  # entry → denominator → numerator
    for mark_id, values in by_mark.items():
        entry_id, aspect_id = owner[mark_id]
        a = aspects[aspect_id]
        centi = int(a.max_mark * 100)
        if a.kind == Aspect.Kind.JUDGEMENT and a.aggregation in (
            marking.MEAN,
            marking.SPREAD_CHECKED,
        ):
            # max × mean ÷ 3 = (centi ÷ 100) × Σ ÷ (n × 3), kept as an integer over 300 n
            sums[entry_id][300 * len(values)] += centi * int(sum(values))
            continue
        values = [read_score(a, v) for v in values]
        if a.kind == Aspect.Kind.JUDGEMENT:
            mark = marking.judgement(Fraction(centi, 100), values, a.aggregation)
        else:
            mark = marking.measurement(Fraction(centi, 100), a.calculation, a.params, values[0])
        sums[entry_id][mark.denominator] += mark.numerator
    return {
        entry_id: sum((Fraction(n, d) for d, n in parts.items()), Fraction(0))
        for entry_id, parts in sums.items()
    }


def compute(event: Event) -> list[marking.Ranked]:
    """The ranked results of an event (best first), each `Ranked.entry` a `Result`."""
    competition: Competition = event.competition
    entries = list(event.entries.filter(status=Entry.Status.REGISTERED))
    practicals = aspect_marks(event)
    tw, pw = marking.exact(competition.theory_weight), marking.exact(competition.practical_weight)
    results = []
    for e in entries:
        practical = practicals.get(e.pk, Fraction(0))
        total = marking.weighted_total(e.theory, practical, tw, pw)
        results.append(Result(e, practical, total))
    names = competition.tie_breaks or DEFAULT_TIE_BREAKS
    breaks = [TIE_BREAKS[n] for n in names if n in TIE_BREAKS]

    def keys(r: Result):
        values = [r.total]
        for field, _direction in breaks:
            if field == "practical":
                values.append(r.practical)
            else:
                v = getattr(r.entry, field)
                values.append(None if v is None else marking.exact(v))
        values.append(r.entry.jury_place)  # a place the jury gave to break a tie, if any
        return values

    directions = [marking.HIGHER, *(d for _f, d in breaks), marking.LOWER]
    return marking.rank(results, keys, directions)


def _decimal(value: Fraction, places: str = "0.000001") -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def award_rules(competition: Competition) -> list[marking.AwardRule]:
    rules = competition.award_rules or parameters.value(
        "skills.default_awards", on=competition.starts_on
    )
    return [
        marking.AwardRule(r["award"], r.get("first"), r.get("last"), r.get("share")) for r in rules
    ]


RESULT_FIELDS = ("practical", "total", "rank", "tied", "award", "standardised")


def _write(rows: list[Entry], chunk: int = 500) -> None:
    """The results of many entries in one UPDATE per `chunk` rows, joined to a VALUES list
    (PostgreSQL, and SQLite since 3.33, name its columns column1, column2 …). Django's
    bulk_update builds a CASE per row and field, which costs more than the results' arithmetic
    for an event of 500."""
    from django.db import connection

    table = connection.ops.quote_name(Entry._meta.db_table)
    sets = ", ".join(
        f"{connection.ops.quote_name(Entry._meta.get_field(f).column)} = v.column{i + 2}"
        for i, f in enumerate(RESULT_FIELDS)
    )
    row = "(" + ", ".join(["%s"] * (len(RESULT_FIELDS) + 1)) + ")"
    with connection.cursor() as cur:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            values = ", ".join([row] * len(part))
            params = [p for e in part for p in (e.pk, *(getattr(e, f) for f in RESULT_FIELDS))]
            cur.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v"  # noqa: S608
                f" WHERE {table}.id = v.column1",
                params,
            )


def apply(event: Event, *, acting_user) -> list[marking.Ranked]:
    """Compute the event's results and write them on its entries (one update for all); the
    event's timeline says who computed them and how many."""
    competition = event.competition
    ranked = compute(event)
    forbid_shared = not competition.shared_ranks
    blocked = {id(r) for r in ranked if r.tied and forbid_shared}
    # Awards go by places only where no tie stands undecided among the places they cover.
    rules = award_rules(competition)
    given = marking.awards([r for r in ranked if id(r) not in blocked], rules, len(ranked))
    std = parameters.value("skills.standardisation", on=competition.starts_on)
    place = marking.standardiser([r.entry.total for r in ranked], **std)
    rows = []
    for r in ranked:
        e: Entry = r.entry.entry
        e.practical = _decimal(r.entry.practical)
        e.total = _decimal(r.entry.total)
        e.rank = r.rank
        e.tied = id(r) in blocked
        e.award = given.get(r.entry, "")
        e.standardised = Decimal(str(round(place(r.entry.total), 2)))
        rows.append(e)
    _write(rows)
    events.record(RESULTS_COMPUTED, actor=acting_user, obj=event, data={"entries": len(rows)})
    return ranked


def table(entries) -> list[dict]:
    """The ranked entries of `entries` (in its order) as the results page, the results list and
    the comparison across trades show them, every number in words."""
    labels = dict(award_labels())
    entries = (
        entries.filter(status=Entry.Status.REGISTERED, rank__isnull=False)
        .select_related("enterprise", "union", "event__trade")
        .prefetch_related("entrants__member")
    )
    return [
        {
            "entry": e,
            "rank": e.rank,
            "number": e.number,
            "names": "、".join(x.member.name for x in e.entrants.all()),
            "team": e.team_name,
            "unit": e.enterprise.name if e.enterprise else e.union.name,
            "trade": e.event.trade.name,
            "total": formatting.number(float(e.total), 2) if e.total is not None else "",
            "standardised": formatting.number(float(e.standardised), 2)
            if e.standardised is not None
            else "",
            "award": labels.get(e.award, ""),
        }
        for e in entries
    ]
