"""How dates and times read in each language: one named style per way the pages show a moment.

Templates write ``{{ value|when:"datetime" }}``; the style's pattern is picked for the active
language, so French reads "lundi 30 novembre 2026, 16 h 00" where English reads
"Monday 30 November 2026, 16:00". Patterns use Django's date format characters.
"""

import datetime as dt

from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

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
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if language is None:
        return date_filter(value, pattern(style))
    with translation.override(language):  # the month and day names too
        return date_filter(value, pattern(style, language))
