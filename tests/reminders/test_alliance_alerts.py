"""Alliance alerts go out at once when the rating is saved (after commit, not by a sweep): to
the counselor, and to the supervisors when the alert repeats the previous rating's. The practice
requires them: declining does not stop them. A catch-up sweep sends any whose queueing failed,
without sending any twice."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from practice.reminders.models import Notification, ReminderKind
from sessions_app.models import AllianceAlert
from sessions_app.services import rating_record
from tests.factories import instrument
from tests.reminders.conftest import decline, deliver, emails_to, made, sweep

pytestmark = pytest.mark.django_db


def alliance_answers(total: int) -> dict[str, int]:
    values = [min(10, max(0, total - 10 * n)) for n in range(4)]
    return dict(zip(["goals", "tasks", "bond", "overall"], values, strict=True))


def rate(owner, client, total: int, days_ago: int = 0):
    return rating_record(
        actor=owner,
        client=client,
        instrument=instrument("Alliance"),
        answers=alliance_answers(total),
        administered_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_a_low_rating_alerts_the_counselor_at_once(
    owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rate(owner, own_client, 24)
    (row,) = made(ReminderKind.ALLIANCE_ALERT)
    assert row.recipient == owner and row.source == "alert"
    assert made(ReminderKind.ALLIANCE_ALERT_REPEATED) == []
    (message,) = emails_to(owner.email, ReminderKind.ALLIANCE_ALERT)  # sent by the eager task
    assert message.subject == "Alliance alert for A.L."
    assert "Lovelace" not in message.body + message.alternatives[0][0]
    assert f"/clients/{own_client.pk}/" in message.body
    assert emails_to(supervisor.email) == []


def test_a_good_rating_alerts_nobody(owner, own_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rate(owner, own_client, 36)
    assert callbacks == [] and not Notification.objects.exists()


def test_a_second_alert_in_a_row_reaches_the_supervisor(
    owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rate(owner, own_client, 28, days_ago=7)
        rate(owner, own_client, 22)
    assert [row.recipient for row in made(ReminderKind.ALLIANCE_ALERT)] == [owner, owner]
    (repeated,) = made(ReminderKind.ALLIANCE_ALERT_REPEATED)
    assert repeated.recipient == supervisor
    assert repeated.link == f"/supervision/clients/{own_client.pk}/"
    (message,) = emails_to(supervisor.email)
    assert "second alliance alert in a row" in message.subject.lower()


def test_the_practice_requires_alerts_whatever_the_counselor_declined(
    owner, own_client, django_capture_on_commit_callbacks
):
    decline(owner, ReminderKind.ALLIANCE_ALERT)
    with django_capture_on_commit_callbacks(execute=True):
        rate(owner, own_client, 20)
    (row,) = made(ReminderKind.ALLIANCE_ALERT)
    assert row.in_app and row.email_to == owner.email
    assert len(emails_to(owner.email)) == 1


def test_a_failed_queueing_does_not_break_the_rating_and_the_catch_up_sends_it(
    owner, own_client, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "practice.reminders.tasks.notify_alliance_alert.apply_async",
            side_effect=OSError("down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rate(owner, own_client, 20)
    assert made(ReminderKind.ALLIANCE_ALERT) == []
    sweep("alert_catch_up")
    assert made(ReminderKind.ALLIANCE_ALERT) == []  # not yet: the task may still be on its way
    AllianceAlert.objects.update(raised_at=timezone.now() - dt.timedelta(minutes=5))
    sweep("alert_catch_up")
    deliver()
    assert len(made(ReminderKind.ALLIANCE_ALERT)) == 1
    assert len(emails_to(owner.email)) == 1


def test_the_catch_up_and_the_task_together_send_one_alert(
    owner, own_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rate(owner, own_client, 20)
    AllianceAlert.objects.update(raised_at=timezone.now() - dt.timedelta(minutes=5))
    sweep("alert_catch_up")
    from practice.reminders.alerts import alliance_alert_notify

    assert alliance_alert_notify(alert_id=AllianceAlert.objects.get().pk) == 0
    deliver()
    assert len(mail.outbox) == 1
