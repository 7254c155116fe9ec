"""How reminders name people, days and times: initials for clients, the recipient's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils.formats import date_format

from clients.models import Client
from practice.staff.models import User


def utc_date(moment: dt.datetime) -> dt.date:
    """Due dates are UTC dates: the same key whichever time zone a request or worker runs in."""
    return moment.astimezone(dt.UTC).date()


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def initials(client: Client | None) -> str:
    """An email names a client by initials only ("A.L."); a group session is not named."""
    if client is None:
        return "a group session"
    return "".join(f"{letter}." for letter in client.initials)


def day_text(day: dt.date) -> str:
    return date_format(day, "l j F Y")


def when_text(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{date_format(local, 'l j F Y')} at {local:%H:%M}"


def first_name(user: User) -> str:
    return user.first_name or user.username


def local_day_text(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return date_format(moment.astimezone(zone), "l j F Y")
