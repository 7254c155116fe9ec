"""How dates and times read in each language: one named style per way the pages show a moment.

Templates write ``{{ value|when:"datetime" }}``; the style's pattern is picked for the active
language, so French reads "lundi 30 novembre 2026, 16 h 00" where English reads
"Monday 30 November 2026, 16:00". Patterns use Django's date format characters.
"""

import datetime as dt
import functools
import re

from django.utils import dates, timezone, translation

EN_TIME = "H:i"
FR_TIME = r"G \h i"

# style: (English pattern, French pattern). French abbreviates months with N ("nov.", "févr."):
# M would give "Nov".
STYLES = {
    "date": ("j M Y", "j N Y"),
    "date_long": ("j F Y", "j F Y"),
    "full_date": ("l j F Y", "l j F Y"),
    "weekday_date": ("D j M Y", "D j N Y"),
    "weekday_day": ("D j M", "D j N"),
    "weekday_long": ("l j F", "l j F"),
    "day_month": ("j M", "j N"),
    "month": ("F Y", "F Y"),
    "time": (EN_TIME, FR_TIME),
    "datetime": (f"j M Y, {EN_TIME}", f"j N Y, {FR_TIME}"),
    "datetime_long": (f"j F Y, {EN_TIME}", f"j F Y, {FR_TIME}"),
    "full_datetime": (f"l j F Y, {EN_TIME}", f"l j F Y, {FR_TIME}"),
    "weekday_datetime": (f"D j M Y, {EN_TIME}", f"D j N Y, {FR_TIME}"),
    "weekday_day_time": (f"D j M, {EN_TIME}", f"D j N, {FR_TIME}"),
    "day_month_time": (f"j M, {EN_TIME}", f"j N, {FR_TIME}"),
    "datetime_seconds": ("j M Y, H:i:s", "j N Y, H:i:s"),
    "day_month_seconds": ("j M, H:i:s", "j N, H:i:s"),
}


def pattern(style: str, language: str | None = None) -> str:
    """The date-format pattern of ``style`` in ``language`` (the active one by default)."""
    english, french = STYLES[style]
    language = language or translation.get_language() or "en"
    return french if language.startswith("fr") else english


def when(value, style: str = "date", language: str | None = None) -> str:
    """``value`` (a date or an aware datetime, shown in the active time zone) in ``style``."""
    if not isinstance(value, dt.date):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = language or translation.get_language() or "en"
    names = _names(language)
    return "".join(
        part if kind is None else _FIELDS[kind](value, names)
        for kind, part in _parsed(pattern(style, language))
    )


# What each of the patterns' format characters gives, as Django's `date` filter gives it. Pages
# show a hundred dates at a time, and this is several times faster than formatting each one
# through django.utils.dateformat; tests/i18n/test_date_styles.py checks that they agree.
_FIELDS = {
    "j": lambda value, names: str(value.day),
    "Y": lambda value, names: f"{value.year:04d}",
    "D": lambda value, names: names["D"][value.weekday()],
    "l": lambda value, names: names["l"][value.weekday()],
    "M": lambda value, names: names["M"][value.month],
    "N": lambda value, names: names["N"][value.month],
    "F": lambda value, names: names["F"][value.month],
    "H": lambda value, names: f"{value.hour:02d}",
    "G": lambda value, names: str(value.hour),
    "i": lambda value, names: f"{value.minute:02d}",
    "s": lambda value, names: f"{value.second:02d}",
}


@functools.cache
def _parsed(pattern: str) -> tuple[tuple[str | None, str], ...]:
    """A pattern as (format character, "") and (None, literal text) pieces."""
    pieces = []
    for token in re.findall(r"\\.|.", pattern):
        if token.startswith("\\"):
            pieces.append((None, token[1]))
        elif token in _FIELDS:
            pieces.append((token, ""))
        else:
            pieces.append((None, token))
    return tuple(pieces)


@functools.cache
def _names(language: str) -> dict[str, dict[int, str]]:
    """The day and month names of ``language``, translated once per process."""
    with translation.override(language):
        return {
            "D": {day: str(name) for day, name in dates.WEEKDAYS_ABBR.items()},
            "l": {day: str(name) for day, name in dates.WEEKDAYS.items()},
            "M": {month: str(name).title() for month, name in dates.MONTHS_3.items()},
            "N": {month: str(name) for month, name in dates.MONTHS_AP.items()},
            "F": {month: str(name) for month, name in dates.MONTHS.items()},
        }
