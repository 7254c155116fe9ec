"""Every date style reads as Django's own `date` filter would write its pattern, in both
languages, for dates, aware date-times and the edges of the calendar."""

import datetime as dt
import itertools

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from practice import formats

MOMENTS = [
    dt.datetime(2026, 11, 30, 16, 0, 5, tzinfo=dt.UTC),
    dt.datetime(2027, 1, 1, 0, 9, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=dt.UTC),  # another day in Montréal
    dt.datetime(999, 6, 7, 8, 9, 10, tzinfo=dt.UTC),  # a year under 1000
]
DATE_STYLES = [
    style for style, (english, _) in formats.STYLES.items() if not set("HGis") & set(english)
]


@pytest.mark.parametrize(
    ("style", "language"), list(itertools.product(formats.STYLES, ["en", "fr"]))
)
def test_a_style_reads_as_django_writes_its_pattern(style, language, settings):
    settings.TIME_ZONE = "America/Toronto"
    with timezone.override("America/Toronto"), translation.override(language):
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert formats.when(moment, style) == django_date(local, formats.pattern(style))
            if style in DATE_STYLES:
                day = local.date()
                assert formats.when(day, style) == django_date(day, formats.pattern(style))


def test_every_month_and_weekday_name_in_both_languages():
    days = [dt.date(2026, month, day) for month in range(1, 13) for day in (1, 2, 3, 4, 5, 6, 7)]
    for language, style in itertools.product(["en", "fr"], DATE_STYLES):
        with translation.override(language):
            for day in days:
                assert formats.when(day, style) == django_date(day, formats.pattern(style))


def test_a_language_given_wins_over_the_active_one():
    with translation.override("en"):
        assert formats.when(dt.date(2026, 11, 30), "full_date", "fr") == "lundi 30 novembre 2026"
    with translation.override("fr"):
        assert formats.when(dt.date(2026, 11, 30), "full_date", "en") == "Monday 30 November 2026"


@pytest.mark.parametrize("value", [None, "", "2026-11-30", 5])
def test_what_is_not_a_date_reads_as_nothing(value):
    assert formats.when(value, "date") == ""
