"""The clocks of a labour-dispute case, the limitation period and the final-award test
(rights.md §§1-2). Every length is a dated parameter (`rights/parameters/cases.yaml`); every
date is computed by the one deadline function on the official calendar."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gongjia.platform import parameters, workdays


@dataclass(frozen=True)
class Due:
    due_on: dt.date
    warn_on: dt.date


def due(kind: str, start: dt.date) -> Due:
    """When the clock `kind` started on `start` runs out, and from when the handler is warned.

    The start day is not counted; the warning comes `warn` units before the unshifted end.
    """
    rule = parameters.value(f"rights.clock.{kind}", on=start)
    length, unit, warn = rule["length"], rule["unit"], rule.get("warn", 0)
    due_on = workdays.deadline(start, length, unit, shift=rule.get("shift", True))
    warn_on = workdays.deadline(start, max(length - warn, 0), unit, shift=False) if warn else due_on
    return Due(due_on, min(warn_on, due_on))


# --- limitation (LDMAL art. 27) -----------------------------------------------------------------

INTERRUPTION, SUSPENSION_START, SUSPENSION_END = (
    "interruption",
    "suspension_start",
    "suspension_end",
)


def limitation_expiry(
    known_on: dt.date | None,
    events: list[tuple[str, dt.date]] = (),
    *,
    wage_arrears: bool = False,
    employment_ended_on: dt.date | None = None,
) -> dt.date | None:
    """Last day to apply for arbitration, or None when no limitation runs.

    - One year from when the worker knew or should have known of the infringement.
    - Wage arrears while the employment continues: no limitation; after it ends, one year from
      its end.
    - Each interruption (a claim to the employer, a request to an authority or a mediation body,
      the employer agreeing to perform) restarts a full year from that day.
    - A suspension (force majeure, another justified cause) pauses the clock: the days it lasts
      are added; a suspension not yet ended keeps the period open (None).
    """
    if wage_arrears:
        if employment_ended_on is None:
            return None
        start = employment_ended_on
    else:
        if known_on is None:
            return None
        start = known_on
    for kind, on in sorted(events, key=lambda e: e[1]):
        if kind == INTERRUPTION and on > start:
            start = on
    paused, opened = 0, None
    for kind, on in sorted(events, key=lambda e: e[1]):
        if kind == SUSPENSION_START and on >= start and opened is None:
            opened = on
        elif kind == SUSPENSION_END and opened is not None:
            paused += (on - opened).days
            opened = None
    if opened is not None:
        return None
    rule = parameters.value("rights.limitation", on=start)
    end = workdays.deadline(start, rule["length"], rule["unit"], shift=False)
    end += dt.timedelta(days=paused)
    return workdays.next_workday(end) if rule.get("shift", True) else end


# --- final award (LDMAL art. 47) ----------------------------------------------------------------

MONEY_KINDS = ("wages", "injury_medical", "compensation", "damages")
STANDARD_KINDS = ("working_time", "rest_leave", "social_insurance")


def final_award(
    claims: list[tuple[str, Decimal | int | str | None]], on: dt.date, region: str | None = None
) -> tuple[bool, list[str]]:
    """Whether an award on these claims is final (一裁终局), and why not.

    Final only if every item is either a money claim of the art. 47(a) kinds within
    `rights.final_award_wage_multiple` × the local monthly minimum wage in force on the day,
    or a claim of the art. 47(b) kinds (working time, rest and leave, social insurance).
    Each item is tested on its own (Rules art. 50).
    """
    if not claims:
        return False, ["no claims"]
    limit = Decimal(parameters.value("rights.final_award_wage_multiple", on=on)) * Decimal(
        parameters.value("rights.minimum_wage_monthly", on=on, region=region)
    )
    reasons = []
    for kind, amount in claims:
        if kind in STANDARD_KINDS:
            continue
        if kind not in MONEY_KINDS:
            reasons.append(f"{kind}: not a kind of claim an award can settle finally")
        elif amount is None or Decimal(amount) > limit:
            reasons.append(f"{kind}: {amount} exceeds {limit}")
    return not reasons, reasons


def due_date(kind: str, start: dt.date) -> dt.date:
    """The last day of a clock (for tables and golden tests)."""
    return due(kind, start).due_on


def warn_date(kind: str, start: dt.date) -> dt.date:
    return due(kind, start).warn_on


def is_final_award(claims, day: dt.date, region: str | None = None) -> bool:
    # `day`, not `on`: YAML reads a bare `on:` key as true.
    return final_award(claims, day, region)[0]


def label(kind: str) -> str:
    """A clock by its name for people (its rule's label), never its key."""
    if not kind:
        return "—"
    try:
        return parameters.words(parameters.get(f"rights.clock.{kind}").label)
    except LookupError:
        return kind
