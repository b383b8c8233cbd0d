"""The arithmetic of marking, ranking, rechecks, awards and promotion (competitions.md §1–3).

Pure functions over numbers, no database: the actions and the results read them, and the
worked examples of the domain file are their tests. Marks are exact fractions (a maximum mark is
a multiple of 0.05, a judge's score an integer 0–3, a deduction a decimal percentage), so a
total is never rounded before it is ranked and two equal totals are equal, not nearly so; they
are rounded to two places only where a person reads them.
"""

import random
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

# --- measurement aspects (competitions.md §1, calculation types) ------------------------------

PASS_FAIL = "pass_fail"
COMPLETED = "completed"
CHOICE = "choice"
RANGED = "ranged"
CALCULATIONS = (PASS_FAIL, COMPLETED, CHOICE, RANGED)

# --- panel aggregations (competitions.md §3) ---------------------------------------------------

SPREAD_CHECKED = "spread_checked"  # the WorldSkills judgement rule: three scores, spread ≤ limit
MEAN = "mean"
TRIMMED = "trimmed"
TWO_CLOSEST = "two_closest"
AGGREGATIONS = (SPREAD_CHECKED, MEAN, TRIMMED, TWO_CLOSEST)

JUDGEMENT_TOP = 3  # the judgement scale is 0–3 (firm)
PANEL = 3  # three judges score a judgement aspect independently (firm)


class MarkingError(ValueError):
    """A mark that cannot be given as entered; the message says what to fix."""


def exact(number) -> Fraction:
    """A mark, a score or a percentage as an exact fraction (a float through its decimal
    text, so 0.05 is 1/20 and not the binary number nearest to it)."""
    if isinstance(number, Fraction):
        return number
    if isinstance(number, float):
        return Fraction(Decimal(repr(number)))
    return Fraction(Decimal(str(number)) if isinstance(number, str) else number)


def valid_maximum(maximum) -> bool:
    """A maximum mark is positive and a multiple of 0.05 (firm, as in published schemes)."""
    m = exact(maximum)
    return m > 0 and (m * 20).denominator == 1


def _deducted(maximum: Fraction, deduction) -> Fraction:
    d = exact(deduction)
    if not 0 <= d <= 100:
        raise MarkingError(_("A deduction is a percentage from 0 to 100."))
    return maximum * (1 - d / 100)


def measurement(maximum, calculation: str, params: dict, value) -> Fraction:
    """The mark of a measurement aspect for what was measured.

    - pass/fail: `value` true when the requirement is met: the maximum, else 0;
    - number completed: `params["n"]` possible, `value` completed: max × completed ÷ n;
    - choice: `params["choices"]` a list of {label, deduction %}, `value` the index chosen:
      max × (1 − deduction ÷ 100);
    - ranged: `params["ranges"]` a list of {low, high, deduction %} (both ends included), `value`
      the measured value: the range containing it sets the deduction; outside every range, 0.
    """
    m = exact(maximum)
    if calculation == PASS_FAIL:
        return m if value else Fraction(0)
    if calculation == COMPLETED:
        n = int(params["n"])
        done = exact(value)
        if done.denominator != 1 or not 0 <= done <= n:
            raise MarkingError(_("Enter a whole number from 0 to %(n)d.") % {"n": n})
        return m * done / n
    if calculation == CHOICE:
        choices = params["choices"]
        if not isinstance(value, int) or not 0 <= value < len(choices):
            raise MarkingError(_("Choose one of the %(n)d choices.") % {"n": len(choices)})
        return _deducted(m, choices[value]["deduction"])
    if calculation == RANGED:
        measured = exact(value)
        for r in params["ranges"]:
            if exact(r["low"]) <= measured <= exact(r["high"]):
                return _deducted(m, r["deduction"])
        return Fraction(0)
    raise MarkingError(_("Unknown calculation type."))


# --- judgement aspects -------------------------------------------------------------------------


def spread(scores) -> int:
    return max(scores) - min(scores) if scores else 0


def check_scores(scores, aggregation: str, spread_limit) -> None:
    """Refuse a panel's scores that cannot be saved: each 0–3; for the WorldSkills rule three of
    them, no further apart than the rule group's limit (the judges discuss and score again)."""
    for s in scores:
        if not isinstance(s, int) or not 0 <= s <= JUDGEMENT_TOP:
            raise MarkingError(_("A judgement score is a whole number from 0 to 3."))
    if aggregation == SPREAD_CHECKED:
        if len(scores) != PANEL:
            raise MarkingError(_("A judgement aspect is scored by three judges."))
        if spread(scores) > spread_limit:
            raise MarkingError(
                _(
                    "The scores %(s)s are %(d)d apart, more than %(l)s: the judges discuss the"
                    " aspect and score it again."
                )
                % {"s": "、".join(map(str, scores)), "d": spread(scores), "l": spread_limit}
            )


def panel(scores, aggregation: str) -> Fraction:
    """The panel's score of an aspect from its judges' scores (competitions.md §3)."""
    if not scores:
        raise MarkingError(_("No score entered."))
    values = sorted(exact(s) for s in scores)
    if aggregation in (MEAN, SPREAD_CHECKED):
        return sum(values) / len(values)
    if aggregation == TRIMMED:
        kept = values[1:-1] if len(values) >= 4 else values
        return sum(kept) / len(kept)
    if aggregation == TWO_CLOSEST:
        if len(values) != 3:
            return sum(values) / len(values)
        low_gap, high_gap = values[1] - values[0], values[2] - values[1]
        if low_gap == high_gap:
            return values[1]  # equal gaps: the median
        pair = values[:2] if low_gap < high_gap else values[1:]
        return sum(pair) / 2
    raise MarkingError(_("Unknown panel aggregation."))


def judgement(maximum, scores, aggregation: str = SPREAD_CHECKED) -> Fraction:
    """Aspect mark = max × panel score ÷ 3: scores 2, 2, 3 with max 0.75 give 0.75 × 7/9 =
    0.5833… (kept unrounded)."""
    return exact(maximum) * panel(scores, aggregation) / JUDGEMENT_TOP


# --- the scheme --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionCheck:
    number: str
    weight: Fraction
    marks: Fraction

    @property
    def variation(self) -> Fraction:
        return self.marks - self.weight


def section_variation(weights: dict, aspect_marks: list[tuple[str, object]]) -> list:
    """Per standard section, the weighting against the sum of its aspects' maximum marks (a
    warning where they differ by more than the tolerance, never a block)."""
    sums: dict = {number: Fraction(0) for number in weights}
    for number, maximum in aspect_marks:
        sums[number] = sums.get(number, Fraction(0)) + exact(maximum)
    return [SectionCheck(n, exact(weights.get(n, 0)), sums[n]) for n in sums]


# --- totals and ranking ------------------------------------------------------------------------


def weighted_total(theory, practical, theory_weight, practical_weight) -> Fraction:
    """The Chinese convention: total = theory weight × theory + practical weight × practical,
    each out of 100 (0.3 and 0.7 by default, stored per competition)."""
    t = exact(theory) if theory is not None else Fraction(0)
    return exact(theory_weight) * t + exact(practical_weight) * exact(practical)


HIGHER, LOWER = "higher", "lower"


@dataclass
class Ranked:
    entry: object
    keys: tuple
    rank: int = 0
    tied: bool = False  # equal to another on every key


def rank(entries, keys, directions) -> list[Ranked]:
    """Competition ranking "1-1-3": rank = 1 + the number of entries strictly better on the
    whole key (compared key by key in order, each higher or lower being better); equal keys share
    a rank and the next is skipped. `keys(entry)` gives the tuple, `directions` says for each
    element whether higher or lower is better. Returned best first."""
    signs = [1 if d == HIGHER else -1 for d in directions]

    def order(r: Ranked):
        return tuple(
            -s * v if v is not None else float("inf") for s, v in zip(signs, r.keys, strict=True)
        )

    rows = sorted((Ranked(e, tuple(keys(e))) for e in entries), key=order)
    previous = None
    for i, r in enumerate(rows):
        here = order(r)
        if previous is not None and here == previous[0]:
            r.rank = previous[1].rank
            r.tied = previous[1].tied = True
        else:
            r.rank = i + 1
        previous = (here, r)
    return rows


def standardiser(all_raw, centre=700, k=20, clamp=100):
    """The function placing a raw total on a scale comparable across trades (never for ranking
    inside one): centre + k × (raw − median) ÷ standard deviation, clamped to centre ± clamp
    (competitions.md §2; the transform is a parameter). The field's median and spread are
    taken once."""
    values = [float(v) for v in all_raw]
    sd = statistics.pstdev(values) if len(values) >= 2 else 0.0
    if sd == 0:
        return lambda raw: float(centre)
    median = statistics.median(values)

    def place(raw) -> float:
        return max(centre - clamp, min(centre + clamp, centre + k * (float(raw) - median) / sd))

    return place


def standardised(raw, all_raw, centre=700, k=20, clamp=100) -> float:
    return standardiser(all_raw, centre, k, clamp)(raw)


# --- rechecks ----------------------------------------------------------------------------------


def recheck_sample(ranked_ids: list, top: int, share, seed) -> list:
    """What is rechecked: every one of the top `top` results, and at least `share` of the rest
    chosen at random (seeded, so the draw can be shown again)."""
    head, rest = list(ranked_ids[:top]), list(ranked_ids[top:])
    need = -(-len(rest) * exact(share).numerator // exact(share).denominator)  # rounded up
    drawn = random.Random(seed).sample(rest, min(need, len(rest)))
    return head + sorted(drawn, key=rest.index)


def recheck_everything(checked: int, wrong: int, limit) -> bool:
    """If the share of rechecked results found wrong exceeds the limit (5 %), everything is
    rechecked."""
    return checked > 0 and Fraction(wrong, checked) > exact(limit)


# --- awards and promotion ----------------------------------------------------------------------


@dataclass
class AwardRule:
    """One award of a competition's rules: to the ranks `first`..`last`, or to the entries
    within the top `share` of the field (after those above took theirs)."""

    award: str
    first: int | None = None
    last: int | None = None
    share: object = None
    label: str = ""
    extra: dict = field(default_factory=dict)


def awards(ranked: list[Ranked], rules: list[AwardRule], field_size: int | None = None) -> dict:
    """Entry → award: each rule in order gives its award to the entries not yet awarded whose
    rank it covers (by places, or by the share of the field, of `field_size` entries, counted
    from the top)."""
    given: dict = {}
    n = len(ranked) if field_size is None else field_size
    for rule in rules:
        for r in ranked:
            if r.entry in given:
                continue
            if rule.share is not None:
                if r.rank <= n * exact(rule.share):
                    given[r.entry] = rule.award
            elif (rule.first or 1) <= r.rank <= (rule.last or rule.first or 1):
                given[r.entry] = rule.award
    return given


def promoted(current: int, target: int, cap: int) -> int:
    """The level a result promotes to: the target if the person is below it, else one level
    above their own, never above the cap (一级/高级技师: 特级 and 首席 are never granted by a
    competition alone)."""
    level = target if current < target else current + 1
    return max(current, min(level, cap))
