"""CounselingSession.note_due, the derived flag the caseload, the board and the unsigned-notes
sweep read: kept true by the session and note services through every move."""

import datetime as dt

import pytest
from django.utils import timezone

from practice.policy.models import CosignScope
from sessions_app.models import CounselingSession, Modality, SessionKind, SessionStatus
from sessions_app.services import (
    note_cosign,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
    session_schedule,
    session_set_status,
)
from sessions_app.services.sessions import note_due_rule
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

DAP = {"data": "Slept better.", "assessment": "Improving.", "plan": "Review in two weeks."}


def due(session) -> bool:
    return CounselingSession.objects.get(pk=session.pk).note_due


def agrees_with_the_rule() -> bool:
    flagged = set(CounselingSession.objects.filter(note_due=True).values_list("pk", flat=True))
    ruled = set(CounselingSession.objects.filter(note_due_rule()).values_list("pk", flat=True))
    return flagged == ruled


def test_it_follows_attendance_and_the_note_through_signing(owner, own_client):
    start = timezone.now() - dt.timedelta(days=2)
    session = session_schedule(
        actor=owner,
        counselor=owner,
        client=own_client,
        starts_at=start,
        duration_minutes=50,
        modality=Modality.IN_PERSON,
        kind=SessionKind.REGULAR,
    )
    assert not due(session)
    session_set_status(actor=owner, session=session, status=SessionStatus.ATTENDED)
    assert due(session)
    note = note_save_draft(actor=owner, note=note_open(actor=owner, session=session), **DAP)
    assert due(session)  # a draft is not a signed note
    note_sign(actor=owner, note=note)
    assert not due(session)
    assert agrees_with_the_rule()


def test_it_clears_when_the_session_turns_out_a_no_show(owner, own_client):
    session = SessionFactory(client=own_client)
    assert due(session)
    session_set_status(actor=owner, session=session, status=SessionStatus.NO_SHOW)
    assert not due(session)
    assert agrees_with_the_rule()


def test_a_returned_note_is_due_again_and_a_cosigned_one_is_not(
    owner, own_client, supervisor, policy
):
    policy.cosign_required_for = CosignScope.EVERYONE
    policy.save()
    session = SessionFactory(client=own_client)
    note = note_save_draft(actor=owner, note=note_open(actor=owner, session=session), **DAP)
    note_sign(actor=owner, note=note)
    assert not due(session)  # signed by the counselor, waiting for the co-signature
    note_return(actor=supervisor, note=note, comment="Add the risk plan.")
    assert due(session)
    note_sign(actor=owner, note=note)
    note_cosign(actor=supervisor, note=note)
    assert not due(session)
    assert agrees_with_the_rule()
