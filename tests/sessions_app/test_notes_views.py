"""The note editor, the read-only note page, addenda and the supervisor's review."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import ClientStatus
from practice.audit.models import AuditEvent
from practice.policy.models import CosignScope
from sessions_app.models import NoteAddendum, NoteStatus, ProgressNote, SessionStatus
from sessions_app.services import (
    note_add_addendum,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
)
from tests.factories import GroupFactory, SessionFactory

pytestmark = pytest.mark.django_db

DAP = {
    "data": "Client said the week was <calmer> & slept better.",
    "assessment": "Engaged; avoidance easing.",
    "plan": "Next step of the exposure ladder.",
    "risk_level": "none",
    "risk_notes": "",
}


@pytest.fixture
def session(own_client):
    return SessionFactory(client=own_client)


@pytest.fixture
def cosign_everyone(policy):
    policy.cosign_required_for = CosignScope.EVERYONE
    policy.save()
    return policy


def editor(session) -> str:
    return reverse("session_note", args=[session.pk])


def open_editor(client, user, session):
    client.force_login(user)
    response = client.get(editor(session))
    assert response.status_code == 200
    return response


def post_note(client, session, action="save", **content):
    note = ProgressNote.objects.filter(session=session).first()  # none until the first save
    version = note.updated_at.isoformat() if note else ""
    form = {**DAP, "version": version, action: "1", **content}
    return client.post(editor(session), form)


def signed_note(owner, session) -> ProgressNote:
    note = note_open(actor=owner, session=session)
    note = note_save_draft(actor=owner, note=note, **DAP)
    return note_sign(actor=owner, note=note)


# The editor ---------------------------------------------------------------------------------


def test_opening_the_editor_writes_nothing_until_the_first_save(client, owner, session):
    response = open_editor(client, owner, session)
    assert not ProgressNote.objects.filter(session=session).exists()
    page = response.content.decode()
    assert 'name="version"' in page
    for label in ("Data", "Assessment", "Plan", "Save draft", "Sign"):
        assert label in page
    post_note(client, session)
    assert ProgressNote.objects.get(session=session).status == NoteStatus.DRAFT


def test_a_draft_is_saved_and_audited(client, owner, session):
    open_editor(client, owner, session)
    response = post_note(client, session)
    assert response.status_code == 302 and response["Location"] == editor(session)
    note = ProgressNote.objects.get(session=session)
    assert (note.data, note.status) == (DAP["data"], NoteStatus.DRAFT)
    assert AuditEvent.objects.filter(
        actor=owner, action=AuditEvent.Action.UPDATE, object_id=str(note.pk)
    ).exists()
    page = client.get(editor(session)).content.decode()
    assert "Draft saved" in page and "&lt;calmer&gt; &amp; slept" in page


def test_signing_saves_the_typed_text_then_signs(client, owner, session):
    open_editor(client, owner, session)
    response = post_note(client, session, action="sign", plan="Typed just now.")
    note = ProgressNote.objects.get(session=session)
    assert response.status_code == 302 and response["Location"] == reverse(
        "note_detail", args=[note.pk]
    )
    assert (note.status, note.plan, note.signed_by) == (NoteStatus.SIGNED, "Typed just now.", owner)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN, object_id=str(note.pk)).exists()


def test_signing_an_empty_note_shows_errors_beside_each_part_and_keeps_the_text(
    client, owner, session
):
    open_editor(client, owner, session)
    response = post_note(
        client, session, action="sign", data="", assessment="", plan="", risk_notes="Kept text"
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"data", "assessment", "plan"}
    assert "Write the plan before signing." in errors["plan"]
    assert "Kept text" in response.content.decode()
    note = ProgressNote.objects.get(session=session)
    assert note.status == NoteStatus.DRAFT
    # The draft was saved, and the page carries its new version so the next try is not stale.
    assert note.risk_notes == "Kept text"
    assert response.context["form"].data["version"] == note.updated_at.isoformat()
    retry = post_note(client, session, action="sign", data="d", assessment="a", plan="p")
    assert retry.status_code == 302


def test_a_stale_page_cannot_overwrite_newer_text(client, owner, session):
    note = note_open(actor=owner, session=session)
    open_editor(client, owner, session)
    stale = note.updated_at.isoformat()
    note_save_draft(actor=owner, note=note, data="Written in another tab")
    response = client.post(editor(session), {**DAP, "version": stale, "save": "1"})
    assert response.status_code == 200
    assert "Someone changed this record" in str(response.context["form"].non_field_errors())
    assert "&lt;calmer&gt;" in response.content.decode()
    note.refresh_from_db()
    assert note.data == "Written in another tab"


def test_a_page_opened_before_the_note_existed_cannot_overwrite_a_saved_draft(
    client, owner, session
):
    open_editor(client, owner, session)
    note_save_draft(
        actor=owner, note=note_open(actor=owner, session=session), data="Written in another tab"
    )
    response = client.post(editor(session), {**DAP, "version": "", "save": "1"})
    assert response.status_code == 200
    assert "Someone changed this record" in str(response.context["form"].non_field_errors())
    assert ProgressNote.objects.get(session=session).data == "Written in another tab"


def test_a_signed_note_opens_read_only(client, owner, session):
    note = signed_note(owner, session)
    client.force_login(owner)
    response = client.get(editor(session))
    assert response["Location"] == reverse("note_detail", args=[note.pk])


def test_posting_to_a_signed_note_keeps_the_text_and_says_it_is_signed(client, owner, session):
    note = signed_note(owner, session)
    client.force_login(owner)
    response = client.post(
        editor(session),
        {**DAP, "plan": "My late change", "version": note.updated_at.isoformat(), "sign": "1"},
    )
    assert response.status_code == 200
    assert "already signed by Olivia Owner" in str(response.context["form"].non_field_errors())
    page = response.content.decode()
    assert "My late change" in page and reverse("note_detail", args=[note.pk]) in page


@pytest.mark.parametrize("status", [SessionStatus.SCHEDULED, SessionStatus.NO_SHOW])
def test_a_session_not_attended_sends_back_with_the_reason(client, owner, own_client, status):
    session = SessionFactory(client=own_client, status=status)
    client.force_login(owner)
    response = client.get(editor(session), follow=True)
    assert response.redirect_chain[-1][0] == reverse("session_detail", args=[session.pk])
    assert "Mark the session attended" in response.content.decode()
    assert not ProgressNote.objects.exists()


def test_a_group_session_has_no_note_editor(client, owner):
    session = SessionFactory(client=None, group=GroupFactory(created_by=owner), counselor=owner)
    client.force_login(owner)
    response = client.get(editor(session), follow=True)
    assert "Group sessions are recorded in the attendance" in response.content.decode()


def test_a_closed_record_shows_why_the_draft_cannot_change(client, owner, session, own_client):
    open_editor(client, owner, session)
    own_client.status = ClientStatus.CLOSED
    own_client.save()
    response = post_note(client, session)
    assert "closed and locked" in str(response.context["form"].non_field_errors())


def test_the_return_comment_is_shown_while_the_note_is_back_in_draft(
    client, owner, supervisor, session, cosign_everyone
):
    note = signed_note(owner, session)
    note_return(actor=supervisor, note=note, comment="Please add the risk review.")
    page = open_editor(client, owner, session).content.decode()
    assert "Returned by Sofia Super" in page and "Please add the risk review." in page
    page = client.get(reverse("note_detail", args=[note.pk])).content.decode()
    assert "Please add the risk review." in page


def test_the_editor_says_when_signing_sends_the_note_for_cosignature(
    client, owner, session, cosign_everyone
):
    page = open_editor(client, owner, session).content.decode()
    assert "signing sends this note to your supervisor" in page
    response = post_note(client, session, action="sign")
    note = ProgressNote.objects.get(session=session)
    assert note.status == NoteStatus.AWAITING_COSIGN
    assert "sent to your supervisor" in client.get(response["Location"]).content.decode()


# The note page ------------------------------------------------------------------------------


def test_the_note_page_shows_the_signature_history_and_addenda(client, owner, supervisor, session):
    note = signed_note(owner, session)
    note_add_addendum(actor=owner, note=note, text="Date of the move corrected to May.")
    client.force_login(owner)
    response = client.get(reverse("note_detail", args=[note.pk]))
    page = response.content.decode()
    assert "Signed by <strong>Olivia Owner, LPC</strong>" in page
    assert note.content_sha256 in page
    assert "Date of the move corrected to May." in page
    assert 'action="{}"'.format(reverse("note_addendum", args=[note.pk])) in page
    assert reverse("note_cosign", args=[note.pk]) not in page
    assert AuditEvent.objects.filter(
        actor=owner, action=AuditEvent.Action.VIEW, object_id=str(note.pk)
    ).exists()


def test_a_supervisor_reads_the_note_without_the_addendum_form(client, owner, supervisor, session):
    note = signed_note(owner, session)
    client.force_login(supervisor)
    page = client.get(reverse("note_detail", args=[note.pk])).content.decode()
    assert DAP["plan"] in page
    assert reverse("note_addendum", args=[note.pk]) not in page
    assert reverse("note_cosign", args=[note.pk]) not in page  # nothing to review


def test_an_addendum_is_added_or_its_error_shown_beside_the_field(client, owner, session):
    note = signed_note(owner, session)
    client.force_login(owner)
    url = reverse("note_addendum", args=[note.pk])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert "Write the addendum." in response.context["addendum_form"].errors["text"]
    response = client.post(url, {"text": "Later clarification."})
    assert response.status_code == 302
    assert NoteAddendum.objects.get().text == "Later clarification."


def test_an_addendum_to_a_draft_is_refused_with_a_message(client, owner, session):
    note = note_open(actor=owner, session=session)
    open_editor(client, owner, session)
    response = client.post(
        reverse("note_addendum", args=[note.pk]), {"text": "Too early"}, follow=True
    )
    assert "still a draft" in response.content.decode()
    assert not NoteAddendum.objects.exists()


def test_a_supervisor_cosigns_from_the_note_page(
    client, owner, supervisor, session, cosign_everyone
):
    note = signed_note(owner, session)
    client.force_login(supervisor)
    page = client.get(reverse("note_detail", args=[note.pk])).content.decode()
    assert "Co-sign" in page and "Return with comment" in page
    response = client.post(reverse("note_cosign", args=[note.pk]), follow=True)
    assert "Note co-signed." in response.content.decode()
    note.refresh_from_db()
    assert (note.status, note.cosigned_by) == (NoteStatus.SIGNED, supervisor)
    again = client.post(reverse("note_cosign", args=[note.pk]), follow=True)
    assert "not waiting for a co-signature" in again.content.decode()
    assert "Co-signed by <strong>Sofia Super</strong>" in again.content.decode()


def test_a_supervisor_returns_a_note_with_a_comment(
    client, owner, supervisor, session, cosign_everyone
):
    note = signed_note(owner, session)
    client.force_login(supervisor)
    url = reverse("note_return", args=[note.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"]
    response = client.post(url, {"comment": "Say what the plan is for next week."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    history = client.get(reverse("note_detail", args=[note.pk])).content.decode()
    assert "Returned with a comment" in history and "Say what the plan is" in history


def test_the_note_page_keeps_its_query_count(client, owner, session, cosign_everyone, supervisor):
    note = signed_note(owner, session)
    note_add_addendum(actor=owner, note=note, text="First addendum.")
    client.force_login(owner)
    url = reverse("note_detail", args=[note.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(19):
        note_add_addendum(actor=owner, note=note, text=f"Addendum {index}.")
    note_return(actor=supervisor, note=note, comment="Once more")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["addenda"]) == 20
    assert len(twenty) == len(one), f"{len(one)} queries for 1 addendum, {len(twenty)} for 20"


def test_the_editor_keeps_its_query_count(client, owner, session, supervisor, cosign_everyone):
    note = signed_note(owner, session)
    client.force_login(owner)
    note = note_return(actor=supervisor, note=note, comment="First")
    client.get(editor(session))
    with CaptureQueriesContext(connection) as few:
        client.get(editor(session))
    for index in range(10):
        note = note_sign(actor=owner, note=note)
        note = note_return(actor=supervisor, note=note, comment=f"Round {index}")
    for _ in range(20):
        SessionFactory(client=session.client, starts_at=timezone.now() - dt.timedelta(days=40))
    with CaptureQueriesContext(connection) as many:
        response = client.get(editor(session))
    assert response.context["return_comment"].comment == "Round 9"
    assert len(many) == len(few)
