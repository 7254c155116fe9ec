"""Hand-built caseloads for the supervision tests: each client carries exactly one reason to be
counted on the review board, so every count can be checked by hand."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from clients.models import Client, PlanReview
from practice.staff.models import User
from sessions_app.models import NoteStatus, SessionStatus
from sessions_app.services import rating_record
from termination.models import Termination, TerminationState
from tests.factories import ClientFactory, NoteFactory, SessionFactory, instrument

GOOD_ALLIANCE = {"goals": 9, "tasks": 9, "bond": 9, "overall": 9}
LOW_ALLIANCE = {"goals": 5, "tasks": 5, "bond": 6, "overall": 5}


def phq9(each: int) -> dict[str, int]:
    return {f"phq{number}": each for number in range(1, 10)}


def quiet_client(counselor: User, *, plan_reviewed: bool = True, **fields) -> Client:
    """A client with nothing to flag: seen last week, booked next week, plan reviewed lately,
    notes signed."""
    person = ClientFactory(primary_counselor=counselor, **fields)
    now = timezone.now()
    session = SessionFactory(client=person, starts_at=now - dt.timedelta(days=7))
    NoteFactory(session=session, status=NoteStatus.SIGNED)
    SessionFactory(
        client=person, starts_at=now + dt.timedelta(days=7), status=SessionStatus.SCHEDULED
    )
    if plan_reviewed:
        PlanReview.objects.create(
            client=person,
            reviewed_by=counselor,
            reviewed_on=timezone.localdate() - dt.timedelta(days=5),
        )
    return person


def attend(person: Client, count: int) -> None:
    """`count` more attended sessions with signed notes, weeks back in time."""
    now = timezone.now()
    for weeks in range(2, count + 2):
        session = SessionFactory(client=person, starts_at=now - dt.timedelta(weeks=weeks))
        NoteFactory(session=session, status=NoteStatus.SIGNED)


def rate(person: Client, short_name: str, answers: dict, days_ago: int) -> None:
    rating_record(
        actor=person.primary_counselor,
        client=person,
        instrument=instrument(short_name),
        answers=answers,
        administered_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def alliance_alert_client(counselor: User) -> Client:
    person = quiet_client(counselor, legal_last_name="Alert")
    rate(person, "Alliance", GOOD_ALLIANCE, 14)
    rate(person, "Alliance", LOW_ALLIANCE, 7)
    return person


def deteriorated_client(counselor: User) -> Client:
    person = quiet_client(counselor, legal_last_name="Worse")
    rate(person, "PHQ-9", phq9(1), 30)
    rate(person, "PHQ-9", phq9(3), 7)
    return person


def unchanged_client(counselor: User, *, attended: int, last_name: str) -> Client:
    """Unchanged on the PHQ-9 after `attended` sessions (one is the quiet client's own)."""
    person = quiet_client(counselor, legal_last_name=last_name)
    attend(person, attended - 1)
    rate(person, "PHQ-9", phq9(2), 30)
    rate(person, "PHQ-9", phq9(2), 7)
    return person


def silent_client(counselor: User) -> Client:
    person = ClientFactory(primary_counselor=counselor, legal_last_name="Silent")
    session = SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(days=45))
    NoteFactory(session=session, status=NoteStatus.SIGNED)
    PlanReview.objects.create(client=person, reviewed_by=counselor)
    return person


def overdue_note_client(counselor: User, *, notes: int = 1) -> Client:
    """A client whose last `notes` sessions (4+ days ago) have a draft note or none."""
    person = quiet_client(counselor, legal_last_name="Unsigned")
    for number in range(notes):
        session = SessionFactory(
            client=person, starts_at=timezone.now() - dt.timedelta(days=4, hours=number)
        )
        if number % 2 == 0:
            NoteFactory(session=session)  # a draft
    return person


def review_due_client(counselor: User) -> Client:
    person = quiet_client(counselor, plan_reviewed=False, legal_last_name="Review")
    return person


def ending_client(counselor: User, *, state: str = TerminationState.PREPARING) -> Termination:
    person = quiet_client(counselor, legal_last_name="Ending")
    return Termination.objects.create(
        client=person,
        kind="planned",
        initiated_by="client",
        opened_by=counselor,
        state=state,
        final_session_on=timezone.localdate() + dt.timedelta(days=20),
    )


def note_awaiting_cosign(counselor: User):
    person = quiet_client(counselor, legal_last_name="Cosign")
    session = SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(days=2))
    return NoteFactory(
        session=session,
        status=NoteStatus.AWAITING_COSIGN,
        signed_by=counselor,
        signed_at=timezone.now() - dt.timedelta(days=1),
    )


def full_caseload(counselor: User) -> dict:
    """One client per count, plus two quiet ones."""
    return {
        "quiet": [quiet_client(counselor), quiet_client(counselor)],
        "alliance": alliance_alert_client(counselor),
        "deteriorated": deteriorated_client(counselor),
        "stuck": unchanged_client(counselor, attended=6, last_name="Stuck"),
        "early": unchanged_client(counselor, attended=2, last_name="Early"),
        "silent": silent_client(counselor),
        "unsigned": overdue_note_client(counselor, notes=2),
        "review": review_due_client(counselor),
        "ending": ending_client(counselor),
        "approval": ending_client(counselor, state=TerminationState.AWAITING_APPROVAL),
        "cosign": note_awaiting_cosign(counselor),
    }
