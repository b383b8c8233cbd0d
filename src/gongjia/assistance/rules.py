"""The hardship category of a household (assistance.md §1), in exact integer arithmetic.

Money is in fen. With p = (I − R) / 12 / n the per-capita monthly net income and B the monthly
minimum living standard, the tests compare without dividing:
- deep hardship:      (I − R) < 12 × n × B
- relative hardship:  (I − R) < 24 × n × B   (B ≤ p < 2B)
- accident-caused:    a listed event, or 100 × cost > X × I (cost after compensation and aid)
in that order; the first that holds is the category. Whether the comparisons are strict is a
parameter (`assistance.strict_comparison`), since local texts differ.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from gongjia.platform import money, parameters

DEEP, RELATIVE, ACCIDENT, NONE = "deep", "relative", "accident", ""


@dataclass(frozen=True)
class Decision:
    category: str
    reason: str
    inputs: dict
    parameters: dict

    def as_record(self) -> dict:
        return asdict(self)


def _below(a: int, b: int, strict: bool) -> bool:
    return a < b if strict else a <= b


def categorise(
    *,
    income: int,
    rigid: int,
    members: int,
    minimum: int,
    accident_event: str = "",
    accident_cost: int = 0,
    accident_share: int = 50,
    strict: bool = True,
) -> str:
    """The category from the figures alone (all money in fen; `accident_share` in percent)."""
    if members < 1:
        raise ValueError("a household has at least one member living together")
    net = income - rigid
    if _below(net, 12 * members * minimum, strict):
        return DEEP
    if _below(net, 24 * members * minimum, strict):
        return RELATIVE
    if accident_event or (accident_cost and 100 * accident_cost > accident_share * income):
        return ACCIDENT
    return NONE


def decide(*, income, rigid, members, region: str, on: dt.date, accident_event="", accident_cost=0):
    """The category with every input and the parameter values in force, for the record."""
    minimum = parameters.value("assistance.minimum_living_standard", on=on, region=region)
    share = parameters.value("assistance.accident_cost_share", on=on, region=region)
    strict = parameters.value("assistance.strict_comparison", on=on, region=region)
    category = categorise(
        income=income,
        rigid=rigid,
        members=members,
        minimum=minimum,
        accident_event=accident_event,
        accident_cost=accident_cost,
        accident_share=share,
        strict=strict,
    )
    return Decision(
        category=category,
        reason=category or "none",
        inputs={
            "income_fen": income,
            "rigid_fen": rigid,
            "members": members,
            "accident_event": accident_event,
            "accident_cost_fen": accident_cost,
            "region": region,
            "on": on.isoformat(),
        },
        parameters={
            "minimum_living_standard_fen": minimum,
            "accident_cost_share_percent": share,
            "strict_comparison": strict,
        },
    )


def category_on(
    *, income, rigid, members, region: str, day: dt.date, accident_event="", accident_cost=0
):
    """The category alone, with the parameters in force on `day` (for tables and golden tests;
    `day`, not `on`: YAML reads a bare `on:` key as true)."""
    return decide(
        income=income,
        rigid=rigid,
        members=members,
        region=region,
        on=day,
        accident_event=accident_event,
        accident_cost=accident_cost,
    ).category


def filing_blockers(household, on: dt.date) -> list[str]:
    """What stops an archive beyond the category: an exclusion in force, and for migrant-worker
    households the conditions of assistance.md §1 (in the city, a union member, ≥ 1 year of de
    facto employment). Returns messages; empty when nothing blocks."""
    from django.utils.translation import gettext as _

    from gongjia.members.selectors import is_active_member

    out = []
    listed = parameters.value("assistance.exclusions", on=on)
    for code in household.exclusions or []:
        if code in listed:
            out.append(_("Exclusion: %(e)s.") % {"e": parameters.words(listed[code])})
    if household.migrant:
        if not household.lives_in_city:
            out.append(_("A migrant-worker household must live long-term in the city."))
        head = household.members.filter(relationship="self").first() if household.pk else None
        if not (head and is_active_member(head.member_id)):
            out.append(_("The migrant worker must be a union member (link the member record)."))
        months = parameters.value("assistance.migrant_min_employment_months", on=on)
        since = household.employed_since
        if since is None or _months_between(since, on) < months:
            out.append(
                _("The migrant worker needs at least %(n)s months of de facto employment.")
                % {"n": months}
            )
    return out


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def explain(record: dict) -> list[tuple[str, str]]:
    """A decision's computation in words and figures (yuan), from its stored record."""
    from django.utils.translation import gettext as _

    i, p = record.get("inputs", {}), record.get("parameters", {})
    if not i or not p:
        return []
    n, b = i["members"], p["minimum_living_standard_fen"]
    net = i["income_fen"] - i["rigid_fen"]

    def y(fen):
        return money.yuan(fen, grouped=True)

    return [
        (
            _("income I − unavoidable expenditure R"),
            f"{y(i['income_fen'])} − {y(i['rigid_fen'])} = {y(net)}",
        ),
        (_("members living together n"), str(n)),
        (_("monthly minimum living standard B"), f"{y(b)}（{_place(i['region'])}，{i['on']}）"),
        (_("deep hardship if I − R is below 12 × n × B"), y(12 * n * b)),
        (_("relative hardship if I − R is below 24 × n × B"), y(24 * n * b)),
        (
            _("accident costs, and the share of income that makes them decisive"),
            f"{y(i['accident_cost_fen'])}，{p['accident_cost_share_percent']}%",
        ),
        (_("comparison strictly below"), _("yes") if p["strict_comparison"] else _("no")),
        (_("result"), str(_label(record.get("category", ""))) or _("no category")),
    ]


def _place(code: str) -> str:
    """The division whose standard applied, by its name (its code if no longer listed)."""
    from gongjia.orgs.models import Region

    if not code:
        return "—"
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def _label(category: str):
    from gongjia.assistance.models import Household

    return Household.Category(category).label if category else ""
