"""Scheduling sessions, the session page, its outcome, and the counselor's week agenda.

Times are typed and shown in the signed-in user's own time zone (User.time_zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clients.models import Client
from practice.formats import when as format_when
from practice.forms import add_service_error, read_query
from practice.input import safe_next
from practice.links import RowLink
from practice.staff.access import role_required
from practice.staff.models import Role, User
from sessions_app import services
from sessions_app.access import session_for_changing, session_for_reading
from sessions_app.forms.sessions import (
    AgendaWeekForm,
    SessionQueryForm,
    SessionRescheduleForm,
    SessionScheduleForm,
    SessionStatusForm,
)
from sessions_app.models import CounselingSession, Group, NoteStatus, ProgressNote, SessionStatus
from sessions_app.services.sessions import ALLOWED_MOVES, OUTCOMES
from sessions_app.templatetags.sessions_tags import note_or_none

# Weeks outside these years are typos; they fall back to this week rather than overflow.

STATUS_ACTION_LABELS = {
    SessionStatus.ATTENDED: gettext_lazy("Attended"),
    SessionStatus.NO_SHOW: gettext_lazy("No-show"),
    SessionStatus.LATE_CANCELLED: gettext_lazy("Late-cancelled"),
    SessionStatus.CANCELLED: gettext_lazy("Cancel session"),
    SessionStatus.SCHEDULED: gettext_lazy("Restore as scheduled"),
}


# Shared helpers (the note views use them too) ------------------------------------------------


def user_time_zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_users_time_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Parse typed times and render every time in the signed-in user's own time zone."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with timezone.override(user_time_zone(request.user)):
            return view(request, *args, **kwargs)

    return wrapped


def flash_service_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def when(session: CounselingSession) -> str:
    return format_when(timezone.localtime(session.starts_at), "weekday_datetime")


# Scheduling ---------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
@in_users_time_zone
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionScheduleForm(
        request.POST if request.method == "POST" else None,
        counselor=request.user,
        initial=_initial_client(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(
                actor=request.user,
                counselor=request.user,
                client=form.cleaned_data["client"],
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                modality=form.cleaned_data["modality"],
                kind=form.cleaned_data["kind"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Session scheduled for %(when)s.") % {"when": when(session)}
            )
            return redirect("session_detail", session.pk)
    return render(
        request,
        "sessions_app/session_form.html",
        {
            "form": form,
            "title": _("Schedule a session"),
            "submit": _("Schedule"),
            "session": None,
        },
    )


def _initial_client(request: HttpRequest) -> dict:
    pk = read_query(request, SessionQueryForm).values["client"]
    return {"client": pk} if pk else {}


@login_required
@in_users_time_zone
@require_http_methods(["GET", "POST"])
def session_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_changing(request, pk)
    form = SessionRescheduleForm(
        request.POST if request.method == "POST" else None,
        initial={
            "starts_at": session.starts_at,
            "duration_minutes": session.duration_minutes,
            "modality": session.modality,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_reschedule(
                actor=request.user,
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                modality=form.cleaned_data["modality"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Session moved to %(when)s.") % {"when": when(session)})
            return redirect("session_detail", session.pk)
    return render(
        request,
        "sessions_app/session_form.html",
        {
            "form": form,
            "title": _("Move the session"),
            "submit": _("Move"),
            "session": session,
            "can_move": session.status == SessionStatus.SCHEDULED,
        },
    )


@login_required
@require_POST
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_changing(request, pk)
    back = safe_next(request, reverse("session_detail", args=[session.pk]))
    form = SessionStatusForm(request.POST)
    if form.is_valid():
        try:
            changed = services.session_set_status(
                actor=request.user,
                session=session,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Session marked %(status)s.") % {"status": changed.get_status_display().lower()},
            )
            return redirect(back)
    # Refused: the session page again, with the reason as typed and why beside it.
    session.refresh_from_db()
    context = session_detail_context(session, request.user, status_form=form)
    return render(request, "sessions_app/session_detail.html", context)


# The session page ---------------------------------------------------------------------------


@login_required
@in_users_time_zone
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_reading(request, pk)
    return render(
        request, "sessions_app/session_detail.html", session_detail_context(session, request.user)
    )


def may_change_session(session: CounselingSession, user: User) -> bool:
    if session.client_id:
        return Client.objects.editable_by(user).filter(pk=session.client_id).exists()
    return Group.objects.run_by(user).filter(pk=session.group_id).exists()


def status_actions(session: CounselingSession, note: ProgressNote | None) -> list[dict]:
    """The moves worth offering; the service still decides (and explains) every move."""
    if note is not None and note.status != NoteStatus.DRAFT:
        return []
    in_future = session.starts_at > timezone.now()
    return [
        {"value": status.value, "label": label}
        for status, label in STATUS_ACTION_LABELS.items()
        if status in ALLOWED_MOVES[SessionStatus(session.status)]
        and not (in_future and status in OUTCOMES)
    ]


def session_detail_context(
    session: CounselingSession, viewer: User, status_form: SessionStatusForm | None = None
) -> dict:
    note = (
        ProgressNote.objects.filter(session=session)
        .select_related("signed_by", "cosigned_by")
        .first()
    )
    can_edit = may_change_session(session, viewer)
    is_attended = session.status == SessionStatus.ATTENDED
    return {
        "session": session,
        "note": note,
        "can_edit": can_edit,
        "can_write_note": can_edit
        and is_attended
        and not session.is_group
        and (note is None or note.status == NoteStatus.DRAFT),
        "can_move": can_edit and session.status == SessionStatus.SCHEDULED,
        "status_actions": status_actions(session, note) if can_edit else [],
        "status_form": status_form or SessionStatusForm(),
        "ratings": list(session.ratings.select_related("instrument")),
        "attendance": list(session.attendance.select_related("member__client"))
        if session.is_group
        else [],
    }


# The week agenda ----------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
@in_users_time_zone
def agenda(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sessions_app/agenda.html",
        agenda_context(request.user, read_query(request, AgendaWeekForm).values["week"]),
    )


def week_monday(week: dt.date | None, today: dt.date) -> dt.date:
    """The Monday of the week holding `week` (checked by AgendaWeekForm); this week if None."""
    day = week or today
    return day - dt.timedelta(days=day.weekday())


def agenda_context(counselor: User, week: dt.date | None) -> dict:
    """The counselor's week, Monday to Sunday, in the current (the counselor's) time zone."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    monday = week_monday(week, today)
    days = [monday + dt.timedelta(days=offset) for offset in range(7)]
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=zone)
    sessions = (
        CounselingSession.objects.filter(
            counselor=counselor, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("client", "group", "note")
        .order_by("starts_at", "pk")
    )
    by_day: dict[dt.date, list[dict]] = {day: [] for day in days}
    now = timezone.now()
    session_url, client_url = RowLink("session_detail"), RowLink("client_detail")
    note_url, write_note_url = RowLink("note_detail"), RowLink("session_note")
    for session in sessions:
        note = note_or_none(session)
        needs_note = (
            session.status == SessionStatus.ATTENDED
            and not session.is_group
            and (note is None or note.status == NoteStatus.DRAFT)
        )
        by_day[timezone.localtime(session.starts_at).date()].append(
            {
                "session": session,
                "note": note,
                "needs_note": needs_note,
                "awaits_outcome": session.status == SessionStatus.SCHEDULED
                and session.starts_at <= now,
                "session_url": session_url(session.pk),
                "client_url": client_url(session.client_id) if session.client_id else "",
                "note_url": note_url(note.pk) if note else "",
                "write_note_url": write_note_url(session.pk),
            }
        )
    return {
        "monday": monday,
        "sunday": days[-1],
        "today": today,
        "days": [{"date": day, "is_today": day == today, "rows": by_day[day]} for day in days],
        "session_count": sum(len(rows) for rows in by_day.values()),
        "previous_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "is_this_week": monday <= today <= days[-1],
        "time_zone": str(zone),
    }
