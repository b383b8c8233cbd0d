"""Share rules and caps of a selection checked in whole people (honours.md §2).

A rule is data: {"category", "op" (">=", ">", "<=", "<"), "pct" (a decimal string: "60"), "base"
("all" or a category)}; a cap given as a number (控制数) has "count" instead of "pct". Counts are
people, so the arithmetic is on integers with the percentage an exact fraction:
- "≥ p": required = ceil(p × base); "> p": required = floor(p × base) + 1;
- "≤ p": allowed = floor(p × base); "< p": allowed = ceil(p × base) − 1;
- a number compares directly ("≤ 2": allowed 2; "< 2": allowed 1; "≥ 3": required 3).
Each result says the count and share, the required or allowed count, and the slack (how far
above a minimum or below a cap) or the shortfall (people missing, or over the cap), with the
difference in percentage points."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from gongjia.platform import formatting, parameters

MINIMUMS, CAPS = (">=", ">"), ("<=", "<")
OPERATORS = (*MINIMUMS, *CAPS)
SHOWN = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


@dataclass(frozen=True)
class Result:
    rule: dict
    label: str  # the rule in words: "产业工人 > 60%（全部人选）"
    base: int  # people the share is of
    count: int  # people of the category among them
    share: Fraction | None  # count ÷ base (None of nobody)
    minimum: bool  # a minimum (else a cap)
    line: int  # people required (a minimum) or allowed (a cap)
    met: bool
    slack: int  # people to spare
    shortfall: int  # people missing (a minimum) or over (a cap)
    points: Decimal | None  # share minus the percentage, in percentage points

    @property
    def share_display(self) -> str:
        return "—" if self.share is None else formatting.share(float(self.share))

    @property
    def points_display(self) -> str:
        if self.points is None:
            return "—"
        sign = "+" if self.points > 0 else ""
        return _("%(p)s pp") % {"p": f"{sign}{formatting.number(self.points, 1)}"}

    def sentence(self) -> str:
        word = _("required") if self.minimum else _("allowed")
        state = (
            _("%(n)s to spare") % {"n": self.slack}
            if self.met
            else (
                _("%(n)s short") % {"n": self.shortfall}
                if self.minimum
                else _("%(n)s over") % {"n": self.shortfall}
            )
        )
        return _("%(rule)s: %(c)s of %(b)s (%(s)s), %(w)s %(l)s, %(state)s") % {
            "rule": self.label,
            "c": self.count,
            "b": self.base,
            "s": self.share_display,
            "w": word,
            "l": self.line,
            "state": state,
        }


def categories() -> dict[str, str]:
    """The dictionary of categories: key → label in the reader's language."""
    return {c["key"]: parameters.words(c["label"]) for c in parameters.value("honours.categories")}


def industrial_categories(on=None) -> frozenset:
    return frozenset(parameters.value("honours.industrial_categories", on))


def categories_of(member_category: str, sex: str, declared, industrial: frozenset) -> set[str]:
    """A nominee's categories: those the registry says (an industrial worker by the registry's
    worker category, a woman by sex) and those declared on the nomination."""
    found = set(declared or ())
    found.discard("industrial")  # never declared: the registry says it
    found.discard("woman")
    if member_category in industrial:
        found.add("industrial")
    if sex == "F":
        found.add("woman")
    return found


def fraction(pct) -> Fraction:
    return Fraction(str(pct)) / 100


def line(rule: dict, base: int) -> int:
    """The people a rule requires (a minimum) or allows (a cap) of `base` people."""
    op = rule["op"]
    if "count" in rule and rule["count"] not in (None, ""):
        n = int(rule["count"])
        return {">=": n, ">": n + 1, "<=": n, "<": n - 1}[op]
    p = fraction(rule["pct"]) * base
    if op == ">=":
        return math.ceil(p)
    if op == ">":
        return math.floor(p) + 1
    if op == "<=":
        return math.floor(p)
    return math.ceil(p) - 1


def describe(rule: dict, names: dict | None = None) -> str:
    names = names if names is not None else categories()
    who = names.get(rule.get("category"), rule.get("category", ""))
    op = SHOWN.get(rule.get("op"), rule.get("op"))
    if "count" in rule and rule["count"] not in (None, ""):
        return _("%(who)s %(op)s %(n)s people") % {"who": who, "op": op, "n": rule["count"]}
    base = rule.get("base") or "all"
    of = _("of the whole batch") if base == "all" else _("of %(b)s") % {"b": names.get(base, base)}
    return _("%(who)s %(op)s %(p)s%% %(of)s") % {
        "who": who,
        "op": op,
        "p": formatting.number(Decimal(str(rule["pct"]))),
        "of": of,
    }


def check(people: list[set[str]], rules: list[dict], names: dict | None = None) -> list[Result]:
    """Every rule checked over the people of a batch (each a set of categories)."""
    names = names if names is not None else categories()
    out = []
    for rule in rules:
        base_key = rule.get("base") or "all"
        base = [p for p in people if base_key == "all" or base_key in p]
        count = sum(1 for p in base if rule["category"] in p)
        minimum = rule["op"] in MINIMUMS
        by_count = "count" in rule and rule["count"] not in (None, "")
        # Of nobody no share is required: an empty base meets a minimum of a percentage.
        needed = 0 if (not base and minimum and not by_count) else line(rule, len(base))
        needed = max(needed, 0)
        if minimum:
            met, slack, short = count >= needed, max(count - needed, 0), max(needed - count, 0)
        else:
            met, slack, short = count <= needed, max(needed - count, 0), max(count - needed, 0)
        share = Fraction(count, len(base)) if base else None
        points = None
        if share is not None and not by_count:
            diff = (share - fraction(rule["pct"])) * 100
            points = (Decimal(diff.numerator) / Decimal(diff.denominator)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        out.append(
            Result(
                rule=rule,
                label=describe(rule, names),
                base=len(base),
                count=count,
                share=share,
                minimum=minimum,
                line=needed,
                met=met,
                slack=slack,
                shortfall=short,
                points=points,
            )
        )
    return out


def valid(rules) -> list[str]:
    """What is wrong with a list of rules, in words (empty when nothing is)."""
    names = categories()
    problems = []
    for k, rule in enumerate(rules or [], start=1):
        if not isinstance(rule, dict):
            problems.append(_("Rule %(k)s is not a rule.") % {"k": k})
            continue
        if rule.get("category") not in names:
            problems.append(_("Rule %(k)s names no category of the dictionary.") % {"k": k})
        if rule.get("op") not in OPERATORS:
            problems.append(_("Rule %(k)s needs one of ≥, >, ≤, <.") % {"k": k})
        base = rule.get("base") or "all"
        if base != "all" and base not in names:
            problems.append(_("Rule %(k)s counts of an unknown base.") % {"k": k})
        has_count = rule.get("count") not in (None, "")
        if has_count:
            try:
                ok = int(rule["count"]) >= 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(_("Rule %(k)s: a cap in people is a whole number.") % {"k": k})
        else:
            try:
                ok = 0 <= fraction(rule.get("pct")) <= 1
            except (TypeError, ValueError, ZeroDivisionError):
                ok = False
            if not ok:
                problems.append(_("Rule %(k)s: a percentage from 0 to 100.") % {"k": k})
    return problems
