"""Indicator registry: each app declares its indicators by stable dotted key.

    @indicator("orgs.units", label=_("Organisation units"), unit=_("units"), link=...)
    def units(user, year):
        return restrict(OrgUnit.objects.all(), user).count()

Values are computed over the caller's scope (every function goes through scope.restrict), as
single aggregate queries. Reports and dashboards refer to indicators by key only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from gongjia.platform.parameters import UnknownParameter


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    func: Callable
    link: str = ""  # admin URL name of the records behind the figure
    by_year: bool = False
    target: float | None = None


_registry: dict[str, Indicator] = {}


def indicator(key: str, *, label, unit, link: str = "", by_year: bool = False, target=None):
    def wrap(func):
        if key in _registry:
            raise ValueError(f"indicator {key} declared twice")
        _registry[key] = Indicator(key, label, unit, func, link, by_year, target)
        return func

    return wrap


def registry() -> dict[str, Indicator]:
    return dict(_registry)


def evaluate(user, year: int | None = None, keys: list[str] | None = None) -> list[dict]:
    out = []
    for key, ind in sorted(_registry.items()):
        if keys and key not in keys:
            continue
        try:
            link = reverse(ind.link) if ind.link else ""
        except NoReverseMatch:
            link = ""
        try:
            value = ind.func(user, year)
        except UnknownParameter:
            value = None  # a year before the rule behind the figure was in force
        out.append(
            {
                "key": key,
                "label": str(ind.label),
                "value": value,
                "unit": str(ind.unit),
                "year": year if ind.by_year else None,
                "target": ind.target,
                "link": link,
            }
        )
    return out
