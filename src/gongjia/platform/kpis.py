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

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.platform import formatting
from gongjia.platform.formatting import COUNT, MONEY, SHARE  # noqa: F401  (declarations' kinds)
from gongjia.platform.parameters import UnknownParameter

# What a figure is: a stock is a state at a moment (the end of the year asked for), a flow counts
# what happened within a year (and adds up over several), a rate relates two figures (it does
# not add up).
STOCK, FLOW, RATE = "stock", "flow", "rate"
KIND_LABELS = {STOCK: _("stock"), FLOW: _("flow"), RATE: _("rate")}


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
    target: float | None = None
    kind: str = STOCK
    fmt: str = COUNT  # how the figure reads (formatting.figure): a count, money or a share
    parts: dict | None = None  # a breakdown's codes → labels, in the order to show them
    # The records that make the figure, (user, year) -> queryset: for a count, the figure is
    # their number (declared with `counts=True`, so the two cannot disagree); for a rate or a
    # sum, the records it is computed over. Drill-downs list them.
    records: Callable | None = None
    counts: bool = False


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
    records=None,
):
    """Declare an indicator; `kind` defaults to a flow for figures by year, else a stock.

    With `counts=True` the function returns the queryset of the records the figure counts:
    the figure is their number, and the name it is declared under stays a function that gives
    the number (with `.records` the queryset). Otherwise `records=` may name the records a
    figure is computed over."""
    kind = kind or (FLOW if by_year else STOCK)
    if kind not in KIND_LABELS:
        raise ValueError(f"indicator {key}: unknown kind {kind!r}")

    def wrap(func):
        if key in _registry:
            raise ValueError(f"indicator {key} declared twice")
        base = func if counts else records
        value = func
        if counts:

            def value(user, year=None):
                return func(user, year).count()

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
        )
        return value

    return wrap


def records(key: str, user, year: int | None = None):
    """The records behind the figure `key` for `year` over the user's scope (None when the
    figure declares none); a figure kept only as it stands today has none for a past year."""
    ind = _registry[key]
    if ind.records is None:
        return None
    if not ind.by_year:
        if year is not None and year < timezone.localdate().year:
            return None
        year = None
    try:
        return ind.records(user, year)
    except UnknownParameter:
        return None  # a year before the rule behind the figure was in force, as for its value


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


def _value(ind: Indicator, user, year):
    if not ind.by_year:
        # A figure kept only as it stands today (no dates behind it) says nothing of a past year.
        if year is not None and year < timezone.localdate().year:
            return None
        year = None
    try:
        return ind.func(user, year)
    except UnknownParameter:
        return None  # a year before the rule behind the figure was in force


def evaluate(
    user,
    year: int | None = None,
    keys: list[str] | None = None,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
) -> list[dict]:
    """Every indicator (or those of `keys`) over the user's scope: for `year`, or over the years
    `from_year`..`to_year` (flows summed, stocks and rates as at `to_year`)."""
    if (from_year is None) != (to_year is None):
        raise ValueError("from_year and to_year go together")
    out = []
    for key, ind in sorted(_registry.items()):
        if keys and key not in keys:
            continue
        try:
            link = reverse(ind.link) if ind.link else ""
        except NoReverseMatch:
            link = ""
        at = to_year if from_year is not None else year
        if from_year is not None and ind.by_year and ind.kind == FLOW:
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
                "target": ind.target,
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


TREND_YEARS = 10  # how far back a figure's page charts it


def trend(key: str, user, to_year: int | None = None) -> list[tuple[int, object]]:
    """The figure over the years on record up to `to_year` (this year by default): a stock at
    each year's end, a flow within each year. A figure kept only as it stands today has none."""
    ind = _registry[key]
    if not ind.by_year:
        return []
    last = to_year or timezone.localdate().year
    return [(y, _value(ind, user, y)) for y in range(last - TREND_YEARS + 1, last + 1)]


def _sortable(value) -> float:
    if isinstance(value, dict):
        value = sum(value.values())
    return float("-inf") if value is None else float(value)


def breakdown(key: str, user, units, year: int | None = None) -> list[dict]:
    """The figure `key` for each of `units` (the viewer's scope narrowed to each unit, so a
    unit outside it counts nothing), largest first, each with its records' list."""
    from gongjia.platform import scope

    ind = _registry[key]
    rows = []
    for unit in units:
        value = _value(ind, scope.narrowed(user, unit), year)
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "value": value,
                "display": formatting.figure(value, ind.fmt),
                "records_link": drill_down(key, year, unit.code),
            }
        )
    return sorted(rows, key=lambda r: (-_sortable(r["value"]), r["code"]))


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
