"""Two sweeps at the same moment on PostgreSQL, each in its own connection and transaction:
the unique key lets one row per reminder through, and the claim (FOR UPDATE SKIP LOCKED) lets
one worker send it. Exactly one email per reminder. (SQLite takes one write lock for the whole
database, so there is no race to test there.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from practice.reminders.delivery import deliver_pending
from practice.reminders.models import EmailState, Notification, ReminderKind
from practice.reminders.runs import sweep_run
from tests.concurrency import race, raise_any
from tests.factories import (
    ClientFactory,
    CounselorFactory,
    SessionFactory,
    SupervisionFactory,
    SupervisorFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent transactions race only on PostgreSQL; SQLite serialises writers.",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def due_everywhere():
    """Twelve counselors with an unsigned note past twice the hours (a reminder to each and
    to their supervisor) and a silent client each."""
    supervisor = SupervisorFactory()
    now = timezone.now()
    for _ in range(12):
        counselor = CounselorFactory()
        SupervisionFactory(supervisor=supervisor, supervisee=counselor)
        SessionFactory(
            client=ClientFactory(primary_counselor=counselor), starts_at=now - dt.timedelta(days=8)
        )
        SessionFactory(
            client=ClientFactory(primary_counselor=counselor),
            starts_at=now - dt.timedelta(days=60),
        )


def one_email_per_reminder() -> None:
    rows = Notification.objects.exclude(email_state=EmailState.SKIPPED)
    ids = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert len(mail.outbox) == rows.count() == len(ids)
    assert set(ids.values()) == {1}
    assert set(rows.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_two_sweeps_at_once_make_each_reminder_once(due_everywhere):
    """Each sweep's transaction queues the eager delivery after commit: both deliver too."""
    created = raise_any(
        race(
            lambda: sweep_run(sweep="notes").deliveries,
            lambda: sweep_run(sweep="notes").deliveries,
        )
    )
    assert sorted(created) == [0, 24]  # 12 counselors and 12 supervisor rows, made once
    assert Notification.objects.filter(kind=ReminderKind.NOTE_UNSIGNED).count() == 12
    one_email_per_reminder()


def test_four_sweeps_of_two_kinds_at_once(due_everywhere):
    raise_any(
        race(
            lambda: sweep_run(sweep="notes"),
            lambda: sweep_run(sweep="silent_clients"),
            lambda: sweep_run(sweep="notes"),
            lambda: sweep_run(sweep="silent_clients"),
        )
    )
    assert Notification.objects.filter(kind=ReminderKind.SILENT_CLIENT).count() == 12
    assert Notification.objects.filter(kind=ReminderKind.NOTE_UNSIGNED_SUPERVISOR).count() == 12
    one_email_per_reminder()


def test_two_deliveries_at_once_send_each_email_once(due_everywhere, settings):
    from unittest import mock

    with mock.patch("practice.reminders.recording.queue_delivery"):
        sweep_run(sweep="notes")
        sweep_run(sweep="silent_clients")
    assert mail.outbox == []
    settings.REMINDER_DELIVERY_BATCH_SIZE = 5  # many small claims interleave
    reports = raise_any(race(deliver_pending, deliver_pending, deliver_pending))
    assert sum(report.sent for report in reports) == 36
    one_email_per_reminder()
