"""Sending the email: three parts per message, at least once (a row abandoned by a dead worker
is sent again once its lease has passed), and a failing mail server: each row is tried again
with growing waits and marked failed after the last try, which the admin sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from practice.reminders.delivery import MailServerUnavailable, backoff_seconds, deliver_pending
from practice.reminders.models import EmailState, Notification, ReminderKind, SweepRun
from practice.reminders.runs import delivery_run
from practice.reminders.tasks import deliver_reminders
from tests.factories import ClientFactory, SessionFactory
from tests.reminders.conftest import T0, made, sweep
from tests.reminders.smtp_stub import SmtpStub

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsigned_notes(clock, owner, supervisor):
    """Three unsigned notes of the owner's, due now."""
    for _ in range(3):
        SessionFactory(
            client=ClientFactory(primary_counselor=owner), starts_at=T0 - dt.timedelta(hours=80)
        )
    sweep("notes")
    return made(ReminderKind.NOTE_UNSIGNED)


@pytest.fixture
def smtp(settings):
    def use(stub: SmtpStub) -> SmtpStub:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stub.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return stub

    return use


def test_each_email_has_a_subject_a_text_and_an_html_part(unsigned_notes, owner):
    deliver_pending()
    message = mail.outbox[0]
    assert message.subject.startswith("Progress note for ")
    assert "not signed" in message.subject
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<a href=" in html
    assert "http://" in message.body and "/note/" in message.body
    assert message.extra_headers["Message-ID"].startswith(f"<reminder-{unsigned_notes[0].pk}-")


def test_it_sends_each_pending_email_once_and_records_it(unsigned_notes):
    report = deliver_pending()
    again = deliver_pending()
    assert (report.sent, again.sent, len(mail.outbox)) == (3, 0, 3)
    assert {row.email_state for row in made(ReminderKind.NOTE_UNSIGNED)} == {EmailState.SENT}
    assert all(row.sent_at and row.attempts == 1 for row in made(ReminderKind.NOTE_UNSIGNED))


def test_a_row_abandoned_by_a_dead_worker_is_sent_after_its_lease(clock, unsigned_notes, settings):
    """At least once: a worker that died after claiming leaves the row 'sending'."""
    Notification.objects.filter(pk=unsigned_notes[0].pk).update(
        email_state=EmailState.SENDING, claimed_at=T0
    )
    deliver_pending()
    assert len(mail.outbox) == 2  # the claimed row is left to its (maybe living) worker
    clock.shift(dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1))
    deliver_pending()
    assert len(mail.outbox) == 3
    assert Notification.objects.get(pk=unsigned_notes[0].pk).email_state == EmailState.SENT


def test_a_refusing_mail_server_gets_tries_with_growing_waits_then_failed(
    clock, unsigned_notes, smtp, settings, client, practice_admin
):
    settings.REMINDER_EMAIL_MAX_ATTEMPTS = 3
    with smtp(SmtpStub(refuse=True)) as stub:
        waits = []
        for attempt in range(1, 4):
            with pytest.raises(MailServerUnavailable):
                deliver_pending()
            rows = made(ReminderKind.NOTE_UNSIGNED)
            assert {row.attempts for row in rows} == {attempt}
            if attempt < 3:
                assert {row.email_state for row in rows} == {EmailState.PENDING}
                wait = rows[0].next_attempt_at - dt.datetime.now(dt.UTC)
                waits.append(round(wait.total_seconds()))
                assert deliver_pending().sent == 0  # not before the wait is over
                clock.shift(wait + dt.timedelta(seconds=1))
        assert waits == [backoff_seconds(1), backoff_seconds(2)]
        assert waits[1] == 2 * waits[0]
        assert stub.mailbox.refusals == 9 and stub.mailbox.received == []
    rows = made(ReminderKind.NOTE_UNSIGNED)
    assert {row.email_state for row in rows} == {EmailState.FAILED}
    assert "451" in rows[0].last_error
    # The admin sees the failures on the schedule page.
    client.force_login(practice_admin)
    page = client.get(reverse("admin_schedule")).content.decode()
    assert "3 failed" in page and "451" in page and "Progress note not signed" in page
    assert "A.L." not in page  # kind and recipient, never what it is about


def test_a_mail_server_back_in_service_receives_the_waiting_email(
    clock, unsigned_notes, smtp, settings
):
    with smtp(SmtpStub(refuse=True)), pytest.raises(MailServerUnavailable):
        deliver_pending()
    clock.shift(dt.timedelta(seconds=backoff_seconds(1) + 1))
    with smtp(SmtpStub()) as stub:
        assert deliver_pending().sent == 3
    assert len(stub.mailbox.received) == 3
    assert b"Subject: Progress note for" in stub.mailbox.received[0]
    assert {row.attempts for row in made(ReminderKind.NOTE_UNSIGNED)} == {2}


def test_the_delivery_task_retries_with_backoff_and_the_run_shows_the_failure(
    unsigned_notes, smtp, settings
):
    settings.REMINDER_EMAIL_MAX_ATTEMPTS = 2
    with smtp(SmtpStub(refuse=True)):
        deliver_reminders.delay()  # eager: each retry runs at once, finding nothing due yet
    first, *retries = SweepRun.objects.filter(sweep="deliver").order_by("pk")
    assert first.failures == 3 and "MailServerUnavailable" in first.error
    # Eagerly the retry runs at once, before the rows' next try: it sends and fails nothing.
    assert [(run.deliveries, run.failures) for run in retries] == [(0, 0)]
    assert {row.email_state for row in made(ReminderKind.NOTE_UNSIGNED)} == {EmailState.PENDING}


def test_a_delivery_run_is_kept_for_the_schedule(unsigned_notes):
    report = delivery_run()
    run = SweepRun.objects.get(sweep="deliver")
    assert (run.deliveries, run.failures, run.error) == (report.sent, 0, "") == (3, 0, "")
