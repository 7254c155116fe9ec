"""The check-in email: three templates (templates/emails/checkin_subject.txt, checkin.txt,
checkin.html). It names the practice and says the counselor asked for a short check-in, with
the link; never the client's name, a clinical word or a score."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from practice.formats import when
from practice.policy.models import PracticePolicy
from sessions_app.checkins.models import CheckIn
from sessions_app.models import CounselingSession


def public_url(raw_token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('checkin_public', args=[raw_token])}"


@dataclass(frozen=True)
class EmailParts:
    subject: str
    text: str
    html: str


def checkin_email(*, checkin: CheckIn, url: str, reminder: bool = False) -> EmailParts:
    """The email: names the practice and says the counselor asked for a short check-in. No
    client name, no clinical word, no score (templates/emails/checkin*)."""
    with translation.override(checkin.client.language):
        return _render_email(checkin=checkin, url=url, reminder=reminder)


def _render_email(*, checkin: CheckIn, url: str, reminder: bool) -> EmailParts:
    policy = PracticePolicy.current()
    session = checkin.session
    context = {
        "session_when": session_when(session) if session is not None else "",
        "practice_name": policy.practice_name,
        "practice_phone": policy.phone,
        "url": url,
        "reminder": reminder,
        "follow_up": checkin.is_follow_up,
        "expires_at": checkin.expires_at,
        "minutes": max(2, 2 * checkin.items.count()),
    }
    return EmailParts(
        subject=" ".join(render_to_string("emails/checkin_subject.txt", context).split()),
        text=render_to_string("emails/checkin.txt", context),
        html=render_to_string("emails/checkin.html", context),
    )


def session_when(session: CounselingSession) -> str:
    """The appointment's day and time in the counselor's zone, for the client's email."""
    try:
        zone = zoneinfo.ZoneInfo(session.counselor.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = session.starts_at.astimezone(zone)
    return f"{when(local, 'full_datetime')} ({zone})"
