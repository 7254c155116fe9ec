"""Sending the email of pending notifications: claim, send, record. At least once.

Why at least once: a reminder that never arrives (an unsigned note, an alliance alert, a
consent about to lapse) costs more than a rare second copy. So a row is marked sent only after
the mail server accepted the message. A worker killed between the two leaves the row "sending";
once its claim lease has passed, another run claims and sends it again. The window for a second
copy is the moment between the server's acceptance and our UPDATE; the Message-ID is the same
for both copies, so mail systems that de-duplicate collapse them.

Claims use SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL: two workers never take the same row
and never wait for each other. (SQLite takes one write lock for the whole database.)"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from clients.models import ClientStatus
from clients.selectors import electronic_consent_today
from practice.policy.models import PracticePolicy
from practice.reminders.kinds import is_mandatory
from practice.reminders.models import EmailState, Notification, ReminderKind
from practice.reminders.text import utc_date
from sessions_app.models import CounselingSession, SessionStatus

logger = logging.getLogger(__name__)


class MailServerUnavailable(Exception):
    """The mail server refused or could not be reached; the rows wait for their next try."""

    def __init__(self, message: str, retry_in: int):
        super().__init__(message)
        self.retry_in = retry_in


@dataclass
class DeliveryReport:
    sent: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def failures(self) -> int:
        return self.retrying + self.failed


def backoff_seconds(attempts: int) -> int:
    """Wait before the next try after `attempts` failed tries: base, 2×, 4×... capped."""
    base = settings.REMINDER_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS)


def _ready(now: dt.datetime) -> Q:
    lease = dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    return Q(email_state=EmailState.PENDING, next_attempt_at__lte=now) | Q(
        email_state=EmailState.SENDING, claimed_at__lt=now - lease
    )


def claim_batch(size: int) -> tuple[uuid.UUID, list[Notification]]:
    """Take up to `size` rows ready to send: pending and due, or abandoned by a dead worker."""
    token = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_ready(now))
            .order_by("next_attempt_at", "pk")[:size]
        )
        if rows:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                email_state=EmailState.SENDING, claimed_at=now, claim_token=token
            )
    return token, rows


def deliver_pending(
    *, batch_size: int | None = None, report: DeliveryReport | None = None
) -> DeliveryReport:
    """Send every ready email, a batch at a time. Raises MailServerUnavailable after a batch in
    which the server failed (the task then retries with backoff); the rows keep their own
    attempt count and next try, so a dead worker or a lost retry loses nothing."""
    size = batch_size or settings.REMINDER_DELIVERY_BATCH_SIZE
    report = report if report is not None else DeliveryReport()
    policy = PracticePolicy.current()
    while True:
        token, rows = claim_batch(size)
        if not rows:
            return report
        server_error = _send_batch(rows, token, policy, report)
        if server_error is not None:
            raise MailServerUnavailable(server_error, retry_in=backoff_seconds(1))


def _send_batch(
    rows: list[Notification], token: uuid.UUID, policy: PracticePolicy, report: DeliveryReport
) -> str | None:
    server_error = None
    connection = get_connection()
    try:
        for row in rows:
            if not still_wanted(row):
                _finish(row, token, EmailState.SKIPPED, error="No longer due when sending.")
                report.skipped += 1
                continue
            try:
                connection.send_messages([build_message(row, policy, connection)])
            except Exception as error:  # any failure of the mail server counts as a try
                message = f"{type(error).__name__}: {error}"[:300]
                _record_failure(row, token, message, report)
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    server_error = message
                continue
            _finish(row, token, EmailState.SENT)
            report.sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection that never opened
            logger.debug("Mail connection close failed", exc_info=True)
    return server_error


def _finish(row: Notification, token: uuid.UUID, state: str, error: str = "") -> None:
    updated = Notification.objects.filter(pk=row.pk, claim_token=token).update(
        email_state=state,
        sent_at=timezone.now() if state == EmailState.SENT else None,
        attempts=F("attempts") + (1 if state == EmailState.SENT else 0),
        claimed_at=None,
        claim_token=None,
        last_error=error,
    )
    if not updated:
        logger.warning("Notification %s was claimed again before it was marked %s", row.pk, state)


def _record_failure(
    row: Notification, token: uuid.UUID, error: str, report: DeliveryReport
) -> None:
    attempts = row.attempts + 1
    final = attempts >= settings.REMINDER_EMAIL_MAX_ATTEMPTS
    Notification.objects.filter(pk=row.pk, claim_token=token).update(
        email_state=EmailState.FAILED if final else EmailState.PENDING,
        attempts=attempts,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=backoff_seconds(attempts)),
        claimed_at=None,
        claim_token=None,
        last_error=error,
    )
    if final:
        report.failed += 1
        logger.error("Reminder %s failed after %s tries: %s", row.pk, attempts, error)
    else:
        report.retrying += 1


def still_wanted(row: Notification) -> bool:
    """A client's reminder is checked again just before sending: the session may have been
    cancelled or moved, the consent withdrawn, since the sweep found it."""
    if row.kind != ReminderKind.CLIENT_SESSION:
        return True
    now = timezone.now()
    day_start = dt.datetime.combine(row.due_on, dt.time.min, tzinfo=dt.UTC)  # moved: a new key
    return (
        CounselingSession.objects.filter(
            pk=row.object_id,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            client__may_email=True,
        )
        .exclude(client__status=ClientStatus.CLOSED)
        .filter(electronic_consent_today(utc_date(now)))
        .filter(starts_at__gte=day_start, starts_at__lt=day_start + dt.timedelta(days=1))
        .exists()
    )


def message_id(row: Notification) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<reminder-{row.pk}-{row.kind}@{domain}>"


def email_context(row: Notification, policy: PracticePolicy) -> dict:
    site = settings.SITE_URL.rstrip("/")
    return {
        **row.context,
        "title": row.title,
        "link": f"{site}{row.link}" if row.link else "",
        "preferences_link": f"{site}{reverse('notification_preferences')}",
        "to_staff": row.recipient_id is not None,
        "mandatory": is_mandatory(row.kind),
        "practice_name": policy.practice_name,
        "practice_phone": row.context.get("practice_phone") or policy.phone,
    }


def render_email(row: Notification, policy: PracticePolicy) -> tuple[str, str, str]:
    """Subject, text and HTML in the language the reminder was written in (its recipient's)."""
    context = email_context(row, policy)
    base = f"emails/reminders/{row.kind}"
    with translation.override(row.context.get("language") or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        return (
            subject,
            render_to_string(f"{base}.txt", context),
            render_to_string(f"{base}.html", context),
        )


def build_message(row: Notification, policy: PracticePolicy, connection) -> EmailMultiAlternatives:
    subject, text, html = render_email(row, policy)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email_to],
        headers={"Message-ID": message_id(row)},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
