"""Scheduling, rescheduling and the outcome of a session. A counselor is never double-booked."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from clients.services import ensure_open
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.formats import when
from practice.staff.models import User
from sessions_app.models import CounselingSession, Group, NoteStatus, ProgressNote, SessionStatus

# Moves allowed from each status. Outcomes can be corrected while no note is signed.
OUTCOMES = {SessionStatus.ATTENDED, SessionStatus.LATE_CANCELLED, SessionStatus.NO_SHOW}
ALLOWED_MOVES = {
    SessionStatus.SCHEDULED: OUTCOMES | {SessionStatus.CANCELLED},
    SessionStatus.ATTENDED: OUTCOMES - {SessionStatus.ATTENDED},
    SessionStatus.LATE_CANCELLED: OUTCOMES - {SessionStatus.LATE_CANCELLED},
    SessionStatus.NO_SHOW: OUTCOMES - {SessionStatus.NO_SHOW},
    SessionStatus.CANCELLED: {SessionStatus.SCHEDULED},
}


def describe_clash(session: CounselingSession, viewer_tz: dt.tzinfo | None = None) -> str:
    start = timezone.localtime(session.starts_at, viewer_tz)
    end = timezone.localtime(session.ends_at, viewer_tz)
    values = {
        "counselor": session.counselor,
        "day": when(start, "weekday_date"),
        "start": when(start, "time"),
        "end": when(end, "time"),
    }
    if session.client_id:
        return _(
            "%(counselor)s already has a session with %(client)s on %(day)s from %(start)s to "
            "%(end)s."
        ) % {**values, "client": session.client.display_name}
    return _(
        "%(counselor)s already has a session with group %(group)s on %(day)s from %(start)s to "
        "%(end)s."
    ) % {**values, "group": session.group}


def _lock_calendar(counselor: User) -> None:
    """Serialise bookings per counselor so two requests cannot both take the same time."""
    User.objects.select_for_update().filter(pk=counselor.pk).first()


def _ensure_free(
    counselor: User, start: dt.datetime, end: dt.datetime, exclude: CounselingSession | None = None
) -> None:
    clashes = (
        CounselingSession.objects.booked()
        .filter(counselor=counselor)
        .overlapping(start, end)
        .select_related("client", "group", "counselor")
    )
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    clash = clashes.first()
    if clash:
        raise ValidationError({"starts_at": describe_clash(clash)})


def _validate_time(starts_at: dt.datetime, duration_minutes: int) -> dt.datetime:
    if not 5 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": _("A session lasts from 5 to 480 minutes.")})
    return starts_at + dt.timedelta(minutes=duration_minutes)


@transaction.atomic
def session_schedule(
    *,
    actor: User,
    counselor: User,
    starts_at: dt.datetime,
    duration_minutes: int,
    modality: str,
    kind: str,
    client: Client | None = None,
    group: Group | None = None,
    request: HttpRequest | None = None,
) -> CounselingSession:
    if (client is None) == (group is None):
        raise ValidationError(_("A session is either with one client or with a group."))
    if client is not None:
        ensure_open(client)
        if not Client.objects.editable_by(counselor).filter(pk=client.pk).exists():
            raise ValidationError({"client": _("This client is not on the counselor's caseload.")})
        if starts_at.date() < client.intake_date - dt.timedelta(days=30):
            raise ValidationError({"starts_at": _("That is long before the client's intake.")})
    if group is not None and not group.facilitators.filter(pk=counselor.pk).exists():
        raise ValidationError({"group": _("Only a facilitator of the group can run its sessions.")})
    ends_at = _validate_time(starts_at, duration_minutes)
    _lock_calendar(counselor)
    _ensure_free(counselor, starts_at, ends_at)
    session = CounselingSession.objects.create(
        counselor=counselor,
        client=client,
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        duration_minutes=duration_minutes,
        modality=modality,
        kind=kind,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=session,
        client_id=client.pk if client else None,
        summary="Scheduled a session",
        request=request,
    )
    return session


@transaction.atomic
def session_reschedule(
    *,
    actor: User,
    session: CounselingSession,
    starts_at: dt.datetime,
    duration_minutes: int,
    modality: str | None = None,
    request: HttpRequest | None = None,
) -> CounselingSession:
    session = CounselingSession.objects.select_for_update().get(pk=session.pk)
    if session.client_id:
        ensure_open(session.client)
    if session.status != SessionStatus.SCHEDULED:
        status = session.get_status_display().lower()
        raise ValidationError(
            _("Only a scheduled session can be moved; this one is %(status)s.") % {"status": status}
        )
    ends_at = _validate_time(starts_at, duration_minutes)
    _lock_calendar(session.counselor)
    _ensure_free(session.counselor, starts_at, ends_at, exclude=session)
    session.starts_at, session.ends_at, session.duration_minutes = (
        starts_at,
        ends_at,
        duration_minutes,
    )
    if modality:
        session.modality = modality
    session.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=session,
        client_id=session.client_id,
        summary="Rescheduled a session",
        request=request,
    )
    return session


@transaction.atomic
def session_set_status(
    *,
    actor: User,
    session: CounselingSession,
    status: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> CounselingSession:
    """The one place a session's status changes."""
    session = CounselingSession.objects.select_for_update().get(pk=session.pk)
    if session.client_id:
        ensure_open(session.client)
    if status == session.status:
        raise ValidationError(
            _("The session is already marked %(status)s.")
            % {"status": session.get_status_display().lower()}
        )
    if status not in ALLOWED_MOVES[session.status]:
        current = session.get_status_display().lower()
        # Two sentences rather than a built article: "An attended …", "A scheduled …".
        if SessionStatus(session.status).label[0].lower() in "aeiou":
            message = _("An %(current)s session cannot be marked %(new)s.")
        else:
            message = _("A %(current)s session cannot be marked %(new)s.")
        raise ValidationError(
            message % {"current": current, "new": SessionStatus(status).label.lower()}
        )
    if status in OUTCOMES and session.starts_at > timezone.now():
        raise ValidationError(
            _("This session has not started yet; cancel or reschedule it instead.")
        )
    note = getattr(session, "note", None)
    if session.status == SessionStatus.ATTENDED and note and note.status != NoteStatus.DRAFT:
        raise ValidationError(_("The note of this session is signed, so its attendance stands."))
    if status == SessionStatus.SCHEDULED:
        _lock_calendar(session.counselor)
        _ensure_free(session.counselor, session.starts_at, session.ends_at, exclude=session)
    old = session.status
    session.status = status
    session.status_reason = reason.strip()
    session.status_changed_at = timezone.now()
    session.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    session_refresh_note_due(session_id=session.pk)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=session,
        client_id=session.client_id,
        summary=f"Session {SessionStatus(old).label} → {SessionStatus(status).label}",
        request=request,
    )
    return session


def note_due_rule() -> Q:
    """A session's note is due: the session was attended and its note is missing or a draft."""
    signed_note = ProgressNote.objects.filter(session_id=OuterRef("pk")).exclude(
        status=NoteStatus.DRAFT
    )
    return Q(status=SessionStatus.ATTENDED) & ~Exists(signed_note)


def session_refresh_note_due(*, session_id: int) -> None:
    """The one place CounselingSession.note_due is set: called whenever the session's status or
    its note's status changes."""
    CounselingSession.objects.filter(pk=session_id).update(
        note_due=Case(When(note_due_rule(), then=Value(True)), default=Value(False))
    )
