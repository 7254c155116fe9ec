"""The client's reminder before a session: only with consent to electronic communication (a
valid consent today and "may we email"), sent once, N hours before, and checked again just
before sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from clients.models import Client, Consent, ConsentKind
from practice.reminders.models import EmailState, ReminderKind
from sessions_app.models import CounselingSession, SessionStatus
from tests.factories import ClientFactory, ConsentFactory, SessionFactory
from tests.reminders.conftest import T0, deliver, made, sweep

pytestmark = pytest.mark.django_db

SESSION_AT = T0 + dt.timedelta(days=3)  # Thursday 5 March 2026, 09:00 UTC


@pytest.fixture
def consenting_client(clock, owner) -> Client:
    client = ClientFactory(
        primary_counselor=owner, legal_first_name="Ada", legal_last_name="Lovelace", may_email=True
    )
    ConsentFactory(
        client=client, kind=ConsentKind.ELECTRONIC, signed_on=T0.date() - dt.timedelta(days=10)
    )
    return client


def book(client: Client) -> CounselingSession:
    return SessionFactory(client=client, starts_at=SESSION_AT, status=SessionStatus.SCHEDULED)


def test_it_waits_until_the_hours_before_the_session(clock, consenting_client):
    book(consenting_client)
    clock.move_to(SESSION_AT - dt.timedelta(hours=25))
    sweep("client_sessions")
    assert made(ReminderKind.CLIENT_SESSION) == []


def test_it_reminds_the_client_once_the_day_before(clock, consenting_client, owner):
    owner.time_zone = "Europe/Berlin"
    owner.save()
    session = book(consenting_client)
    clock.move_to(SESSION_AT - dt.timedelta(hours=23))
    sweep("client_sessions")
    clock.shift(dt.timedelta(minutes=5))
    sweep("client_sessions")
    (row,) = made(ReminderKind.CLIENT_SESSION)
    assert (row.object_id, row.recipient, row.in_app) == (session.pk, None, False)
    assert row.recipient_key == f"client:{consenting_client.pk}"
    deliver()
    deliver()
    (message,) = mail.outbox
    assert message.to == [consenting_client.email]
    assert "Thursday 5 March 2026 at 10:00" in message.body  # the counselor's time zone
    assert "Hello Ada" in message.body
    html = message.alternatives[0][0]
    assert "10:00" in html and "Europe/Berlin" in html


def test_a_client_who_corresponds_in_french_is_reminded_in_french(clock, consenting_client, owner):
    consenting_client.language = "fr"
    consenting_client.save(update_fields=["language"])
    assert owner.language == "en"
    book(consenting_client)
    clock.move_to(SESSION_AT - dt.timedelta(hours=23))
    sweep("client_sessions")
    deliver()
    (message,) = mail.outbox
    assert "Bonjour Ada" in message.body
    assert "jeudi 5 mars 2026" in message.body
    assert "Hello" not in message.body and "Thursday" not in message.body


@pytest.mark.parametrize(
    "without",
    ["no electronic consent", "consent expired", "consent revoked", "may not email", "no address"],
)
def test_it_never_writes_to_a_client_without_consent(clock, owner, without):
    client = ClientFactory(primary_counselor=owner, may_email=without != "may not email")
    if without == "no address":
        Client.objects.filter(pk=client.pk).update(email="")
    if without != "no electronic consent":
        ConsentFactory(
            client=client,
            kind=ConsentKind.ELECTRONIC,
            signed_on=T0.date() - dt.timedelta(days=400),
            expires_on=T0.date() - dt.timedelta(days=1) if without == "consent expired" else None,
            revoked_on=T0.date() - dt.timedelta(days=2) if without == "consent revoked" else None,
        )
    ConsentFactory(client=client, kind=ConsentKind.TREATMENT)  # treatment consent is not enough
    book(client)
    clock.move_to(SESSION_AT - dt.timedelta(hours=2))
    sweep("client_sessions")
    deliver()
    assert made(ReminderKind.CLIENT_SESSION) == []
    assert mail.outbox == []


def test_it_does_not_send_when_consent_is_withdrawn_after_the_sweep(clock, consenting_client):
    book(consenting_client)
    clock.move_to(SESSION_AT - dt.timedelta(hours=3))
    sweep("client_sessions")
    Consent.objects.filter(client=consenting_client, kind=ConsentKind.ELECTRONIC).update(
        revoked_on=T0.date() + dt.timedelta(days=1)
    )
    deliver()
    assert mail.outbox == []
    assert made(ReminderKind.CLIENT_SESSION)[0].email_state == EmailState.SKIPPED


def test_a_cancelled_or_moved_session_is_not_reminded(clock, consenting_client):
    cancelled = book(consenting_client)
    moved = SessionFactory(
        client=consenting_client,
        starts_at=SESSION_AT + dt.timedelta(hours=2),
        status=SessionStatus.SCHEDULED,
    )
    clock.move_to(SESSION_AT - dt.timedelta(hours=3))
    sweep("client_sessions")
    CounselingSession.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    new_start = SESSION_AT + dt.timedelta(days=2)
    CounselingSession.objects.filter(pk=moved.pk).update(
        starts_at=new_start, ends_at=new_start + dt.timedelta(minutes=50)
    )
    deliver()
    assert mail.outbox == []
    # The moved session has a new key: the reminder goes out the day before its new date.
    clock.move_to(new_start - dt.timedelta(hours=3))
    sweep("client_sessions")
    deliver()
    assert len(mail.outbox) == 1


def test_the_email_names_no_clinical_detail(clock, consenting_client, owner):
    consenting_client.presenting_concerns = "Panic attacks at work"
    consenting_client.save()
    book(consenting_client)
    clock.move_to(SESSION_AT - dt.timedelta(hours=3))
    sweep("client_sessions")
    deliver()
    (message,) = mail.outbox
    text = message.subject + message.body + message.alternatives[0][0]
    assert "Panic" not in text and "note" not in text.lower()
    assert owner.last_name in text  # who the session is with, and when
