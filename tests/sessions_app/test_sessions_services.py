"""Scheduling services: no double booking, allowed status moves, rescheduling."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import ClientStatus
from practice.audit.models import AuditEvent
from sessions_app.models import CounselingSession, NoteStatus, SessionStatus
from sessions_app.services import session_reschedule, session_schedule, session_set_status
from sessions_app.services.sessions import ALLOWED_MOVES
from tests.factories import ClientFactory, GroupFactory, NoteFactory, SessionFactory

pytestmark = pytest.mark.django_db

TOMORROW_AT_TEN = (timezone.now() + dt.timedelta(days=1)).replace(
    hour=10, minute=0, second=0, microsecond=0
)


def book(counselor, client, starts_at=TOMORROW_AT_TEN, minutes=50, **extra) -> CounselingSession:
    return session_schedule(
        actor=counselor,
        counselor=counselor,
        client=client,
        starts_at=starts_at,
        duration_minutes=minutes,
        modality="in_person",
        kind="regular",
        **extra,
    )


def past_session(client, status, days_ago=2) -> CounselingSession:
    return SessionFactory(
        client=client, starts_at=timezone.now() - dt.timedelta(days=days_ago), status=status
    )


def test_it_schedules_a_session_and_audits_it(owner, own_client):
    session = book(owner, own_client)
    assert session.status == SessionStatus.SCHEDULED
    assert session.ends_at == TOMORROW_AT_TEN + dt.timedelta(minutes=50)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(session.pk), client_id=own_client.pk
    ).exists()


def test_it_allows_back_to_back_sessions(owner, own_client):
    first = book(owner, own_client)
    second = book(owner, ClientFactory(primary_counselor=owner), starts_at=first.ends_at)
    before = book(
        owner,
        ClientFactory(primary_counselor=owner),
        starts_at=first.starts_at - dt.timedelta(minutes=30),
        minutes=30,
    )
    assert {first.pk, second.pk, before.pk} == set(
        CounselingSession.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("offset_minutes", "minutes"),
    [
        (49, 50),  # starts one minute before the first ends
        (-49, 50),  # ends one minute after the first starts
        (0, 50),  # the same slot
        (10, 20),  # inside the first
        (-10, 80),  # around the first
    ],
)
def test_it_refuses_any_overlap_and_names_the_clash(owner, own_client, offset_minutes, minutes):
    book(owner, own_client)
    other = ClientFactory(primary_counselor=owner)
    with pytest.raises(ValidationError) as refused:
        book(
            owner,
            other,
            starts_at=TOMORROW_AT_TEN + dt.timedelta(minutes=offset_minutes),
            minutes=minutes,
        )
    message = refused.value.message_dict["starts_at"][0]
    assert "already has a session with Ada Lovelace" in message
    assert CounselingSession.objects.count() == 1


def test_another_counselor_may_use_the_same_time(owner, own_client, colleague, colleagues_client):
    book(owner, own_client)
    assert book(colleague, colleagues_client).pk


def test_a_cancelled_session_frees_its_slot_but_a_no_show_does_not(owner, own_client):
    cancelled = book(owner, own_client)
    session_set_status(actor=owner, session=cancelled, status=SessionStatus.CANCELLED)
    replacement = book(owner, ClientFactory(primary_counselor=owner))
    assert replacement.starts_at == cancelled.starts_at


def test_restoring_a_cancelled_session_checks_the_slot_again(owner, own_client):
    cancelled = book(owner, own_client)
    session_set_status(actor=owner, session=cancelled, status=SessionStatus.CANCELLED)
    book(owner, ClientFactory(primary_counselor=owner))
    with pytest.raises(ValidationError, match="already has a session"):
        session_set_status(actor=owner, session=cancelled, status=SessionStatus.SCHEDULED)


def test_it_refuses_clients_off_the_counselors_caseload(owner, colleagues_client):
    with pytest.raises(ValidationError) as refused:
        book(owner, colleagues_client)
    assert "not on the counselor's caseload" in refused.value.message_dict["client"][0]


def test_it_refuses_a_closed_client(owner, own_client):
    own_client.status = ClientStatus.CLOSED
    own_client.save()
    with pytest.raises(ValidationError, match="closed and locked"):
        book(owner, own_client)


@pytest.mark.parametrize("minutes", [4, 481])
def test_it_refuses_a_length_out_of_range(owner, own_client, minutes):
    with pytest.raises(ValidationError) as refused:
        book(owner, own_client, minutes=minutes)
    assert "duration_minutes" in refused.value.message_dict


def test_it_reschedules_to_a_free_time_and_keeps_the_rest(owner, own_client):
    session = book(owner, own_client)
    later = TOMORROW_AT_TEN + dt.timedelta(hours=3)
    moved = session_reschedule(
        actor=owner, session=session, starts_at=later, duration_minutes=60, modality="video"
    )
    moved.refresh_from_db()
    assert (moved.starts_at, moved.ends_at, moved.modality, moved.kind) == (
        later,
        later + dt.timedelta(minutes=60),
        "video",
        "regular",
    )


def test_rescheduling_may_overlap_the_session_itself_but_not_another(owner, own_client):
    session = book(owner, own_client)
    session_reschedule(
        actor=owner,
        session=session,
        starts_at=TOMORROW_AT_TEN + dt.timedelta(minutes=20),
        duration_minutes=50,
    )
    other = book(
        owner, ClientFactory(primary_counselor=owner), starts_at=TOMORROW_AT_TEN.replace(hour=14)
    )
    with pytest.raises(ValidationError, match="already has a session"):
        session_reschedule(
            actor=owner,
            session=session,
            starts_at=other.starts_at + dt.timedelta(minutes=49),
            duration_minutes=50,
        )


def test_only_a_scheduled_session_can_be_moved(owner, own_client):
    session = past_session(own_client, SessionStatus.ATTENDED)
    with pytest.raises(ValidationError, match="Only a scheduled session can be moved"):
        session_reschedule(
            actor=owner, session=session, starts_at=TOMORROW_AT_TEN, duration_minutes=50
        )


ALL_STATUSES = list(SessionStatus)


@pytest.mark.parametrize(
    ("before", "after"),
    list(itertools.product(ALL_STATUSES, ALL_STATUSES)),
    ids=lambda status: status.value,
)
def test_every_status_move_is_allowed_or_refused_as_documented(owner, own_client, before, after):
    session = past_session(own_client, before)
    if after in ALLOWED_MOVES[before]:
        session_set_status(actor=owner, session=session, status=after, reason="  why  ")
        session.refresh_from_db()
        assert (session.status, session.status_reason) == (after, "why")
        assert session.status_changed_at is not None
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.TRANSITION, object_id=str(session.pk)
        ).exists()
    else:
        with pytest.raises(ValidationError):
            session_set_status(actor=owner, session=session, status=after)
        session.refresh_from_db()
        assert session.status == before


def test_it_explains_a_refused_move(owner, own_client):
    session = past_session(own_client, SessionStatus.ATTENDED)
    with pytest.raises(ValidationError, match="attended session cannot be marked cancelled"):
        session_set_status(actor=owner, session=session, status=SessionStatus.CANCELLED)
    with pytest.raises(ValidationError, match="already marked attended"):
        session_set_status(actor=owner, session=session, status=SessionStatus.ATTENDED)


@pytest.mark.parametrize(
    "outcome", [SessionStatus.ATTENDED, SessionStatus.NO_SHOW, SessionStatus.LATE_CANCELLED]
)
def test_a_future_session_cannot_have_an_outcome_yet(owner, own_client, outcome):
    session = book(owner, own_client)
    with pytest.raises(ValidationError, match="has not started yet"):
        session_set_status(actor=owner, session=session, status=outcome)


def test_a_future_session_can_be_cancelled(owner, own_client):
    session = book(owner, own_client)
    session_set_status(actor=owner, session=session, status=SessionStatus.CANCELLED)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


def test_a_signed_note_freezes_the_attendance(owner, own_client):
    session = past_session(own_client, SessionStatus.ATTENDED)
    NoteFactory(session=session, status=NoteStatus.SIGNED, signed_by=owner)
    with pytest.raises(ValidationError, match="note of this session is signed"):
        session_set_status(actor=owner, session=session, status=SessionStatus.NO_SHOW)


def test_a_draft_note_does_not_freeze_the_attendance(owner, own_client):
    session = past_session(own_client, SessionStatus.ATTENDED)
    NoteFactory(session=session)
    session_set_status(actor=owner, session=session, status=SessionStatus.NO_SHOW)
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW


def test_group_sessions_also_block_the_counselors_time(owner, own_client):
    group = GroupFactory(created_by=owner)
    session_schedule(
        actor=owner,
        counselor=owner,
        group=group,
        starts_at=TOMORROW_AT_TEN,
        duration_minutes=90,
        modality="in_person",
        kind="regular",
    )
    with pytest.raises(ValidationError, match=f"group {group.name}"):
        book(owner, own_client, starts_at=TOMORROW_AT_TEN + dt.timedelta(minutes=60))
