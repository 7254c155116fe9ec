"""Before-session check-ins with time travel, at each boundary: sent the policy's hours before
(at the cutoff, not a minute earlier), the "every N sessions" rule, never twice, only to those
who may be emailed and have not opted out; one reminder with the session reminder (which is not
sent on its own then); "no response" exactly at the expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from celery._state import _set_task_join_will_block
from django.core import mail

from clients.models import Consent
from practice.reminders.models import Notification, ReminderKind
from practice.reminders.runs import sweep_run
from sessions_app.checkins.models import CheckIn, CheckInOptOut, CheckInSchedule, CheckInState
from sessions_app.checkins.services import checkin_answer, checkin_revoke
from tests.checkins.helpers import send
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def eager_celery(settings) -> Iterator[None]:
    from practice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
    _set_task_join_will_block(False)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def run(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run(sweep="checkins")


def booked(client, starts_at, status="scheduled"):
    return SessionFactory(
        client=client, counselor=client.primary_counselor, starts_at=starts_at, status=status
    )


def test_sent_at_the_policys_hours_before_not_a_minute_earlier(
    clock, emailable_client, policy, django_capture_on_commit_callbacks
):
    session = booked(emailable_client, T0 + 48 * HOUR + dt.timedelta(minutes=1))
    run(django_capture_on_commit_callbacks)
    assert not CheckIn.objects.exists()
    clock.move_to(T0 + dt.timedelta(minutes=1))  # now exactly 48 hours before
    run(django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    assert checkin.session == session
    assert checkin.sent_by is None
    assert checkin.expires_at == T0 + dt.timedelta(minutes=1) + 72 * HOUR
    assert len(mail.outbox) == 1
    assert "Your next appointment: Wednesday 4 March 2026" in mail.outbox[0].body


def test_every_fourth_session_gets_the_phq9_and_every_session_the_alliance(
    clock, emailable_client, policy, django_capture_on_commit_callbacks
):
    asked = []
    for number in range(1, 10):
        start = T0 + dt.timedelta(days=7 * number)
        booked(emailable_client, start)
        clock.move_to(start - 24 * HOUR)
        run(django_capture_on_commit_callbacks)
        checkin = CheckIn.objects.get(session__starts_at=start)
        asked.append(sorted(checkin.items.values_list("instrument__short_name", flat=True)))
        clock.move_to(start + HOUR)
    with_phq = [number for number, names in enumerate(asked, start=1) if "PHQ-9" in names]
    assert with_phq == [1, 5, 9]
    assert all("Alliance" in names for names in asked)


def test_the_counselors_own_rules_replace_the_policy_and_off_means_none(
    clock, owner, emailable_client, policy, django_capture_on_commit_callbacks
):
    CheckInSchedule.objects.create(
        client=emailable_client,
        rules=[{"instrument": "GAD-7", "every": 1}],
        changed_by=owner,
        changed_at=T0,
    )
    booked(emailable_client, T0 + 10 * HOUR)
    run(django_capture_on_commit_callbacks)
    names = list(CheckIn.objects.get().items.values_list("instrument__short_name", flat=True))
    assert names == ["GAD-7"]
    CheckInSchedule.objects.filter(client=emailable_client).update(enabled=False)
    booked(emailable_client, T0 + 20 * HOUR)
    run(django_capture_on_commit_callbacks)
    assert CheckIn.objects.count() == 1


def test_nothing_without_consent_or_after_an_opt_out(
    clock, emailable_client, policy, django_capture_on_commit_callbacks
):
    booked(emailable_client, T0 + 10 * HOUR)
    Consent.objects.filter(client=emailable_client).update(revoked_on=T0.date())
    run(django_capture_on_commit_callbacks)
    assert not CheckIn.objects.exists()
    Consent.objects.filter(client=emailable_client).update(revoked_on=None)
    CheckInOptOut.objects.create(client=emailable_client, at=T0)
    run(django_capture_on_commit_callbacks)
    assert not CheckIn.objects.exists()
    assert mail.outbox == []


def test_nobody_is_chased_twice(
    clock, owner, emailable_client, policy, django_capture_on_commit_callbacks
):
    booked(emailable_client, T0 + 30 * HOUR)
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    checkin_revoke(actor=owner, checkin=checkin)
    run(django_capture_on_commit_callbacks)
    assert CheckIn.objects.count() == 1
    assert len(mail.outbox) == 1


def test_one_reminder_with_the_session_reminder_which_is_not_sent_on_its_own(
    clock, emailable_client, policy, django_capture_on_commit_callbacks
):
    start = T0 + 48 * HOUR
    booked(emailable_client, start)
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    clock.move_to(start - 24 * HOUR - dt.timedelta(minutes=1))
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    clock.move_to(start - 24 * HOUR)
    for _ in range(2):
        run(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            sweep_run(sweep="client_sessions")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Reminder:")
    assert "Your next appointment" in mail.outbox[1].body
    assert not Notification.objects.filter(kind=ReminderKind.CLIENT_SESSION).exists()
    assert CheckIn.objects.get().reminded_at == start - 24 * HOUR


def test_an_answered_check_in_leaves_the_usual_session_reminder(
    clock, owner, emailable_client, policy, django_capture_on_commit_callbacks
):
    session = booked(emailable_client, T0 + 20 * HOUR)
    checkin = send(owner, emailable_client, "Alliance", channel="email", session=session)
    checkin_answer(
        checkin=checkin,
        item_id=checkin.items.get().pk,
        answers={"goals": 8, "tasks": 8, "bond": 8, "overall": 8},
    )
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run(sweep="client_sessions")
    assert Notification.objects.filter(kind=ReminderKind.CLIENT_SESSION).count() == 1


def test_no_response_exactly_at_the_expiry(
    clock, owner, emailable_client, policy, django_capture_on_commit_callbacks
):
    checkin = send(owner, emailable_client, "Alliance", channel="email")
    clock.move_to(checkin.expires_at - dt.timedelta(seconds=1))
    run(django_capture_on_commit_callbacks)
    assert CheckIn.objects.get().state == CheckInState.WAITING
    clock.move_to(checkin.expires_at)
    run(django_capture_on_commit_callbacks)
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.EXPIRED
    assert checkin.get_state_display() == "No response"
    assert checkin.events.filter(kind="expired").count() == 1


def test_a_check_in_without_a_session_is_reminded_half_way_once(
    clock, owner, emailable_client, policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checkin = send(owner, emailable_client, "Alliance", channel="email")
    assert len(mail.outbox) == 1
    half = checkin.created_at + (checkin.expires_at - checkin.created_at) / 2
    clock.move_to(half - dt.timedelta(seconds=1))
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    clock.move_to(half)
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
