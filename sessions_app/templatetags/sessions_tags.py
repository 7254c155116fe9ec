"""Template filters for sessions and notes."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

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
