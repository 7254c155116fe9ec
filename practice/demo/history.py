"""Former clients for the outcome reports: a year of closed endings, written in bulk.

The demo's own endings (endings.py) walk a handful of clients through every state; reports need
dozens of closed endings to show anything, and the speed check needs thousands. These records are
compact histories, as if imported: the client, weekly attended sessions with alliance ratings (and
the alerts they raise), PHQ-9 at intake, every third session and the last, the closed ending with
its notice, reason, signed summary and follow-ups, and now and then a reopening or a booster.
Deterministic for a seed. Nothing here runs unless asked (`seed_demo_history`).
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from clients.models import Client, ClientStatus
from practice.demo.plan import item_answers
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    Rating,
    SessionKind,
    SessionStatus,
)
from sessions_app.scoring import alliance_alert_reason, score
from sessions_app.services.measures import measure_series_rebuild
from sessions_app.services.sessions import note_due_rule
from termination.models import (
    ClosingSummary,
    FollowUp,
    SummaryStatus,
    Termination,
    TerminationState,
)

COUNSELORS = ("counselor", "counselor2", "counselor3", "counselor4", "counselor5", "counselor6")
FIRST_NAMES = [
    "Avery",
    "Blair",
    "Cameron",
    "Dana",
    "Eden",
    "Finley",
    "Gray",
    "Harper",
    "Indigo",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noor",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Taylor",
    "Umar",
    "Val",
    "Winter",
    "Yael",
    "Zion",
    "Ines",
    "Tomas",
    "Lena",
    "Rafael",
    "Mei",
]
LAST_NAMES = [
    "Ashdown",
    "Brennick",
    "Calloway",
    "Dunmore",
    "Ellery",
    "Fairbank",
    "Galloway",
    "Hollins",
    "Iverson",
    "Jessop",
    "Kilbride",
    "Lockhart",
    "Marlow",
    "Northam",
    "Oakes",
    "Pemberton",
    "Quill",
    "Radley",
    "Stanwick",
    "Thorne",
    "Underhill",
    "Vance",
    "Whitcombe",
    "Yardley",
]


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in options], [weight for _v, weight in options])[0]


PLANNED_INITIATORS = [("both", 55), ("client", 25), ("counselor", 15), ("practice", 5)]
UNPLANNED_INITIATORS = [("client", 70), ("practice", 30)]
PLANNED_REASONS = [
    ("goals_met", 65),
    ("relocation", 10),
    ("financial", 8),
    ("higher_care", 7),
    ("scope", 5),
    ("counselor_leaving", 5),
]
UNPLANNED_REASONS = [("stopped_attending", 85), ("not_benefiting", 10), ("financial", 5)]


@dataclass
class Batch:
    clients: list[Client] = field(default_factory=list)
    sessions: list[CounselingSession] = field(default_factory=list)
    ratings: list[tuple[Rating, str | None, Decimal | None]] = field(default_factory=list)
    terminations: list[Termination] = field(default_factory=list)
    summaries: list[ClosingSummary] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


def _at(day: dt.date, hour: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _alliance_totals(rng: random.Random, count: int, unplanned: bool) -> list[int]:
    level = rng.randint(29, 36)
    totals = []
    falling = unplanned and rng.random() < 0.6
    for index in range(count):
        if falling and index >= count - 3:
            level -= rng.randint(2, 6)
        else:
            level += rng.choice((-1, 0, 0, 1, 1))
        totals.append(max(8, min(40, level)))
    return totals


def seed_history(
    *, former_clients: int, today: dt.date, seed: int = 17, sessions_each: int = 0
) -> int:
    """Write `former_clients` closed endings over the last year; returns how many."""
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo("America/Toronto")
    policy = PracticePolicy.current()
    staff = {user.username: user for user in User.objects.filter(username__in=COUNSELORS)}
    counselors = [staff[name] for name in COUNSELORS if name in staff]
    if not counselors:
        raise ValueError("Load the demo staff first (seed_demo).")
    alliance = Instrument.objects.get(short_name="Alliance", is_shipped=True)
    phq9 = Instrument.objects.get(short_name="PHQ-9", is_shipped=True)
    with transaction.atomic():
        for start in range(0, former_clients, 500):
            _write_batch(
                rng,
                range(start, min(former_clients, start + 500)),
                today,
                zone,
                policy,
                counselors,
                alliance,
                phq9,
                sessions_each,
            )
        # Written in bulk, past the services: derive what they keep.
        CounselingSession.objects.filter(note_due_rule()).update(note_due=True)
        measure_series_rebuild()
    return former_clients


def _write_batch(rng, indexes, today, zone, policy, counselors, alliance, phq9, sessions_each):
    plans = []
    batch = Batch()
    for index in indexes:
        counselor = rng.choice(counselors)
        unplanned = rng.random() < 0.22
        count = sessions_each or (rng.randint(2, 9) if unplanned else rng.randint(6, 16))
        ended = today - dt.timedelta(days=rng.randint(12, 360))
        intake = ended - dt.timedelta(weeks=count - 1)
        signed = ended + dt.timedelta(days=rng.randint(2, 25))
        closed = min(today, max(signed, ended) + dt.timedelta(days=1))
        reopened = rng.random() < 0.05
        person = Client(
            legal_first_name=rng.choice(FIRST_NAMES),
            legal_last_name=f"{rng.choice(LAST_NAMES)}-{index + 1:04d}",
            date_of_birth=dt.date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            primary_counselor=counselor,
            intake_date=intake,
            opened_on=intake,
            status=ClientStatus.ACTIVE if reopened else ClientStatus.CLOSED,
            closed_on=None if reopened else closed,
            presenting_concerns="Former client (history for the outcome reports).",
        )
        batch.clients.append(person)
        plans.append((person, counselor, unplanned, count, ended, intake, closed, reopened))
    Client.objects.bulk_create(batch.clients)
    session_plans = []
    for person, counselor, unplanned, count, _ended, intake, _closed, _reopened in plans:
        days = [intake + dt.timedelta(weeks=week) for week in range(count)]
        for position, day in enumerate(days):
            starts = _at(day, 9 + position % 8, zone)
            batch.sessions.append(
                CounselingSession(
                    counselor=counselor,
                    client=person,
                    starts_at=starts,
                    duration_minutes=50,
                    ends_at=starts + dt.timedelta(minutes=50),
                    kind=SessionKind.INTAKE if position == 0 else SessionKind.REGULAR,
                    status=SessionStatus.ATTENDED,
                    created_by=counselor,
                )
            )
        session_plans.append((person, counselor, unplanned, days, len(batch.sessions)))
    CounselingSession.objects.bulk_create(batch.sessions)
    for person, counselor, unplanned, days, end_index in session_plans:
        sessions = batch.sessions[end_index - len(days) : end_index]
        totals = _alliance_totals(rng, len(days), unplanned)
        previous = None
        first_phq = rng.randint(10, 22)
        change = rng.randint(-8, 6) if unplanned else rng.randint(-6, 13)
        for position, (session, total) in enumerate(zip(sessions, totals, strict=True)):
            answers = item_answers(rng, alliance, total)
            reason = alliance_alert_reason(
                total=Decimal(total),
                previous_total=previous,
                cutoff=Decimal(policy.alliance_cutoff),
                drop_points=policy.alliance_drop_points,
            )
            batch.ratings.append(
                (_rating(alliance, person, session, answers, counselor), reason, previous)
            )
            previous = Decimal(total)
            last = position == len(sessions) - 1
            if position % 3 == 0 or last:
                progress = position / max(len(sessions) - 1, 1)
                phq_total = max(0, min(27, round(first_phq - change * progress)))
                batch.ratings.append(
                    (
                        _rating(
                            phq9, person, session, item_answers(rng, phq9, phq_total), counselor
                        ),
                        None,
                        None,
                    )
                )
    Rating.objects.bulk_create([rating for rating, _reason, _previous in batch.ratings])
    AllianceAlert.objects.bulk_create(
        AllianceAlert(
            rating=rating,
            client=rating.client,
            reason=reason,
            cutoff=Decimal(policy.alliance_cutoff),
            previous_total=previous,
        )
        for rating, reason, previous in batch.ratings
        if reason is not None
    )
    boosters = []
    for person, counselor, unplanned, _count, ended, _intake, closed, reopened in plans:
        kind = "unplanned" if unplanned else "planned"
        raised = ended - dt.timedelta(days=rng.randint(7, 40)) if not unplanned else None
        termination = Termination(
            client=person,
            kind=kind,
            initiated_by=_weighted(rng, UNPLANNED_INITIATORS if unplanned else PLANNED_INITIATORS),
            state=TerminationState.REOPENED if reopened else TerminationState.CLOSED,
            opened_by=counselor,
            raised_on=raised or ended - dt.timedelta(days=rng.randint(30, 45)),
            final_session_on=ended if not unplanned else None,
            notice_override_reason="The client needed to stop sooner."
            if raised and (ended - raised).days < policy.minimum_notice_days and rng.random() < 0.5
            else "",
            reason=_weighted(rng, UNPLANNED_REASONS if unplanned else PLANNED_REASONS),
            ended_on=ended,
            closed_at=_at(closed, 17, zone),
            closed_by=counselor,
        )
        batch.terminations.append(termination)
        if rng.random() < 0.08:
            booster_day = closed + dt.timedelta(days=rng.randint(20, 120))
            starts = _at(booster_day, 11, zone)
            boosters.append(
                CounselingSession(
                    counselor=counselor,
                    client=person,
                    starts_at=starts,
                    duration_minutes=50,
                    ends_at=starts + dt.timedelta(minutes=50),
                    kind=SessionKind.BOOSTER,
                    status=SessionStatus.ATTENDED
                    if booster_day < today
                    else SessionStatus.SCHEDULED,
                    created_by=counselor,
                )
            )
    Termination.objects.bulk_create(batch.terminations)
    CounselingSession.objects.bulk_create(boosters)
    outcomes = [("reached", 60), ("not_reached", 25), ("returned", 5), ("pending", 10)]
    for termination in batch.terminations:
        ended = termination.ended_on
        batch.summaries.append(
            ClosingSummary(
                termination=termination,
                status=SummaryStatus.SIGNED,
                due_on=ended + dt.timedelta(days=policy.closing_summary_due_days),
                reason=termination.get_reason_display(),
                signed_by=termination.opened_by,
                signed_at=termination.closed_at - dt.timedelta(days=1),
            )
        )
        for offset in policy.follow_up_offsets_days:
            due = ended + dt.timedelta(days=offset)
            outcome = _weighted(rng, outcomes) if due < today else "pending"
            done = due + dt.timedelta(days=rng.randint(-2, 12)) if outcome != "pending" else None
            batch.follow_ups.append(
                FollowUp(
                    termination=termination,
                    offset_days=offset,
                    due_on=due,
                    outcome=outcome,
                    done_on=min(done, today) if done else None,
                    recorded_by=termination.opened_by if done else None,
                )
            )
    ClosingSummary.objects.bulk_create(batch.summaries)
    FollowUp.objects.bulk_create(batch.follow_ups)


def _rating(instrument, person, session, answers, counselor) -> Rating:
    result = score(instrument, answers)
    return Rating(
        instrument=instrument,
        client=person,
        session=session,
        administered_on=session.starts_at.date(),
        answers=answers,
        total=result.total,
        subscale_scores={name: str(value) for name, value in result.subscales.items()},
        entered_by=counselor,
    )
