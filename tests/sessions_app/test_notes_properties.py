"""Any text in any field of the note, addendum and return forms: never a 500, and what was typed
comes back when the form is shown again."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.policy.models import CosignScope
from sessions_app.models import NoteStatus, ProgressNote
from sessions_app.services import note_open
from tests.factories import NoteFactory, SessionFactory

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
typed = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
TEXT_FIELDS = ("data", "assessment", "plan", "risk_notes")


@FAST
@given(
    data=typed,
    assessment=typed,
    plan=typed,
    risk_level=st.one_of(typed, st.sampled_from(["none", "low", "moderate", "high"])),
    risk_notes=typed,
    version=st.one_of(st.just("current"), typed),
    action=st.sampled_from(["save", "sign"]),
)
def test_the_note_form_never_fails_and_keeps_the_text(
    client, owner, own_client, data, assessment, plan, risk_level, risk_notes, version, action
):
    session = SessionFactory(client=own_client)
    note = note_open(actor=owner, session=session)
    client.force_login(owner)
    form = {
        "data": data,
        "assessment": assessment,
        "plan": plan,
        "risk_level": risk_level,
        "risk_notes": risk_notes,
        "version": note.updated_at.isoformat() if version == "current" else version,
        action: "1",
    }
    response = client.post(reverse("session_note", args=[session.pk]), form)
    assert response.status_code in (200, 302)
    note.refresh_from_db()
    if response.status_code == 200:
        assert response.context["form"].errors
        assert note.status == NoteStatus.DRAFT
        page = response.content.decode()
        for field in TEXT_FIELDS:
            if form[field].strip():
                assert escape(form[field]) in page, f"{field}={form[field]!r} was not kept"
    elif action == "sign":
        assert note.status == NoteStatus.SIGNED
        assert note.content_sha256 == note.compute_sha256()
    else:
        assert note.data == data.strip()


@FAST
@given(text=typed)
def test_the_addendum_form_never_fails(client, owner, own_client, text):
    note = NoteFactory(
        session__client=own_client,
        status=NoteStatus.SIGNED,
        signed_by=owner,
        signed_at=timezone.now(),
    )
    client.force_login(owner)
    response = client.post(reverse("note_addendum", args=[note.pk]), {"text": text})
    assert response.status_code in (200, 302)
    if response.status_code == 200 and text.strip():
        assert escape(text) in response.content.decode()
    assert ProgressNote.objects.get(pk=note.pk).content_sha256 == note.content_sha256


@FAST
@given(comment=typed)
def test_the_return_form_never_fails(client, owner, supervisor, own_client, policy, comment):
    policy.cosign_required_for = CosignScope.EVERYONE
    policy.save()
    note = NoteFactory(
        session__client=own_client,
        status=NoteStatus.AWAITING_COSIGN,
        signed_by=owner,
        signed_at=timezone.now(),
    )
    client.force_login(supervisor)
    response = client.post(reverse("note_return", args=[note.pk]), {"comment": comment})
    assert response.status_code in (200, 302)
    if response.status_code == 200 and comment.strip():
        assert escape(comment) in response.content.decode()
