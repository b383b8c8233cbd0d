"""Indicator registry: each app declares its indicators by stable dotted key.

    @indicator("orgs.units", label=_("Organisation units"), unit=_("units"), link=...)
    def units(user, year):
        return restrict(OrgUnit.objects.all(), user).count()

Values are computed over the caller's scope (every function goes through scope.restrict), as
single aggregate queries. Reports and dashboards refer to indicators by key only.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.platform import figure_cache, formatting, money
from gongjia.platform.formatting import COUNT, MONEY, SHARE  # noqa: F401  (declarations' kinds)
from gongjia.platform.parameters import UnknownParameter

# What a figure is: a stock is a state at a moment (the end of the year asked for), a flow counts
# what happened within a year (and adds up over several), a rate relates two figures (it does
# not add up).
STOCK, FLOW, RATE = "stock", "flow", "rate"
KIND_LABELS = {STOCK: _("stock"), FLOW: _("flow"), RATE: _("rate")}


# The side of its line a figure must be on to meet its target: a plan's target is reached at
# or above it (">="); a quota line may be strict ("more than 60 %": ">") or a cap ("<=", "<").
OPERATORS = {
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
    "<=": lambda v, t: v <= t,
    "<": lambda v, t: v < t,
}
SHOWN_OP = {">=": "", ">": "> ", "<=": "≤ ", "<": "< "}


@dataclass(frozen=True)
class Target:
    """A figure's target: a number (the seed's "every village"); the key of a dated parameter
    (a quota line of the reform, read at the end of the year asked for); or a function
    (user, year) -> number (a plan's tier target kept as records). `op` is the side of the line
    the figure must be on."""

    value: object
    op: str = ">="

    def __post_init__(self):
        if self.op not in OPERATORS:
            raise ValueError(f"target: unknown operator {self.op!r}")

    def at(self, user, year) -> tuple[float | None, str]:
        """The target's number and operator for a viewer and a year (None where none holds)."""
        if isinstance(self.value, str):
            number = _parameter(self.value, year_end(year) or timezone.localdate())
        elif callable(self.value):
            number = self.value(user, year)
        else:
            number = self.value
        return (None if number is None else float(number)), self.op


def _parameter(key: str, on):
    from gongjia.platform import parameters

    try:
        return parameters.value(key, on)
    except (UnknownParameter, LookupError, ValueError):
        return None  # no value in force on that day: no target that year


@dataclass(frozen=True)
class Per:
    """How a figure is compared across units where its raw count would mislead (a town of
    200,000 members receives more cases than one of 20,000): as a rate of another figure of the
    same unit and year, `scale` of whose things make the denominator — cases per 10,000
    members is Per("members.total", 10_000, _("per 10,000 members"))."""

    base: str
    scale: int
    label: str


def rate(value, base, scale: int) -> float | None:
    """`value` per `scale` of `base`, None where the base is none or nothing."""
    value, base = total(value), total(base)
    if value is None or not base:
        return None
    return value * scale / base


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    func: Callable
    link: str = ""  # admin URL name of the records behind the figure
    # True when the figure can be had for any year (a stock at the year's end, a flow within
    # it); False for a figure that exists only as things stand today.
    by_year: bool = False
    target: Target | None = None
    kind: str = STOCK
    fmt: str = COUNT  # how the figure reads (formatting.figure): a count, money or a share
    parts: dict | None = None  # a breakdown's codes → labels, in the order to show them
    # The records that make the figure, (user, year) -> queryset: for a count, the figure is
    # their number (declared with `counts=True`, so the two cannot disagree); for a rate or a
    # sum, the records it is computed over. Drill-downs list them.
    records: Callable | None = None
    counts: bool = False
    sums: str = ""  # the field of the records the figure is the total of (`sums=`)
    # A count over several years counts each record once (the trades competed in over five
    # years), not the sum of the years'.
    distinct: bool = False
    # How the annual report says it: a text with %(value)s (the figure as it reads, with its
    # unit), %(<key>)s and %(n:<key>)s (the number alone) for any other figure of the same
    # scope and year, or a function of those words (report.sentence). Without one the report
    # says "<period>，<label> <value>".
    sentence: object = None
    per: Per | None = None  # the rate it is compared across units by, beside its count


_registry: dict[str, Indicator] = {}


def year_end(year: int | None) -> dt.date | None:
    """The day a stock of `year` is read at: 31 December of a past year; None for the current
    year or no year, meaning as things stand today."""
    if not year or year >= timezone.localdate().year:
        return None
    return dt.date(year, 12, 31)


def indicator(
    key: str,
    *,
    label,
    unit,
    link: str = "",
    by_year: bool = False,
    target=None,
    kind: str | None = None,
    fmt: str = COUNT,
    parts=None,
    counts: bool = False,
    sums: str = "",
    distinct: bool = False,
    records=None,
    sentence=None,
    per: Per | None = None,
):
    """Declare an indicator; `kind` defaults to a flow for figures by year, else a stock.

    With `counts=True` the function returns the queryset of the records the figure counts:
    the figure is their number, and the name it is declared under stays a function that gives
    the number (with `.records` the queryset). With `sums="<field>"` likewise, the figure being
    the total of that field over them (a money field in fen, read in yuan). Otherwise
    `records=` may name the records a figure is computed over."""
    kind = kind or (FLOW if by_year else STOCK)
    if target is not None and not isinstance(target, Target):
        target = Target(target)
    if kind not in KIND_LABELS:
        raise ValueError(f"indicator {key}: unknown kind {kind!r}")

    def wrap(func):
        if key in _registry:
            raise ValueError(f"indicator {key} declared twice")
        if counts and sums:
            raise ValueError(f"indicator {key}: a figure counts its records or sums them")
        if distinct and not counts:
            raise ValueError(f"indicator {key}: only a count of records is counted once")
        base = func if counts or sums else records
        value = func
        if counts or sums:

            def value(user, year=None):
                return of_records(func(user, year), counts=counts, sums=sums, fmt=fmt)

            value.records = func
            value.__name__, value.__doc__ = func.__name__, func.__doc__
        _registry[key] = Indicator(
            key,
            label,
            unit,
            value,
            link,
            by_year,
            target,
            kind,
            fmt,
            dict(parts or {}) or None,
            base,
            counts,
            sums,
            distinct,
            sentence,
            per,
        )
        return value

    return wrap


def of_records(rows, *, counts=True, sums="", fmt=COUNT):
    """The figure made by `rows`: their number, or the total of the field `sums` over them."""
    if counts:
        return rows.count()
    result = rows.aggregate(s=Sum(sums))["s"] or 0
    return money.yuan_figure(result) if fmt == MONEY else result


def records(key: str, user, year: int | None = None):
    """The records behind the figure `key` for `year` over the user's scope (None when the
    figure declares none, or says nothing of that year, as its value does)."""
    ind = _registry[key]
    return None if ind.records is None else _for_year(ind, ind.records, user, year)


def drill_down(key: str, year: int | None = None, under: str = "") -> str:
    """The back-office list of the records behind a figure: its list page filtered by the
    figure itself (`?kpi=key:year:under`), so the list and the number agree by construction."""
    ind = _registry[key]
    if ind.records is None or not ind.link:
        return ""
    try:
        base = reverse(ind.link)
    except NoReverseMatch:
        return ""
    return f"{base}?kpi={key}:{year or ''}:{under}"


def registry() -> dict[str, Indicator]:
    return dict(_registry)


def _period(ind: Indicator, year, from_year, to_year) -> str:
    if ind.kind == FLOW and from_year is not None:
        return _("%(a)d–%(b)d") % {"a": from_year, "b": to_year}
    at = to_year if from_year is not None else year
    if at is None or not ind.by_year:
        return str(_("now"))
    return (_("end of %(y)d") if ind.kind == STOCK else _("%(y)d")) % {"y": at}


def _summed(values):
    """A flow over several years: numbers add up, and so do breakdowns key by key."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    if isinstance(values[0], dict):
        out: dict = {}
        for v in values:
            for k, n in v.items():
                out[k] = out.get(k, 0) + n
        return out
    return sum(values)


def _for_year(ind: Indicator, func, user, year):
    """`func(user, year)` for the figure: a figure kept only as it stands today (no dates behind
    it) says nothing of a past year, nor does one whose rule was not yet in force."""
    if not ind.by_year:
        if year is not None and year < timezone.localdate().year:
            return None
        year = None
    try:
        return func(user, year)
    except UnknownParameter:
        return None


def _value(ind: Indicator, user, year):
    """The figure, kept until a write changes a table it was computed from."""
    return figure_cache.remembered(
        ("figure", ind.key, year, figure_cache.signature(user)),
        lambda: _for_year(ind, ind.func, user, year),
    )


def evaluate(
    user,
    year: int | None = None,
    keys: list[str] | None = None,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
    with_trend: bool = False,
) -> list[dict]:
    """Every indicator (or those of `keys`) over the user's scope: for `year`, or over the years
    `from_year`..`to_year` (flows summed, stocks and rates as at `to_year`); `with_trend` adds
    each figure's trend up to that year."""
    if (from_year is None) != (to_year is None):
        raise ValueError("from_year and to_year go together")

    def compute():
        out = _evaluate(user, year, keys, from_year, to_year)
        for f in out if with_trend else ():
            points = trend(f["key"], user, f["year"] or to_year)
            f["trend"] = [{"year": y, "value": v} for y, v in points]
        return out

    # The whole answer is kept too (one look-up for a page), beside each figure it is made of.
    signature = figure_cache.signature(user)
    key = ("evaluate", signature, year, tuple(keys or ()), from_year, to_year, with_trend)
    with figure_cache.reading():
        return [dict(f) for f in figure_cache.remembered(key, compute)]


def _evaluate(user, year, keys, from_year, to_year) -> list[dict]:
    out = []
    for key, ind in sorted(_registry.items()):
        if keys and key not in keys:
            continue
        try:
            link = reverse(ind.link) if ind.link else ""
        except NoReverseMatch:
            link = ""
        at = to_year if from_year is not None else year
        if from_year is not None and ind.by_year and ind.kind == FLOW and ind.distinct:
            value = _distinct_over(ind, user, from_year, to_year)
        elif from_year is not None and ind.by_year and ind.kind == FLOW:
            value = _summed(_value(ind, user, y) for y in range(from_year, to_year + 1))
        else:
            value = _value(ind, user, at)
        out.append(
            {
                "key": key,
                "label": str(ind.label),
                "value": value,
                "unit": str(ind.unit),
                "kind": ind.kind,
                "kind_label": str(KIND_LABELS[ind.kind]),
                "period": str(_period(ind, year, from_year, to_year)),
                "year": at if ind.by_year else None,
                **_target(ind, user, at),
                "link": link,
                # The records that make the figure of one year, listed by the figure itself.
                "records_link": ""
                if from_year is not None
                else drill_down(key, at, getattr(getattr(user, "_unit", None), "code", "")),
                # For people: the figure as it reads, and a breakdown by its labels.
                "display": formatting.figure(value, ind.fmt),
                "parts": formatting.parts(value, ind.parts or {})
                if isinstance(value, dict)
                else [],
                "fmt": ind.fmt,
            }
        )
    return out


def _distinct_over(ind: Indicator, user, from_year: int, to_year: int):
    """A count of records over several years, each counted once."""
    from django.db.models import Q

    def compute():
        found, either = None, Q()
        for y in range(from_year, to_year + 1):
            rows = _for_year(ind, ind.records, user, y)
            if rows is not None:
                found, either = rows, either | Q(pk__in=rows.values("pk"))
        return None if found is None else found.model._default_manager.filter(either).count()

    signature = figure_cache.signature(user)
    return figure_cache.remembered(("over", ind.key, from_year, to_year, signature), compute)


TREND_YEARS = 10  # how far back a figure's page charts it


def trend(key: str, user, to_year: int | None = None) -> list[tuple[int, object]]:
    """The figure over the years on record up to `to_year` (this year by default): a stock at
    each year's end, a flow within each year. A figure kept only as it stands today has none."""
    ind = _registry[key]
    if not ind.by_year:
        return []
    last = to_year or timezone.localdate().year
    with figure_cache.reading():
        return [(y, _value(ind, user, y)) for y in range(last - TREND_YEARS + 1, last + 1)]


def total(value):
    """A figure as one number: a breakdown's parts added up; None stays None."""
    return sum(value.values()) if isinstance(value, dict) else value


def _target(ind: Indicator, user, year) -> dict:
    number, op = ind.target.at(user, year) if ind.target else (None, ">=")
    shown = "" if number is None else SHOWN_OP[op] + formatting.figure(number, ind.fmt)
    return {"target": number, "target_op": op, "target_display": shown}


def reached(value, target, op: str = ">=") -> bool | None:
    """Whether a figure is on the right side of its target's line (None where it has none,
    or no value)."""
    if value is None or target is None:
        return None
    return OPERATORS[op](total(value), target)


def _sortable(value) -> float:
    value = total(value)
    return float("-inf") if value is None else float(value)


def compared_units(user, by: str = "", top=None) -> list:
    """The units a figure is compared across, in the user's scope: `by="town"` the town and
    street federations; `by="unit"` the units directly under `top` (the user's highest unit by
    default); by default the towns, or for one who sees a single town the units under it."""
    from gongjia.platform import scope

    OrgUnit = scope.unit_model()
    if by != "unit":
        towns = scope.restrict(OrgUnit.objects.filter(kind="town_federation"), user)
        towns = list(towns.order_by("code"))
        if by == "town" or len(towns) > 1:
            return towns
    if top is None:
        own = [ra.unit for ra in user.role_assignments()]
        top = min(own, key=lambda u: u.depth) if own else None
    if top is None:
        return []
    children = type(top).objects.get_children(top)
    return list(scope.restrict(children, user).order_by("code"))


def breakdown(key: str, user, units, year: int | None = None) -> list[dict]:
    """The figure `key` for each of `units` (the viewer's scope narrowed to each unit, so a
    unit outside it counts nothing), largest first, each with its records' list and, for a
    figure declared with `per=`, its rate of the base figure of the same unit."""
    ind = _registry[key]
    values = _by_unit(ind, user, units, year)
    per = rate_of(ind, user)
    bases = _by_unit(_registry[per.base], user, units, year) if per else None
    rows = []
    for i, (unit, value) in enumerate(zip(units, values, strict=True)):
        row = {
            "code": unit.code,
            "name": unit.name,
            "value": value,
            "display": formatting.figure(value, ind.fmt),
            "records_link": drill_down(key, year, unit.code),
        }
        if per:
            row["rate"] = rate(value, bases[i], per.scale)
            row["rate_display"] = formatting.number(row["rate"], 1)
        rows.append(row)
    return sorted(rows, key=lambda r: (-_sortable(r["value"]), r["code"]))


def rate_of(ind: Indicator, user) -> Per | None:
    """The rate a figure is compared by, for a viewer who may see its base figure too (a rate
    of a figure one may not see would tell it)."""
    if ind.per is None or ind.per.base not in visible(user):
        return None
    return ind.per


def figure_rate(key: str, user, year: int | None = None) -> float | None:
    """The figure's rate over the user's whole scope (the total row of a comparison)."""
    ind = _registry[key]
    per = rate_of(ind, user)
    if per is None:
        return None
    with figure_cache.reading():
        return rate(_value(ind, user, year), _value(_registry[per.base], user, year), per.scale)


def _by_unit(ind: Indicator, user, units, year) -> list:
    with figure_cache.reading():
        return figure_cache.remembered(
            (
                "breakdown",
                ind.key,
                year,
                figure_cache.signature(user),
                tuple(u.path for u in units),
            ),
            lambda: _grouped(ind, user, units, year) or _narrowed(ind, user, units, year),
        )


def _narrowed(ind: Indicator, user, units, year) -> list:
    from gongjia.platform import scope

    return [_value(ind, scope.narrowed(user, unit), year) for unit in units]


def _grouped(ind: Indicator, user, units, year) -> list | None:
    """A count (or a total) across units of one level in one query: its records over the whole
    scope, grouped by the branch of the tree their unit lies in. None where that cannot stand
    for the narrowed scopes (not made by its records, records reached through several units,
    units at several levels, records that are themselves groups); the contract test holds the
    two to the same numbers."""
    from django.db.models import Count

    from gongjia.platform import scope

    if not (ind.counts or ind.sums) or not units or len({len(u.path) for u in units}) != 1:
        return None
    found = _for_year(ind, ind.records, user, year)
    if found is None:
        return [None] * len(units)
    spec = scope.spec_for(found.model)
    q = found.query
    aggregated = q.group_by is not None or any(
        getattr(a, "contains_aggregate", False) for a in q.annotations.values()
    )
    if spec.kind != "units" or len(spec.paths) != 1 or q.distinct or aggregated:
        return None
    # Grouped by the unit's key (an index holds it, no join), each unit's count then added to
    # the branch its path lies in.
    column = spec.paths[0] or "pk"
    measure = Count("pk") if ind.counts else Sum(ind.sums)
    by_unit = dict(found.order_by().values_list(column).annotate(_n=measure))
    paths = dict(scope.unit_model().objects.values_list("pk", "path"))  # ~10,000 in a district
    width = len(units[0].path)
    by_branch: dict[str, int] = {}
    for pk, n in by_unit.items():
        if pk in paths:
            branch = paths[pk][:width]
            by_branch[branch] = by_branch.get(branch, 0) + (n or 0)
    if ind.fmt == MONEY:
        return [money.yuan_figure(by_branch.get(u.path, 0)) for u in units]
    return [by_branch.get(u.path, 0) for u in units]


def _view_perm(link: str) -> str:
    """The permission to see the records behind a figure: its page's model, viewed
    (`admin:<app>_<model>_<page>`)."""
    if not link.startswith("admin:"):
        return ""
    app, _sep, rest = link[len("admin:") :].partition("_")
    model = rest.rsplit("_", 1)[0] if "_" in rest else rest
    return f"{app}.view_{model}"


def visible(user) -> list[str]:
    """The keys of the figures a person's role may open the records of (the audit
    administrator sees no caseload figures, a lawyer no hardship figures)."""
    return [
        key
        for key, ind in sorted(_registry.items())
        if not (perm := _view_perm(ind.link)) or user.has_perm(perm)
    ]
