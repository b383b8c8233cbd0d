"""The one deadline function, on the official working-day calendar.

Rule (rights.md §1, Civil Code arts. 201-203): the start day is not counted; a period in months
or years ends on the matching date (or the month's last day); a last day that is a rest day or a
holiday moves to the next working day when the rule says so. Holidays and make-up working days
come from the State Council's yearly notices, kept as data (`OfficialYear`, `OfficialDay`):
seeded from the bundled `chinese_calendar` package, entered or imported in the back office for
each new year.

Fallback, for a year not entered yet: Saturdays and Sundays are rest days, and so are the
fixed-date statutory holidays (`calendar.fixed_holidays`); lunar holidays and make-up days are
unknown until the notice is published, so a deadline computed there is provisional
(`uses_fallback()`).
"""

import calendar
import datetime as dt
import functools
import time
from enum import StrEnum

import chinese_calendar

from gongjia.platform import parameters


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"


@functools.cache
def _bundled_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


# The official days as loaded by this process; re-read after a minute (another process may
# have entered a year) or at once when this process changed them.
_loaded: dict = {"at": -1e9, "years": frozenset(), "days": {}}
RELOAD_SECONDS = 60


def forget():
    _loaded["at"] = -1e9


def _official() -> tuple[frozenset, dict]:
    if time.monotonic() - _loaded["at"] > RELOAD_SECONDS:
        from gongjia.platform.models import OfficialDay, OfficialYear

        _loaded["years"] = frozenset(OfficialYear.objects.values_list("year", flat=True))
        _loaded["days"] = {
            day: kind == OfficialDay.Kind.WORKDAY
            for day, kind in OfficialDay.objects.values_list("day", "kind")
        }
        _loaded["at"] = time.monotonic()
    return _loaded["years"], _loaded["days"]


def is_covered(day: dt.date) -> bool:
    """The year's official arrangement is entered (or bundled with the calendar package)."""
    years, _days = _official()
    if day.year in years:
        return True
    lo, hi = _bundled_years()
    return lo <= day.year <= hi


def is_workday(day: dt.date) -> bool:
    years, days = _official()
    if day in days:
        return days[day]
    if day.year in years:
        return day.weekday() < 5
    lo, hi = _bundled_years()
    if lo <= day.year <= hi:
        return chinese_calendar.is_workday(day)
    if day.strftime("%m-%d") in parameters.value("calendar.fixed_holidays", on=day):
        return False
    return day.weekday() < 5


def next_workday(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def deadline(
    start: dt.date, amount: int, unit: Unit | str = Unit.CALENDAR_DAYS, *, shift: bool = True
) -> dt.date:
    """Last day of a period of `amount` units that starts the day after `start`.

    `shift`: move a last day that is not a working day to the next working day.
    """
    unit = Unit(unit)
    if amount < 0:
        raise ValueError("a period cannot be negative")
    if unit is Unit.WORKING_DAYS:
        day, left = start, amount
        while left:
            day += dt.timedelta(days=1)
            if is_workday(day):
                left -= 1
        return day
    if unit is Unit.CALENDAR_DAYS:
        end = start + dt.timedelta(days=amount)
    elif unit is Unit.MONTHS:
        end = add_months(start, amount)
    else:
        end = add_months(start, 12 * amount)
    return next_workday(end) if shift else end


def uses_fallback(start: dt.date, end: dt.date) -> bool:
    """True when a day between start and end lies in a year with no official calendar data."""
    return any(not is_covered(dt.date(y, 1, 1)) for y in range(start.year, end.year + 1))


def provisional(day: dt.date | None) -> bool:
    """A deadline on `day` is provisional when it was counted across a year whose official
    arrangement is not entered yet (lunar holidays and make-up days unknown)."""
    if day is None:
        return False
    from django.utils import timezone

    today = timezone.localdate()
    return uses_fallback(min(today, day), day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after start up to and including end."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_workday(day)
    return n
