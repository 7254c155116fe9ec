"""A real Celery worker against Redis and the test's PostgreSQL database.

1. A reminder due now goes from the sweep task, through the broker, to the worker, to the mail.
2. A worker killed with SIGKILL in the middle of a delivery batch, then restarted: every
   reminder arrives, none twice. The delivery task acknowledges late, so Redis gives it to the
   new worker after the visibility timeout (short here); rows the dead worker had claimed are
   taken again once their lease has passed.

The kill lands while a message is being written (the slow backend's pause), not in the instant
between the mail server's acceptance and the row's update: that instant is the one place where
at-least-once can send a second copy (see README, "Reminders")."""

from __future__ import annotations

import datetime as dt
import email
import importlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from practice.policy.models import PracticePolicy
from practice.reminders.models import EmailState, Notification, ReminderKind
from practice.reminders.runs import sweep_run
from practice.reminders.tasks import deliver_reminders, run_sweep
from tests.conftest import require_service
from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

VISIBILITY_TIMEOUT = 6
LEASE = 4


@pytest.fixture(autouse=True)
def eager_celery():
    """Not eager here: the tasks go to Redis and a real worker runs them."""
    yield


@pytest.fixture(autouse=True)
def services():
    require_service("Redis", settings.REDIS_URL)
    url = settings.DATABASES["default"]["NAME"] if connection.vendor == "postgresql" else ""
    require_service("PostgreSQL (the worker process must share the test's database)", url)


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_setup, django_db_blocker):
    yield
    shipped = importlib.import_module("sessions_app.migrations.0003_shipped_instruments")
    with django_db_blocker.unblock():
        shipped.ship(apps, None)
        PracticePolicy.current()


def shared_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, queue: str, mail_dir: Path, **env: str):
        self.queue, self.mail_dir, self.env = queue, mail_dir, env
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "practice",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
                "DATABASE_URL": shared_database_url(),
                "REMINDER_TEST_QUEUE": self.queue,
                "REMINDER_TEST_MAIL_DIR": str(self.mail_dir),
                "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                "REMINDER_CLAIM_LEASE_SECONDS": str(LEASE),
                **self.env,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def messages_in(folder: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"Timed out after {seconds} s waiting for {what}.")


def unsigned_notes(owner, number: int) -> None:
    for _ in range(number):
        SessionFactory(
            client=ClientFactory(primary_counselor=owner),
            starts_at=timezone.now() - dt.timedelta(hours=80),
        )


def test_a_reminder_due_now_is_delivered_through_the_broker(tmp_path, owner):
    unsigned_notes(owner, 1)
    queue = f"test-{uuid.uuid4().hex}"
    worker = Worker(queue, tmp_path).start()
    try:
        run_sweep.apply_async(args=("notes",), queue=queue)
        wait_for(lambda: messages_in(tmp_path), 90, "the reminder's email")
        row = Notification.objects.get(kind=ReminderKind.NOTE_UNSIGNED)
        wait_for(
            lambda: Notification.objects.get(pk=row.pk).email_state == EmailState.SENT,
            30,
            "the row to be marked sent",
        )
    finally:
        worker.stop()
    (message,) = messages_in(tmp_path)
    assert message["To"] == owner.email
    assert message["Subject"].startswith("Progress note for ")
    assert message["Message-ID"] == f"<reminder-{row.pk}-note_unsigned@localhost>"


def test_a_worker_killed_mid_batch_loses_no_reminder_and_sends_none_twice(tmp_path, owner):
    total = 16
    unsigned_notes(owner, total)
    with mock.patch("practice.reminders.recording.queue_delivery"):  # the test queues it
        assert sweep_run(sweep="notes").deliveries == total
    queue = f"test-{uuid.uuid4().hex}"
    slow = {"REMINDER_TEST_MAIL_DELAY": "0.4", "REMINDER_DELIVERY_BATCH_SIZE": "5"}
    first = Worker(queue, tmp_path, **slow).start()
    second = Worker(queue, tmp_path, **slow)
    try:
        deliver_reminders.apply_async(queue=queue)
        wait_for(lambda: len(messages_in(tmp_path)) >= 6, 90, "the batch to be under way")
        time.sleep(0.2)  # into the next message's pause: mid-batch, mid-message
        first.kill()
        before_restart = len(messages_in(tmp_path))
        rows = Notification.objects.filter(kind=ReminderKind.NOTE_UNSIGNED)
        assert 6 <= before_restart < total
        assert rows.filter(email_state=EmailState.SENDING).exists()  # claimed by the dead one
        second.start()
        wait_for(
            lambda: rows.filter(email_state=EmailState.SENT).count() == total,
            120,
            "every reminder to be sent after the restart",
        )
    finally:
        first.stop()
        second.stop()
    ids = [message["Message-ID"] for message in messages_in(tmp_path)]
    assert len(ids) == total, "one email per reminder"
    assert set(ids) == {f"<reminder-{row.pk}-note_unsigned@localhost>" for row in rows}
