"""Template filters for sessions and notes."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext

register = template.Library()


@register.filter
def note_or_none(session):
    """The session's progress note, or None: `{% with note=session|note_or_none %}`.

    Reading a missing reverse one-to-one raises; this answers None instead (and costs no query
    when the session was loaded with select_related("note"))."""
    try:
        return session.note
    except ObjectDoesNotExist:
        return None


SESSION_STATUS_COLORS = {
    "attended": "success",
    "scheduled": "primary",
    "no_show": "danger",
    "late_cancelled": "warning",
}
NOTE_STATUS_COLORS = {"signed": "success", "awaiting_cosign": "info"}


@register.filter
def session_status_color(status: str) -> str:
    """The Bootstrap colour of a session status badge (one place for every list that shows it)."""
    return SESSION_STATUS_COLORS.get(status, "secondary")


@register.filter
def note_status_color(note) -> str:
    return NOTE_STATUS_COLORS.get(note.status, "warning")


@register.filter
def note_status_label(note) -> str:
    if note.status == "draft":
        return gettext("Note draft")
    if note.status == "awaiting_cosign":
        return gettext("Awaiting co-signature")
    return gettext("Signed and co-signed") if note.cosigned_at else gettext("Signed")
