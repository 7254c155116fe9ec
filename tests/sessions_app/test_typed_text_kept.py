"""Two forms that once refused by redirecting, dropping what was typed (returning a note,
changing a session's status): refused, they show their page again with the text kept."""

import pytest
from django.urls import reverse

from practice.policy.models import CosignScope
from sessions_app.models import NoteStatus, SessionStatus
from sessions_app.services import note_cosign, note_open, note_save_draft, note_sign
from tests.factories import SessionFactory, SupervisionFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

DAP = {"data": "d", "assessment": "a", "plan": "p"}


@pytest.fixture
def cosign_everyone(policy):
    policy.cosign_required_for = CosignScope.EVERYONE
    policy.save()


def test_a_return_comment_refused_because_the_note_was_cosigned_meanwhile_is_kept(
    client, owner, supervisor, own_client, cosign_everyone
):
    note = note_open(actor=owner, session=SessionFactory(client=own_client))
    note = note_sign(actor=owner, note=note_save_draft(actor=owner, note=note, **DAP))
    other = SupervisorFactory(username="other-supervisor")
    SupervisionFactory(supervisor=other, supervisee=owner)
    client.force_login(supervisor)
    client.get(reverse("note_detail", args=[note.pk]))
    note_cosign(actor=other, note=note)  # while the first supervisor was typing

    comment = "Please add the risk review and the safety plan."
    response = client.post(reverse("note_return", args=[note.pk]), {"comment": comment})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your comment was not sent" in page and comment in page
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED


def test_a_refused_change_of_status_keeps_its_reason(client, owner, own_client):
    session = SessionFactory(client=own_client, status=SessionStatus.SCHEDULED)
    client.force_login(owner)
    reason = "Client phoned: her daughter is ill."
    response = client.post(
        reverse("session_status", args=[session.pk]), {"status": "bogus", "reason": reason}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{reason}"' in page and "Select a valid choice" in page
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
