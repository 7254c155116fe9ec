"""Progress notes: drafts change freely; a signature freezes the content for good.

Where the policy says a counselor's notes need co-signing, signing sends the note to the
supervisors' queue (awaiting co-signature): its content is frozen there too. A supervisor either
co-signs it (final) or returns it with a comment to draft; the history keeps both.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from clients.services import ensure_open, ensure_unchanged_since
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.formats import when
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import (
    CounselingSession,
    NoteAddendum,
    NoteEvent,
    NoteStatus,
    ProgressNote,
    SessionStatus,
)
from sessions_app.models.notes import CONTENT_FIELDS
from sessions_app.services.sessions import session_refresh_note_due

DAP_REQUIRED = {
    "data": gettext_lazy("Write what happened in the session before signing."),
    "assessment": gettext_lazy("Write your assessment before signing."),
    "plan": gettext_lazy("Write the plan before signing."),
}


def _lock(note: ProgressNote) -> ProgressNote:
    return ProgressNote.objects.select_for_update().select_related("client").get(pk=note.pk)


def _ensure_may_write(actor: User, note: ProgressNote) -> None:
    if not Client.objects.editable_by(actor).filter(pk=note.client_id).exists():
        raise ValidationError(_("Only the client's counselor can write or sign this note."))


def _already(note: ProgressNote) -> ValidationError:
    signed = when(timezone.localtime(note.signed_at), "datetime") if note.signed_at else ""
    return ValidationError(
        _(
            "This note was already signed by %(signer)s on %(when)s; it can no longer change. "
            "Your text is kept below: add it as an addendum if it is still needed."
        )
        % {"signer": note.signed_by, "when": signed}
    )


@transaction.atomic
def note_open(
    *, actor: User, session: CounselingSession, request: HttpRequest | None = None
) -> ProgressNote:
    """The note of an attended individual session, created as an empty draft the first time."""
    session = CounselingSession.objects.select_for_update().get(pk=session.pk)
    if session.client_id is None:
        raise ValidationError(
            _("Group sessions are recorded in the attendance, one line per member.")
        )
    if session.status != SessionStatus.ATTENDED:
        raise ValidationError(_("Mark the session attended before writing its note."))
    note, created = ProgressNote.objects.get_or_create(
        session=session, defaults={"client_id": session.client_id, "author": session.counselor}
    )
    if created:
        ensure_open(session.client)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=note,
            client_id=session.client_id,
            summary="Started a progress note",
            request=request,
        )
    return note


@transaction.atomic
def note_save_draft(
    *,
    actor: User,
    note: ProgressNote,
    version: str | None = None,
    request: HttpRequest | None = None,
    **content: str,
) -> ProgressNote:
    note = _lock(note)
    ensure_open(note.client)
    _ensure_may_write(actor, note)
    if note.status != NoteStatus.DRAFT:
        raise _already(note)
    ensure_unchanged_since(note, version)
    for field in CONTENT_FIELDS:
        if field in content:
            setattr(note, field, content[field])
    note.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=note,
        client_id=note.client_id,
        summary="Saved a draft note",
        request=request,
    )
    return note


@transaction.atomic
def note_sign(
    *, actor: User, note: ProgressNote, request: HttpRequest | None = None
) -> ProgressNote:
    note = _lock(note)
    ensure_open(note.client)
    _ensure_may_write(actor, note)
    if note.status != NoteStatus.DRAFT:
        raise _already(note)
    missing = {
        field: message
        for field, message in DAP_REQUIRED.items()
        if not getattr(note, field).strip()
    }
    if missing:
        raise ValidationError(missing)
    needs_cosign = PracticePolicy.current().needs_cosign(note.author)
    note.status = NoteStatus.AWAITING_COSIGN if needs_cosign else NoteStatus.SIGNED
    note.signed_by, note.signed_at = actor, timezone.now()
    note.content_sha256 = note.compute_sha256()
    note.save()
    session_refresh_note_due(session_id=note.session_id)
    NoteEvent.objects.create(
        note=note,
        actor=actor,
        content_sha256=note.content_sha256,
        action=NoteEvent.Action.SUBMITTED if needs_cosign else NoteEvent.Action.SIGNED,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SIGN,
        obj=note,
        client_id=note.client_id,
        summary="Signed a progress note" + (" (sent for co-signature)" if needs_cosign else ""),
        request=request,
    )
    return note


def _ensure_supervises(actor: User, note: ProgressNote) -> None:
    if not (actor.is_supervisor and actor.supervises(note.author)):
        raise ValidationError(_("Only a current supervisor of the note's author can review it."))


@transaction.atomic
def note_cosign(
    *, actor: User, note: ProgressNote, request: HttpRequest | None = None
) -> ProgressNote:
    note = _lock(note)
    _ensure_supervises(actor, note)
    if note.status != NoteStatus.AWAITING_COSIGN:
        raise ValidationError(
            _("This note is not waiting for a co-signature (someone may have reviewed it already).")
        )
    note.status = NoteStatus.SIGNED
    note.cosigned_by, note.cosigned_at = actor, timezone.now()
    note.save()
    NoteEvent.objects.create(
        note=note, actor=actor, action=NoteEvent.Action.COSIGNED, content_sha256=note.content_sha256
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SIGN,
        obj=note,
        client_id=note.client_id,
        summary="Co-signed a progress note",
        request=request,
    )
    return note


@transaction.atomic
def note_return(
    *, actor: User, note: ProgressNote, comment: str, request: HttpRequest | None = None
) -> ProgressNote:
    note = _lock(note)
    _ensure_supervises(actor, note)
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Say what should change before the note is co-signed.")}
        )
    if note.status != NoteStatus.AWAITING_COSIGN:
        raise ValidationError(
            _("This note is not waiting for a co-signature (someone may have reviewed it already).")
        )
    note.status = NoteStatus.DRAFT
    note.save(update_fields=["status", "updated_at"])
    session_refresh_note_due(session_id=note.session_id)
    NoteEvent.objects.create(
        note=note,
        actor=actor,
        action=NoteEvent.Action.RETURNED,
        comment=comment.strip(),
        content_sha256=note.content_sha256,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=note,
        client_id=note.client_id,
        summary="Returned a note for changes",
        request=request,
    )
    return note


@transaction.atomic
def note_add_addendum(
    *, actor: User, note: ProgressNote, text: str, request: HttpRequest | None = None
) -> NoteAddendum:
    """Corrections after signing; allowed on closed records too."""
    note = _lock(note)
    if not Client.objects.editable_by(actor).filter(pk=note.client_id).exists() and (
        note.author_id != actor.pk
    ):
        raise ValidationError(_("Only the client's counselor can add an addendum."))
    if note.status == NoteStatus.DRAFT:
        raise ValidationError(_("This note is still a draft: change it directly."))
    if not text.strip():
        raise ValidationError({"text": _("Write the addendum.")})
    addendum = NoteAddendum.objects.create(note=note, author=actor, text=text.strip())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=addendum,
        client_id=note.client_id,
        summary="Added an addendum to a note",
        request=request,
    )
    return addendum
