"""The outbox on its own: enqueued with the change, sent after commit, sent again by the sweep,
given up after the limit; a broker that cannot be reached never fails the caller."""

import datetime as dt
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from practice.outbox.models import OutboxState, OutboxTask
from practice.outbox.services import outbox_enqueue, outbox_sweep
from practice.reminders.tasks import notify_alliance_alert
from sessions_app.models import AllianceAlert
from tests.outbox.redis_server import free_port

pytestmark = pytest.mark.django_db

ALERT_TASK = "practice.reminders.tasks.notify_alliance_alert"


@pytest.fixture(autouse=True)
def eager_celery(settings):
    from practice.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def calls(monkeypatch) -> list[int]:
    """The alert task's work, replaced by a record of the ids it was run for."""
    seen: list[int] = []
    monkeypatch.setattr(
        "practice.reminders.tasks.alliance_alert_notify",
        lambda *, alert_id: seen.append(alert_id) or 1,
    )
    return seen


def broker_down():
    return mock.patch.object(
        notify_alliance_alert, "apply_async", side_effect=OSError("Connection refused")
    )


def test_the_row_is_written_with_the_change_and_sent_only_after_commit(
    calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        row = outbox_enqueue(task=ALERT_TASK, args=[7], object_id=7)
        assert calls == [] and len(callbacks) == 0
    row.refresh_from_db()
    assert calls == [7]
    assert (row.state, row.attempts, row.last_error) == (OutboxState.DONE, 1, "")
    assert row.finished_at is not None


def test_a_rolled_back_change_asks_for_nothing(calls, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_enqueue(task=ALERT_TASK, args=[7])
        raise RuntimeError("the change failed")
    assert calls == [] and not OutboxTask.objects.exists()


def test_a_broker_that_is_down_fails_nothing_and_the_sweep_sends_it_later(
    calls, django_capture_on_commit_callbacks
):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        row = outbox_enqueue(task=ALERT_TASK, args=[7])
    row.refresh_from_db()
    assert row.state == OutboxState.PENDING and row.claimed_until <= timezone.now()
    assert "Connection refused" in row.last_error
    with broker_down():  # still down: the sweep leaves it for the next one
        assert outbox_sweep().not_sent == 1

    report = outbox_sweep(now=timezone.now() + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS))

    row.refresh_from_db()
    assert report.handed_out == 1 and calls == [7]
    assert (row.state, row.attempts) == (OutboxState.DONE, 3)


def test_a_row_is_left_alone_while_its_lease_runs(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        outbox_enqueue(task=ALERT_TASK, args=[7])  # the process died before sending
    assert outbox_sweep().handed_out == 0
    later = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    assert outbox_sweep(now=later).handed_out == 1
    assert calls == [7]


def test_a_message_delivered_twice_does_the_work_once(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_enqueue(task=ALERT_TASK, args=[7])
    notify_alliance_alert.apply(args=[7], kwargs={"outbox_id": row.pk})  # Redis gave it back
    assert calls == [7]


def test_after_the_limit_the_row_is_failed_for_the_admin(calls, django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        row = outbox_enqueue(task=ALERT_TASK, args=[7])
    now = timezone.now()
    with broker_down():
        for _ in range(settings.OUTBOX_MAX_ATTEMPTS + 1):
            now += dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
            outbox_sweep(now=now)
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED and row.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert row.last_error.startswith(f"Never finished after {settings.OUTBOX_MAX_ATTEMPTS}")
    assert calls == []


def test_work_that_raises_is_failed_with_its_error(monkeypatch, django_capture_on_commit_callbacks):
    def broken(*, alert_id):
        raise ValueError("no such alert")

    monkeypatch.setattr("practice.reminders.tasks.alliance_alert_notify", broken)
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_enqueue(task=ALERT_TASK, args=[7])
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED and row.last_error == "ValueError: no such alert"


def test_an_alliance_alert_is_asked_for_in_the_ratings_transaction(
    owner, own_client, django_capture_on_commit_callbacks
):
    from tests.reminders.test_alliance_alerts import rate

    with django_capture_on_commit_callbacks(execute=False):
        rate(owner, own_client, 20)
    alert = AllianceAlert.objects.get()
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.state) == (ALERT_TASK, [alert.pk], OutboxState.PENDING)


def test_asking_for_a_document_does_not_import_the_tasks_module():
    """The import cycle termination.documents <-> termination.tasks is gone."""
    code = (
        "import django, sys; django.setup(); import termination.documents; "
        "sys.exit('termination.tasks' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "practice.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_a_fresh_process_gives_up_on_an_unreachable_broker_within_seconds():
    """Redis down: sending a task costs a fresh process a few seconds, not the 20 s of
    Celery's default result-backend retries (the outbox's tasks never touch the backend)."""
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    code = (
        "import django, time; django.setup()\n"
        "from practice.reminders.tasks import notify_alliance_alert\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    notify_alliance_alert.apply_async(args=[1], kwargs={'outbox_id': 1})\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "print(round(time.monotonic() - start, 1))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "practice.settings.test",
            "REDIS_URL": url,
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    *_, error, seconds = done.stdout.split()
    assert error == "OperationalError", done.stderr
    assert float(seconds) < 8


def test_the_admin_sees_what_the_outbox_gave_up_on(client, practice_admin):
    OutboxTask.objects.create(
        task=ALERT_TASK,
        args=[7],
        object_id=7,
        state=OutboxState.FAILED,
        attempts=5,
        claimed_until=timezone.now(),
        lease_seconds=300,
        finished_at=timezone.now(),
        last_error="Never finished after 5 hand-outs.",
    )
    client.force_login(practice_admin)
    page = client.get(reverse("admin_schedule")).content.decode()
    assert "Background work that failed" in page and "Never finished after 5 hand-outs." in page
