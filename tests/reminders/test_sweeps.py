"""What the time-travel table does not cover: the monthly retention report, one reminder per
silence, renewed consents, the counselor's time zone for the agenda, constant query counts, and
what a sweep run records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from clients.models import Client, ClientStatus, ConsentKind
from practice.management.commands.bench_reminders import load_practice, run_every_sweep
from practice.reminders.models import EmailState, Notification, ReminderKind, SweepRun
from practice.reminders.runs import sweep_run
from sessions_app.models import SessionStatus
from termination.models import EndingKind, Initiator, Termination, TerminationState
from tests.factories import ClientFactory, ConsentFactory, PracticeAdminFactory, SessionFactory
from tests.reminders.conftest import T0, decline, deliver, emails_to, made, sweep

pytestmark = pytest.mark.django_db


def closed_record(owner, last_name: str, retain_days: int, hold: bool = False) -> Client:
    today = timezone.localdate()
    record = ClientFactory(
        primary_counselor=owner,
        legal_last_name=last_name,
        status=ClientStatus.CLOSED,
        opened_on=today - dt.timedelta(days=4000),
        closed_on=today - dt.timedelta(days=3000),
        legal_hold=hold,
    )
    Termination.objects.create(
        client=record,
        kind=EndingKind.PLANNED,
        initiated_by=Initiator.BOTH,
        opened_by=owner,
        state=TerminationState.CLOSED,
        retain_until=today + dt.timedelta(days=retain_days),
    )
    return record


# The monthly retention report ----------------------------------------------------------------


def test_the_admin_gets_one_retention_report_a_month(clock, owner, practice_admin):
    closed_record(owner, "Past", -10)
    closed_record(owner, "Held", -10, hold=True)
    closed_record(owner, "Kept", 400)
    sweep("retention")
    (row,) = made(ReminderKind.RETENTION_REPORT)
    assert row.recipient == practice_admin and row.due_on == dt.date(2026, 3, 1)
    assert (row.context["eligible"], row.context["held"]) == (1, 1)
    clock.shift(dt.timedelta(days=20))
    sweep("retention")  # later in March: already sent
    deliver()
    (message,) = emails_to(practice_admin.email)
    assert message.subject == "Retention report for March 2026: 1 record past the retention date"
    assert "never deletes" in message.body and "Past" not in message.body
    clock.move_to(dt.datetime(2026, 4, 1, 0, 5, tzinfo=dt.UTC))
    sweep("retention")
    assert len(made(ReminderKind.RETENTION_REPORT)) == 2
    assert Client.objects.count() == 3  # a report: nothing is ever deleted


def test_the_retention_report_goes_to_no_counselor(clock, owner, supervisor, practice_admin):
    sweep("retention")
    assert {row.recipient for row in made(ReminderKind.RETENTION_REPORT)} == {practice_admin}


def test_an_admin_who_declined_email_finds_the_report_in_the_app(clock, practice_admin):
    decline(practice_admin, ReminderKind.RETENTION_REPORT, in_app=True)
    sweep("retention")
    deliver()
    assert mail.outbox == []
    assert Notification.objects.unread_for(practice_admin).count() == 1


# Silent clients -------------------------------------------------------------------------------


def test_one_reminder_per_silence(clock, owner, own_client):
    SessionFactory(client=own_client, starts_at=T0 - dt.timedelta(days=40))
    sweep("silent_clients")
    clock.shift(dt.timedelta(days=3))
    sweep("silent_clients")
    assert len(made(ReminderKind.SILENT_CLIENT)) == 1
    SessionFactory(client=own_client, starts_at=T0 + dt.timedelta(days=2))  # came back
    sweep("silent_clients")
    clock.shift(dt.timedelta(days=40))  # and went silent again
    sweep("silent_clients")
    first, second = made(ReminderKind.SILENT_CLIENT)
    assert (first.due_on, second.due_on) == (
        (T0 - dt.timedelta(days=40)).date(),
        (T0 + dt.timedelta(days=2)).date(),
    )


def test_a_client_with_a_session_booked_or_an_ending_is_not_silent(clock, owner):
    booked = ClientFactory(primary_counselor=owner)
    SessionFactory(client=booked, starts_at=T0 - dt.timedelta(days=60))
    SessionFactory(
        client=booked, starts_at=T0 + dt.timedelta(days=5), status=SessionStatus.SCHEDULED
    )
    ending = ClientFactory(primary_counselor=owner)
    Client.objects.filter(pk=ending.pk).update(status=ClientStatus.ENDING)
    never_came = ClientFactory(primary_counselor=owner)  # intake 120 days ago, no session
    sweep("silent_clients")
    assert [row.object_id for row in made(ReminderKind.SILENT_CLIENT)] == [never_came.pk]
    deliver()
    assert "since the intake" in mail.outbox[0].body


# Consents, agendas ----------------------------------------------------------------------------


def test_a_renewed_consent_is_not_reminded(clock, owner, own_client):
    ConsentFactory(
        client=own_client,
        kind=ConsentKind.ELECTRONIC,
        signed_on=T0.date() - dt.timedelta(days=300),
        expires_on=T0.date() + dt.timedelta(days=5),
    )
    ConsentFactory(client=own_client, kind=ConsentKind.ELECTRONIC, signed_on=T0.date())
    sweep("consents")
    assert made(ReminderKind.CONSENT_EXPIRING) == []


def test_the_agenda_follows_each_counselors_morning(clock, owner, colleague, own_client):
    owner.time_zone = "Asia/Tokyo"  # 09:00 UTC is 18:00 in Tokyo: too late today
    owner.save()
    colleague.time_zone = "Europe/London"  # 09:00 there: morning
    colleague.save()
    for counselor in (owner, colleague):
        SessionFactory(
            client=ClientFactory(primary_counselor=counselor),
            starts_at=T0 + dt.timedelta(hours=5),
            status=SessionStatus.SCHEDULED,
        )
    sweep("agenda")
    (row,) = made(ReminderKind.AGENDA)
    assert row.recipient == colleague and row.due_on == T0.date()
    clock.move_to(dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC))  # 08:00 on 3 March in Tokyo
    sweep("agenda")
    assert made(ReminderKind.AGENDA, recipient=owner) == []  # no session on Tokyo's 3 March
    deliver()
    (message,) = emails_to(colleague.email)
    assert "14:00" in message.body and "Monday 2 March 2026" in message.subject


def test_an_inactive_counselor_gets_nothing(clock, owner, own_client):
    SessionFactory(client=own_client, starts_at=T0 - dt.timedelta(days=4))
    owner.is_active = False
    owner.save()
    for name in ("notes", "silent_clients", "plan_reviews", "agenda"):
        sweep(name)
    assert not Notification.objects.filter(recipient=owner).exists()


# Runs and queries -----------------------------------------------------------------------------


def test_a_run_records_duration_queries_and_deliveries(clock, owner, own_client):
    run = sweep("plan_reviews")
    run.refresh_from_db()
    assert run.finished_at and run.duration_ms is not None and run.error == ""
    assert (run.deliveries, run.queries) == (1, run.queries) and run.queries > 0


def test_a_failing_sweep_records_its_error_and_makes_nothing(clock, owner, own_client):
    from unittest import mock

    with (
        mock.patch(
            "practice.reminders.sweeps.caseload.plan_review_due_on", side_effect=KeyError("x")
        ),
        pytest.raises(KeyError),
    ):
        sweep("plan_reviews")
    run = SweepRun.objects.get(sweep="plan_reviews")
    assert "KeyError" in run.error and run.finished_at
    assert not Notification.objects.exists()


def test_an_unknown_sweep_is_refused():
    with pytest.raises(ValueError, match="No sweep"):
        sweep_run(sweep="nonsense")


def test_each_sweep_makes_the_same_queries_for_few_or_many_clients(clock):
    PracticeAdminFactory()
    load_practice(clients=8, sessions_per_client=6, now=T0, tag="few")
    few = {timing.sweep: timing for timing in run_every_sweep()}
    load_practice(clients=120, sessions_per_client=6, now=T0, tag="many")
    many = {timing.sweep: timing for timing in run_every_sweep()}
    # The check-in sweep queues tasks by id and makes no reminder rows of its own.
    few_made = {name: timing.made for name, timing in few.items() if name != "checkins"}
    many_made = {name: timing.made for name, timing in many.items() if name != "checkins"}
    assert all(few_made.values()), "every sweep found something"
    assert all(many_made.values()), "every sweep found something new"
    assert {name: timing.queries for name, timing in few.items()} == {
        name: timing.queries for name, timing in many.items()
    }


def test_a_sweep_finds_nothing_twice_in_a_generated_practice(clock):
    PracticeAdminFactory()
    load_practice(clients=30, sessions_per_client=6, now=T0, tag="twice")
    first = sum(timing.made for timing in run_every_sweep())
    again = sum(timing.made for timing in run_every_sweep())
    assert first > 20 and again == 0
    report = deliver()
    assert report.sent == Notification.objects.filter(email_state=EmailState.SENT).count() > 0


def test_beat_runs_every_sweep_and_the_delivery_on_intervals_from_settings(settings):
    from practice.celery import app
    from practice.reminders.sweeps import sweeps

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["args"][0] for entry in schedule.values() if "args" in entry} == set(sweeps())
    assert schedule["reminders-deliver"]["task"] == "practice.reminders.tasks.deliver_reminders"
    app.loader.import_default_modules()  # what a worker does at start: find every app's tasks
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, name
        if name.startswith("reminders-"):
            interval = settings.REMINDER_SWEEP_INTERVALS[name.removeprefix("reminders-")]
            assert entry["schedule"] == interval
    assert settings.CELERY_TIMEZONE == "UTC"
    # A retry's countdown never outlives Redis's visibility timeout (it would run twice).
    assert settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS < 3600
    for task in ("run_sweep", "deliver_reminders", "notify_alliance_alert"):
        assert app.tasks[f"practice.reminders.tasks.{task}"].acks_late, task
    assert not app.tasks["practice.celery.ping"].acks_late
