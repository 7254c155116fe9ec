"""A fixed clock for time travel, Celery run eagerly, and helpers to run sweeps and count what
they made and what was emailed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from celery._state import _set_task_join_will_block
from django.core import mail

from practice.reminders.delivery import DeliveryReport, deliver_pending
from practice.reminders.models import EmailState, Notification, NotificationPreference, SweepRun
from practice.reminders.runs import sweep_run
from practice.staff.models import User

# Monday 2 March 2026, 09:00 UTC: every test starts here and travels forward.
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def eager_celery(settings) -> Iterator[None]:
    """Tasks queued after commit run in the test's process (test_worker.py overrides this:
    a real worker runs them there)."""
    from practice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
    # Eager tasks save and restore Celery's process-wide "joining would block" flag; tests that
    # run them from several threads at once can interleave those and leave it set, which would
    # make every later result.get() in this process refuse to wait. Production never runs tasks
    # eagerly: workers run them.
    _set_task_join_will_block(False)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def sweep(name: str) -> SweepRun:
    return sweep_run(sweep=name)


def deliver() -> DeliveryReport:
    return deliver_pending()


def made(kind: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, **filters).order_by("pk"))


def emails_to(address: str, kind: str = "") -> list[mail.EmailMessage]:
    """Messages sent to the address (of one kind: the Message-ID names it)."""
    return [
        message
        for message in mail.outbox
        if address in message.to
        and (not kind or f"-{kind}@" in message.extra_headers["Message-ID"])
    ]


def decline(user: User, kind: str, *, email: bool = False, in_app: bool = False) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email, "in_app": in_app}
    )


def sent(kind: str) -> int:
    return Notification.objects.filter(kind=kind, email_state=EmailState.SENT).count()
