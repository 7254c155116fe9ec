"""Two people sign the same note at the same moment: one wins, the other keeps their text.

Real concurrency needs two database connections that really wait on each other's row locks, so
this runs on PostgreSQL (SQLite serialises whole-database writes and has no row locks)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from clients.models import Coverage
from sessions_app.models import NoteEvent, NoteStatus, ProgressNote
from sessions_app.services import note_open
from tests.concurrency import race, raise_any
from tests.factories import SessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and two real connections; SQLite has neither",
    ),
]


def test_two_signers_one_wins_and_the_other_keeps_their_text(owner, colleague, own_client):
    today = timezone.localdate()
    Coverage.objects.create(
        client=own_client,
        counselor=colleague,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=14),
        recorded_by=owner,
    )
    session = SessionFactory(client=own_client)
    note = note_open(actor=owner, session=session)
    url = reverse("session_note", args=[session.pk])
    signers = {}
    for user in (owner, colleague):
        browser = BrowserClient()
        browser.force_login(user)
        signers[user.username] = browser

    def sign(username: str) -> Callable:
        form = {
            "data": f"Data typed by {username}",
            "assessment": f"Assessment typed by {username}",
            "plan": f"Plan typed by {username}",
            "risk_level": "none",
            "risk_notes": "",
            "version": note.updated_at.isoformat(),
            "sign": "1",
        }
        return lambda: signers[username].post(url, form)

    responses = dict(zip(signers, raise_any(race(sign("owner"), sign("colleague"))), strict=True))
    winners = [name for name, response in responses.items() if response.status_code == 302]
    losers = [name for name, response in responses.items() if response.status_code == 200]
    assert len(winners) == 1 and len(losers) == 1, {n: r.status_code for n, r in responses.items()}
    (winner,), (loser,) = winners, losers

    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    assert note.data == f"Data typed by {winner}"
    assert note.signed_by.username == winner
    assert note.content_sha256 == note.compute_sha256()
    assert NoteEvent.objects.filter(note=note).count() == 1

    page = responses[loser].content.decode()
    assert "already signed" in page
    assert f"Plan typed by {loser}" in page
    assert ProgressNote.objects.count() == 1
