"""How reminders name people, days and times: initials for clients, the recipient's time zone
and the recipient's language."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Client
from practice import formats
from practice.staff.models import User


def utc_date(moment: dt.datetime) -> dt.date:
    """Due dates are UTC dates: the same key whichever time zone a request or worker runs in."""
    return moment.astimezone(dt.UTC).date()


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def language_of(person: User | Client | None) -> str:
    """The language a reminder to ``person`` is written in: a staff member's own, a client's
    language of correspondence when the record keeps one, else the practice's default."""
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def in_language_of(person: User | Client | None) -> translation.override:
    """Write a reminder's title and texts (days, months) in the recipient's language."""
    return translation.override(language_of(person))


def initials(client: Client | None) -> str:
    """An email names a client by initials only ("A.L."); a group session is not named."""
    if client is None:
        return _("a group session")
    return "".join(f"{letter}." for letter in client.initials)


def day_text(day: dt.date) -> str:
    return date_format(day, "l j F Y")


def time_text(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """A local time of day: "16:00" in English, "16 h 00" in French."""
    return formats.when(moment.astimezone(zone).replace(tzinfo=None), "time")


def when_text(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return _("%(day)s at %(time)s") % {
        "day": date_format(local, "l j F Y"),
        "time": time_text(moment, zone),
    }


def month_text(day: dt.date) -> str:
    return date_format(day, "F Y")


def first_name(user: User) -> str:
    return user.first_name or user.username


def local_day_text(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return date_format(moment.astimezone(zone), "l j F Y")
