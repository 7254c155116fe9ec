"""The demo practice's calendar: Montréal's weekends and Québec's statutory holidays."""

import datetime as dt

import pytest

from practice.demo.plan import is_closed_day


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 12, 5),  # a Saturday
        dt.date(2027, 1, 1),  # New Year's Day
        dt.date(2026, 5, 18),  # Journée nationale des patriotes (the Monday before 25 May)
        dt.date(2026, 6, 24),  # Fête nationale
        dt.date(2026, 7, 1),  # Canada Day
        dt.date(2026, 9, 7),  # Labour Day, the first Monday of September
        dt.date(2026, 10, 12),  # Thanksgiving, the second Monday of October
        dt.date(2026, 12, 25),
    ],
)
def test_the_practice_is_closed_on(day):
    assert is_closed_day(day)


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 11, 26),  # the US Thanksgiving is a working day in Montréal
        dt.date(2026, 5, 25),  # the US Memorial Day too
        dt.date(2026, 7, 6),
        dt.date(2026, 10, 5),  # the first Monday of October
        dt.date(2026, 11, 30),
    ],
)
def test_the_practice_is_open_on(day):
    assert not is_closed_day(day)
