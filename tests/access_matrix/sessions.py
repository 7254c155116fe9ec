"""Who may open the session, agenda and note URLs."""

import datetime as dt

from django.utils import timezone

from sessions_app.models import NoteStatus, SessionStatus
from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory, NoteFactory, SessionFactory

COUNSELORS = {"owner", "colleague"}
OWNER = frozenset({"owner"})
CLINICAL_READERS = frozenset({"owner", "supervisor"})
SUPERVISOR = frozenset({"supervisor"})


def attended_session(owner, **_) -> dict:
    return {"pk": SessionFactory(client=ClientFactory(primary_counselor=owner)).pk}


def scheduled_session(owner, **_) -> dict:
    session = SessionFactory(
        client=ClientFactory(primary_counselor=owner),
        starts_at=timezone.now() + dt.timedelta(days=3),
        status=SessionStatus.SCHEDULED,
    )
    return {"pk": session.pk}


def draft_note(owner, **_) -> dict:
    return {"pk": NoteFactory(session__client=ClientFactory(primary_counselor=owner)).pk}


def signed_note(owner, **_) -> dict:
    note = NoteFactory(
        session__client=ClientFactory(primary_counselor=owner),
        status=NoteStatus.SIGNED,
        signed_by=owner,
        signed_at=timezone.now(),
    )
    return {"pk": note.pk}


def note_awaiting_cosign(owner, **_) -> dict:
    note = NoteFactory(
        session__client=ClientFactory(primary_counselor=owner),
        status=NoteStatus.AWAITING_COSIGN,
        signed_by=owner,
        signed_at=timezone.now(),
    )
    return {"pk": note.pk}


ROLE_PAGES: dict[str, set[str]] = {
    "agenda": COUNSELORS,
    "session_new": COUNSELORS,
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("session_detail", attended_session, CLINICAL_READERS),
    ObjectUrl("session_reschedule", scheduled_session, OWNER),
    ObjectUrl("session_status", attended_session, OWNER, method="post"),
    ObjectUrl("session_note", attended_session, OWNER),
    ObjectUrl("note_detail", draft_note, CLINICAL_READERS),
    ObjectUrl("note_addendum", signed_note, OWNER, method="post"),
    ObjectUrl("note_cosign", note_awaiting_cosign, SUPERVISOR, method="post"),
    ObjectUrl("note_return", note_awaiting_cosign, SUPERVISOR, method="post"),
]
