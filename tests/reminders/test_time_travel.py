"""Every kind a sweep sends to staff, travelling in time: not sent before it is due, sent once
when due (email and in-app), not sent again by later sweeps, and not sent on a channel the
recipient declined."""

from __future__ import annotations

import datetime as dt

import pytest

from practice.reminders.models import EmailState, Notification, ReminderKind
from tests.reminders.conftest import decline, deliver, emails_to, made, sweep
from tests.reminders.scenarios import SCENARIOS, Scenario, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(clock, owner, supervisor, own_client, practice_admin) -> World:
    return World(owner=owner, supervisor=supervisor, client=own_client, clock=clock, held={})


def run(scenario: Scenario) -> list[Notification]:
    sweep(scenario.sweep)
    return made(scenario.kind)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_it_sends_nothing_before_it_is_due(world, scenario):
    recipient = scenario.build(world)
    assert run(scenario) == []
    scenario.almost(world)
    assert run(scenario) == []
    deliver()
    assert emails_to(recipient.email, scenario.kind) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_it_sends_one_email_and_one_entry_when_due(world, scenario):
    recipient = scenario.build(world)
    scenario.almost(world)
    scenario.due(world)
    rows = [row for row in run(scenario) if row.recipient == recipient]
    assert len(rows) == 1
    assert rows[0].in_app and rows[0].email_state == EmailState.PENDING
    report = deliver()
    assert report.sent >= 1
    assert len(emails_to(recipient.email, scenario.kind)) == 1
    message = emails_to(recipient.email, scenario.kind)[0]
    assert world.client.legal_last_name not in message.subject + message.body
    assert rows[0].link in message.body
    assert Notification.objects.unread_for(recipient).filter(kind=scenario.kind).count() == 1


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_it_is_not_sent_again_by_later_sweeps(world, scenario):
    recipient = scenario.build(world)
    scenario.due(world)
    first = run(scenario)
    deliver()
    world.clock.shift(dt.timedelta(minutes=50))
    assert run(scenario) == first
    deliver()
    assert len(emails_to(recipient.email, scenario.kind)) == 1


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_it_respects_a_recipient_who_declined_both_channels(world, scenario):
    recipient = scenario.build(world)
    decline(recipient, scenario.kind)
    scenario.due(world)
    rows = [row for row in run(scenario) if row.recipient == recipient]
    assert [(row.in_app, row.email_state) for row in rows] == [(False, EmailState.SKIPPED)]
    deliver()
    assert emails_to(recipient.email, scenario.kind) == []
    assert not Notification.objects.in_app_for(recipient).exists()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_it_keeps_the_in_app_entry_of_a_recipient_who_declined_email(world, scenario):
    recipient = scenario.build(world)
    decline(recipient, scenario.kind, in_app=True)
    scenario.due(world)
    run(scenario)
    deliver()
    assert emails_to(recipient.email, scenario.kind) == []
    assert Notification.objects.in_app_for(recipient).filter(kind=scenario.kind).count() == 1


def test_the_supervisor_hears_of_overdue_summaries_and_follow_ups_too(world):
    from tests.reminders.scenarios import closed_with_follow_up, days, planned_ending

    planned_ending(world)
    world.clock.shift(days(36))
    sweep("endings")
    assert {row.recipient for row in made(ReminderKind.SUMMARY_OVERDUE)} == {
        world.owner,
        world.supervisor,
    }
    assert made(ReminderKind.SUMMARY_DUE) == []
    closed_with_follow_up(world)
    world.clock.shift(days(38))
    sweep("endings")
    assert {row.recipient for row in made(ReminderKind.FOLLOW_UP_OVERDUE)} == {
        world.owner,
        world.supervisor,
    }


def test_the_counselor_hears_of_an_unsigned_note_but_not_of_a_signed_one(world):
    from sessions_app.models import NoteStatus
    from tests.factories import NoteFactory, SessionFactory
    from tests.reminders.conftest import T0

    signed = SessionFactory(client=world.client, starts_at=T0 - dt.timedelta(hours=3))
    NoteFactory(session=signed, status=NoteStatus.SIGNED)
    draft = SessionFactory(client=world.client, starts_at=T0 - dt.timedelta(hours=2))
    NoteFactory(session=draft)
    world.clock.shift(dt.timedelta(hours=73))
    sweep("notes")
    assert [row.object_id for row in made(ReminderKind.NOTE_UNSIGNED)] == [draft.pk]
