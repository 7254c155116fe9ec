"""Progress note services: drafts, signing, co-signing, returning and addenda."""

import pytest
from django.core.exceptions import ValidationError

from clients.models import ClientStatus
from practice.audit.models import AuditEvent
from practice.policy.models import CosignScope
from sessions_app.models import NoteEvent, NoteStatus, SessionStatus
from sessions_app.services import (
    note_add_addendum,
    note_cosign,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
)
from tests.factories import GroupFactory, SessionFactory

pytestmark = pytest.mark.django_db

DAP = {
    "data": "Client reported sleeping six hours most nights.",
    "assessment": "Sleep improving; mood steadier.",
    "plan": "Keep the sleep diary; review in two weeks.",
}


@pytest.fixture
def session(own_client):
    return SessionFactory(client=own_client)


@pytest.fixture
def draft(owner, session):
    return note_open(actor=owner, session=session)


@pytest.fixture
def cosign_everyone(policy):
    policy.cosign_required_for = CosignScope.EVERYONE
    policy.save()
    return policy


def written(owner, note, **content):
    return note_save_draft(actor=owner, note=note, **{**DAP, **content})


def test_opening_creates_one_empty_draft_for_the_sessions_counselor(owner, session):
    note = note_open(actor=owner, session=session)
    assert note_open(actor=owner, session=session).pk == note.pk
    assert (note.status, note.author, note.client, note.is_empty) == (
        NoteStatus.DRAFT,
        owner,
        session.client,
        True,
    )
    assert AuditEvent.objects.filter(object_id=str(note.pk), action="create").count() == 1


@pytest.mark.parametrize("status", [SessionStatus.SCHEDULED, SessionStatus.NO_SHOW])
def test_only_an_attended_session_gets_a_note(owner, own_client, status):
    session = SessionFactory(client=own_client, status=status)
    with pytest.raises(ValidationError, match="Mark the session attended"):
        note_open(actor=owner, session=session)


def test_a_group_session_gets_no_note(owner):
    session = SessionFactory(client=None, group=GroupFactory(created_by=owner), counselor=owner)
    with pytest.raises(ValidationError, match="Group sessions"):
        note_open(actor=owner, session=session)


def test_it_saves_a_draft_and_refuses_a_stale_version(owner, draft):
    opened_at = draft.updated_at.isoformat()
    saved = written(owner, draft, risk_level="low", risk_notes="Passive thoughts, no plan.")
    assert (saved.data, saved.risk_level) == (DAP["data"], "low")
    with pytest.raises(ValidationError, match="Someone changed this record"):
        note_save_draft(actor=owner, note=draft, version=opened_at, data="older text")
    saved.refresh_from_db()
    assert saved.data == DAP["data"]


def test_only_the_clients_counselor_writes_the_note(colleague, supervisor, draft):
    for stranger in (colleague, supervisor):
        with pytest.raises(ValidationError, match="Only the client's counselor"):
            note_save_draft(actor=stranger, note=draft, data="x")
        with pytest.raises(ValidationError, match="Only the client's counselor"):
            note_sign(actor=stranger, note=draft)


def test_signing_freezes_the_note_with_a_hash_and_history(owner, draft):
    note = note_sign(actor=owner, note=written(owner, draft))
    assert (note.status, note.signed_by) == (NoteStatus.SIGNED, owner)
    assert note.signed_at is not None
    assert note.content_sha256 == note.compute_sha256() and len(note.content_sha256) == 64
    assert [(e.action, e.actor) for e in note.events.all()] == [(NoteEvent.Action.SIGNED, owner)]
    with pytest.raises(ValidationError, match="already signed by Olivia Owner"):
        note_save_draft(actor=owner, note=note, data="changed")
    with pytest.raises(ValidationError, match="already signed"):
        note_sign(actor=owner, note=note)


def test_signing_an_empty_note_names_each_missing_part(owner, draft):
    with pytest.raises(ValidationError) as refused:
        note_sign(actor=owner, note=draft)
    assert set(refused.value.message_dict) == {"data", "assessment", "plan"}
    note_save_draft(actor=owner, note=draft, data="Only data", assessment="   ")
    with pytest.raises(ValidationError) as refused:
        note_sign(actor=owner, note=draft)
    assert set(refused.value.message_dict) == {"assessment", "plan"}
    draft.refresh_from_db()
    assert draft.status == NoteStatus.DRAFT


def test_a_note_needing_cosignature_waits_for_the_supervisor(
    owner, supervisor, draft, cosign_everyone
):
    note = note_sign(actor=owner, note=written(owner, draft))
    assert note.status == NoteStatus.AWAITING_COSIGN
    with pytest.raises(ValidationError, match="already signed"):
        note_save_draft(actor=owner, note=note, data="changed")
    note = note_cosign(actor=supervisor, note=note)
    assert (note.status, note.cosigned_by) == (NoteStatus.SIGNED, supervisor)
    assert [e.action for e in note.events.all()] == ["submitted", "cosigned"]
    with pytest.raises(ValidationError, match="not waiting for a co-signature"):
        note_cosign(actor=supervisor, note=note)


def test_cosigning_follows_the_policy_for_marked_counselors(owner, supervisor, draft, policy):
    policy.cosign_required_for = CosignScope.MARKED
    policy.save()
    owner.notes_require_cosign = True
    owner.save()
    assert note_sign(actor=owner, note=written(owner, draft)).status == NoteStatus.AWAITING_COSIGN


def test_a_returned_note_goes_back_to_draft_and_can_be_signed_again(
    owner, supervisor, draft, cosign_everyone
):
    note = note_sign(actor=owner, note=written(owner, draft))
    with pytest.raises(ValidationError) as refused:
        note_return(actor=supervisor, note=note, comment="  ")
    assert "comment" in refused.value.message_dict
    note = note_return(actor=supervisor, note=note, comment="Add the risk review.")
    assert note.status == NoteStatus.DRAFT
    note = written(owner, note, risk_notes="Asked directly; denies intent.")
    note = note_sign(actor=owner, note=note)
    note = note_cosign(actor=supervisor, note=note)
    history = [(e.action, e.comment) for e in note.events.all()]
    assert history == [
        ("submitted", ""),
        ("returned", "Add the risk review."),
        ("submitted", ""),
        ("cosigned", ""),
    ]
    assert note.content_sha256 == note.compute_sha256()


def test_only_a_current_supervisor_of_the_author_reviews(
    owner, colleague, outsider_supervisor, draft, cosign_everyone
):
    note = note_sign(actor=owner, note=written(owner, draft))
    for stranger in (owner, colleague, outsider_supervisor):
        with pytest.raises(ValidationError, match="Only a current supervisor"):
            note_cosign(actor=stranger, note=note)
        with pytest.raises(ValidationError, match="Only a current supervisor"):
            note_return(actor=stranger, note=note, comment="No")


def test_addenda_come_after_signing_even_on_a_closed_record(owner, draft, own_client):
    with pytest.raises(ValidationError, match="still a draft"):
        note_add_addendum(actor=owner, note=draft, text="Early")
    note = note_sign(actor=owner, note=written(owner, draft))
    own_client.status = ClientStatus.CLOSED
    own_client.save()
    with pytest.raises(ValidationError) as refused:
        note_add_addendum(actor=owner, note=note, text="   ")
    assert "text" in refused.value.message_dict
    addendum = note_add_addendum(actor=owner, note=note, text="  Client later clarified dates. ")
    assert (addendum.text, addendum.author) == ("Client later clarified dates.", owner)
    note.refresh_from_db()
    assert note.content_sha256 == note.compute_sha256()


def test_a_closed_record_refuses_draft_changes(owner, draft, own_client):
    own_client.status = ClientStatus.CLOSED
    own_client.save()
    with pytest.raises(ValidationError, match="closed and locked"):
        written(owner, draft)


def test_a_colleague_cannot_add_an_addendum(owner, colleague, draft):
    note = note_sign(actor=owner, note=written(owner, draft))
    with pytest.raises(ValidationError, match="Only the client's counselor"):
        note_add_addendum(actor=colleague, note=note, text="Not mine")
