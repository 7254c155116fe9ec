"""The one place per record kind that decides what a request may read or change here.

Views of anything about a client (a session, a note, a rating) are audited here.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from clients.models import Client
from practice.audit.services import audit_viewed
from sessions_app.models import CounselingSession, Group, ProgressNote


def _audit_view(request: HttpRequest, obj, client_id: int | None, what: str) -> None:
    audit_viewed(request, obj, client_id=client_id, summary=f"Viewed {what}")


def session_for_reading(request: HttpRequest, pk: int) -> CounselingSession:
    session = get_object_or_404(
        CounselingSession.objects.visible_to(request.user).select_related(
            "client", "group", "counselor"
        ),
        pk=pk,
    )
    _audit_view(request, session, session.client_id, "a session")
    return session


def session_for_changing(request: HttpRequest, pk: int) -> CounselingSession:
    """Sessions of clients the user may change, or of groups they facilitate."""
    sessions = CounselingSession.objects.filter(
        Q(client__in=Client.objects.editable_by(request.user))
        | Q(group__in=Group.objects.run_by(request.user))
    )
    session = get_object_or_404(sessions.select_related("client", "group", "counselor"), pk=pk)
    _audit_view(request, session, session.client_id, "a session for editing")
    return session


def note_for_reading(request: HttpRequest, pk: int) -> ProgressNote:
    note = get_object_or_404(
        ProgressNote.objects.filter(
            client__in=Client.objects.clinical_for(request.user)
        ).select_related("session", "client", "author", "signed_by", "cosigned_by"),
        pk=pk,
    )
    _audit_view(request, note, note.client_id, "a progress note")
    return note


def note_for_reviewing(request: HttpRequest, pk: int) -> ProgressNote:
    """A note a supervisor may co-sign or return: one by a current supervisee."""
    note = note_for_reading(request, pk)
    if not (request.user.is_supervisor and request.user.supervises(note.author)):
        raise Http404("No such note.")
    return note


def group_for_reading(request: HttpRequest, pk: int) -> Group:
    group = get_object_or_404(Group.objects.visible_to(request.user), pk=pk)
    _audit_view(request, group, None, "a group")
    return group


def group_for_changing(request: HttpRequest, pk: int) -> Group:
    return get_object_or_404(Group.objects.run_by(request.user), pk=pk)
