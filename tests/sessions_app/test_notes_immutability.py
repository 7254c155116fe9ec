"""A signed note never changes, even by SQL: the database triggers refuse it (SQLite and
PostgreSQL alike). Addenda and the note's history are append-only."""

import pytest
from django.db import DatabaseError, connection, transaction

from practice.policy.models import CosignScope
from sessions_app.models import NoteAddendum, NoteEvent, NoteStatus, ProgressNote
from sessions_app.services import (
    note_add_addendum,
    note_cosign,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
)
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

DAP = {"data": "What happened.", "assessment": "What it means.", "plan": "What comes next."}
NOTE_TABLE = ProgressNote._meta.db_table


@pytest.fixture
def note(owner, own_client):
    draft = note_open(actor=owner, session=SessionFactory(client=own_client))
    return note_save_draft(actor=owner, note=draft, **DAP)


@pytest.fixture
def cosign_everyone(policy):
    policy.cosign_required_for = CosignScope.EVERYONE
    policy.save()


def refused_by_the_database(change) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        change()


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_draft_may_change(note):
    assert ProgressNote.objects.filter(pk=note.pk).update(data="Rewritten draft") == 1


@pytest.mark.parametrize("field", ["data", "assessment", "plan", "risk_level", "risk_notes"])
def test_a_signed_notes_content_cannot_change_through_the_orm(owner, note, field):
    note_sign(actor=owner, note=note)
    refused_by_the_database(
        lambda: ProgressNote.objects.filter(pk=note.pk).update(**{field: "tampered"})
    )
    note.refresh_from_db()
    assert getattr(note, field) != "tampered"


def test_a_signed_note_cannot_change_through_raw_sql(owner, note):
    note_sign(actor=owner, note=note)
    for sql in (
        f"UPDATE {NOTE_TABLE} SET data = 'tampered' WHERE id = %s",
        f"UPDATE {NOTE_TABLE} SET status = 'draft' WHERE id = %s",
        f"UPDATE {NOTE_TABLE} SET content_sha256 = '' WHERE id = %s",
        f"UPDATE {NOTE_TABLE} SET signed_at = NULL WHERE id = %s",
    ):
        refused_by_the_database(lambda sql=sql: raw_sql(sql, [note.pk]))
    note.refresh_from_db()
    assert (note.data, note.status) == (DAP["data"], NoteStatus.SIGNED)
    assert note.content_sha256 == note.compute_sha256()


def test_saving_a_changed_signed_note_object_is_refused(owner, note):
    signed = note_sign(actor=owner, note=note)
    signed.plan = "tampered"
    refused_by_the_database(signed.save)


def test_the_database_refuses_to_delete_a_signed_note(owner, note):
    note_sign(actor=owner, note=note)
    refused_by_the_database(lambda: raw_sql(f"DELETE FROM {NOTE_TABLE} WHERE id = %s", [note.pk]))


def test_a_note_awaiting_cosignature_keeps_its_content_but_may_be_reviewed(
    owner, supervisor, note, cosign_everyone
):
    note = note_sign(actor=owner, note=note)
    assert note.status == NoteStatus.AWAITING_COSIGN
    refused_by_the_database(
        lambda: ProgressNote.objects.filter(pk=note.pk).update(assessment="tampered")
    )
    refused_by_the_database(
        lambda: raw_sql(f"UPDATE {NOTE_TABLE} SET plan = 'tampered' WHERE id = %s", [note.pk])
    )
    cosigned = note_cosign(actor=supervisor, note=note)
    assert cosigned.status == NoteStatus.SIGNED


def test_a_note_awaiting_cosignature_may_be_returned_to_draft(
    owner, supervisor, note, cosign_everyone
):
    note = note_sign(actor=owner, note=note)
    returned = note_return(actor=supervisor, note=note, comment="Add the risk review.")
    assert returned.status == NoteStatus.DRAFT
    assert ProgressNote.objects.filter(pk=note.pk).update(risk_notes="Reviewed") == 1


def test_a_cosigned_note_cannot_change(owner, supervisor, note, cosign_everyone):
    note = note_cosign(actor=supervisor, note=note_sign(actor=owner, note=note))
    refused_by_the_database(
        lambda: ProgressNote.objects.filter(pk=note.pk).update(cosigned_by=owner)
    )


def test_addenda_and_note_events_cannot_be_changed(owner, note):
    note = note_sign(actor=owner, note=note)
    addendum = note_add_addendum(actor=owner, note=note, text="A correction.")
    refused_by_the_database(
        lambda: NoteAddendum.objects.filter(pk=addendum.pk).update(text="tampered")
    )
    refused_by_the_database(
        lambda: raw_sql(
            f"UPDATE {NoteAddendum._meta.db_table} SET text = 'tampered' WHERE id = %s",
            [addendum.pk],
        )
    )
    refused_by_the_database(
        lambda: NoteEvent.objects.filter(note=note).update(comment="rewritten history")
    )
    refused_by_the_database(
        lambda: raw_sql(
            f"UPDATE {NoteEvent._meta.db_table} SET action = 'cosigned' WHERE note_id = %s",
            [note.pk],
        )
    )
    addendum.refresh_from_db()
    assert addendum.text == "A correction."
    assert list(note.events.values_list("action", "comment")) == [("signed", "")]
