"""For each kind a sweep sends to staff: how to make it (at T0), how to bring it to just before
it is due, and how to make it due. The time-travel tests run every scenario the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import time_machine

from clients.models import Client, ConsentKind
from practice.reminders.models import ReminderKind
from practice.staff.models import User
from sessions_app.models import SessionStatus
from termination.models import EndingKind, FollowUp, Initiator, Termination, TerminationState
from tests.factories import ConsentFactory, SessionFactory
from tests.reminders.conftest import T0
from tests.termination.conftest import Workflow


@dataclass
class World:
    owner: User
    supervisor: User
    client: Client
    clock: time_machine.Coordinates
    held: dict

    @property
    def flow(self) -> Workflow:
        return Workflow(counselor=self.owner, supervisor=self.supervisor, client=self.client)


Step = Callable[[World], None]


def at(delta: dt.timedelta) -> Step:
    return lambda world: world.clock.move_to(T0 + delta)


def days(number: float) -> dt.timedelta:
    return dt.timedelta(days=number)


def hours(number: float) -> dt.timedelta:
    return dt.timedelta(hours=number)


@dataclass(frozen=True)
class Scenario:
    kind: str
    sweep: str
    build: Callable[[World], User]  # makes the record at T0; returns who is told
    almost: Step  # just before it is due
    due: Step  # due now

    def __str__(self) -> str:
        return self.kind


# Builders ----------------------------------------------------------------------------------


def agenda(world: World) -> User:
    world.owner.time_zone = "America/New_York"  # 07:00 there is 12:00 UTC in early March
    world.owner.save()
    SessionFactory(
        client=world.client,
        starts_at=dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.UTC),
        status=SessionStatus.SCHEDULED,
    )
    return world.owner


def unsigned_note(world: World) -> User:
    SessionFactory(client=world.client, starts_at=T0 - hours(2))  # ends T0 - 70 minutes
    return world.owner


def unsigned_note_supervisor(world: World) -> User:
    unsigned_note(world)
    return world.supervisor


def planned_ending(world: World) -> User:
    flow = world.flow
    termination = flow.open()
    flow.notice(termination, final_session_on=T0.date() + days(20))
    world.held["termination"] = termination
    return world.owner


def signed_summary(world: World) -> User:
    flow = world.flow
    termination = flow.open()
    flow.prepared(termination)
    flow.summary(termination)
    world.held["termination"] = termination
    return world.supervisor


def sign(world: World) -> None:
    world.clock.move_to(T0 + hours(1))
    world.flow.sign(world.held["termination"])


def closed_with_follow_up(world: World) -> User:
    termination = Termination.objects.create(
        client=world.client,
        kind=EndingKind.PLANNED,
        initiated_by=Initiator.BOTH,
        opened_by=world.owner,
        state=TerminationState.CLOSED,
        ended_on=T0.date(),
    )
    FollowUp.objects.create(termination=termination, offset_days=30, due_on=T0.date() + days(30))
    return world.owner


def silent_client(world: World) -> User:
    SessionFactory(client=world.client, starts_at=T0 - days(5))
    return world.owner


def expiring_consent(world: World) -> User:
    ConsentFactory(
        client=world.client,
        kind=ConsentKind.ELECTRONIC,
        signed_on=T0.date() - days(300),
        expires_on=T0.date() + days(30),
    )
    return world.owner


def recent_intake(world: World) -> User:
    Client.objects.filter(pk=world.client.pk).update(intake_date=T0.date() - days(10))
    return world.owner


SCENARIOS = [
    Scenario(
        ReminderKind.AGENDA,
        "agenda",
        agenda,
        almost=lambda world: world.clock.move_to(dt.datetime(2026, 3, 3, 11, 30, tzinfo=dt.UTC)),
        due=lambda world: world.clock.move_to(dt.datetime(2026, 3, 3, 12, 5, tzinfo=dt.UTC)),
    ),
    Scenario(ReminderKind.NOTE_UNSIGNED, "notes", unsigned_note, at(hours(70)), at(hours(71.5))),
    Scenario(
        ReminderKind.NOTE_UNSIGNED_SUPERVISOR,
        "notes",
        unsigned_note_supervisor,
        at(hours(142)),
        at(hours(143.5)),
    ),
    Scenario(ReminderKind.FINAL_SESSION, "endings", planned_ending, at(days(16)), at(days(17))),
    Scenario(ReminderKind.SUMMARY_DUE, "endings", planned_ending, at(days(31)), at(days(32))),
    Scenario(ReminderKind.SUMMARY_OVERDUE, "endings", planned_ending, at(days(35)), at(days(36))),
    Scenario(
        ReminderKind.APPROVAL_WAITING,
        "endings",
        signed_summary,
        almost=lambda world: None,
        due=sign,
    ),
    Scenario(
        ReminderKind.FOLLOW_UP_DUE, "endings", closed_with_follow_up, at(days(29)), at(days(30))
    ),
    Scenario(
        ReminderKind.FOLLOW_UP_OVERDUE,
        "endings",
        closed_with_follow_up,
        at(days(37)),
        at(days(38)),
    ),
    Scenario(
        ReminderKind.SILENT_CLIENT, "silent_clients", silent_client, at(days(24)), at(days(26))
    ),
    Scenario(
        ReminderKind.CONSENT_EXPIRING, "consents", expiring_consent, at(days(15)), at(days(16))
    ),
    Scenario(
        ReminderKind.PLAN_REVIEW_DUE, "plan_reviews", recent_intake, at(days(79)), at(days(80))
    ),
]
