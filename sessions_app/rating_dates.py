"""Which day a rating is dated: a rating recorded for a session is given on that session's day
unless the counselor says otherwise, and a date far from the session's is pointed out, so a
chart never plots several sessions' ratings on the day they were typed in."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from practice.formats import when
from sessions_app.models import CounselingSession

# A measure is usually given in the session or within a few days of it (a form taken home).
FAR_FROM_SESSION_DAYS = 7


def session_day(session: CounselingSession) -> dt.date:
    return timezone.localtime(session.starts_at).date()


def rating_date(*, given: dt.date | None, session: CounselingSession | None) -> dt.date:
    """The date typed in; left empty, the session's day, or today without a session."""
    if given is not None:
        return given
    return session_day(session) if session is not None else timezone.localdate()


def rating_date_warning(*, given: dt.date, session: CounselingSession | None) -> str:
    """A warning when a rating tied to a session is dated far from that session."""
    if session is None:
        return ""
    held = session_day(session)
    if abs((given - held).days) <= FAR_FROM_SESSION_DAYS:
        return ""
    return _(
        "This rating is dated %(given)s, %(days)s days from its session on %(held)s. If it was "
        "given in that session, correct its date."
    ) % {
        "given": when(given, "date"),
        "days": abs((given - held).days),
        "held": when(held, "date"),
    }
