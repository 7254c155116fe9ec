"""The note editor's GET: the session's note, or the empty draft it would start, unsaved.

A GET never writes: the draft row and its "Started a progress note" audit row are created by the
first save (`note_open` on POST), under the same checks as here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clients.services import ensure_open
from practice.staff.models import User
from sessions_app.models import CounselingSession, ProgressNote, SessionStatus


def note_for_editor(*, actor: User, session: CounselingSession) -> ProgressNote:
    """The saved note of `session`, or an unsaved empty draft; refuses (ValidationError)
    where `note_open` would."""
    note = ProgressNote.objects.filter(session=session).first()
    if note is not None:
        return note
    if session.client_id is None:
        raise ValidationError(
            _("Group sessions are recorded in the attendance, one line per member.")
        )
    if session.status != SessionStatus.ATTENDED:
        raise ValidationError(_("Mark the session attended before writing its note."))
    ensure_open(session.client)
    return ProgressNote(session=session, client_id=session.client_id, author=session.counselor)
