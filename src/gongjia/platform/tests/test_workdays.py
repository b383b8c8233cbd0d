import datetime as dt

import pytest

from gongjia.platform import workdays


@pytest.mark.django_db
def test_make_up_saturday_is_a_working_day_and_holiday_weekday_is_not():
    assert workdays.is_workday(dt.date(2025, 10, 11))  # Saturday, make-up working day
    assert not workdays.is_workday(dt.date(2025, 10, 8))  # Wednesday, National Day holiday


@pytest.mark.django_db
def test_fallback_is_reported_for_years_without_data():
    assert not workdays.uses_fallback(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert workdays.uses_fallback(dt.date(2026, 12, 20), dt.date(2031, 1, 10))


@pytest.mark.django_db
def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        workdays.deadline(dt.date(2025, 1, 1), -1)


@pytest.mark.django_db
def test_working_days_between_counts_after_start_up_to_end():
    assert workdays.working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 14)) == 5
