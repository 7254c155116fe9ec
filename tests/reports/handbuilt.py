"""A small practice whose every report figure was worked out by hand (see the tests).

Today is frozen at 30 June 2026 (tests/reports/conftest.py), so "the last 12 months" runs from
1 July 2025 to 30 June 2026. Endings are written as rows (their workflow is tested elsewhere);
sessions and ratings go through the real services, so alliance alerts are raised as in use.

Owner (supervised by the supervisor), ending on / intake / kind / initiator / reason:
  O1 2026-01-15  2025-10-01  planned    both       goals met         (106 days)
  O2 2026-02-10  2025-12-20  planned    both       goals met          (52 days)
  O3 2026-03-05  2025-03-01  planned    client     relocation        (369 days)
  O4 2026-03-20  2026-03-01  planned    counselor  goals met          (19 days)
  O5 2026-04-10  2025-11-01  planned    both       goals met         (160 days, reopened since)
  O6 2026-05-12  2026-01-12  planned    client     financial         (120 days)
  O7 2026-04-22  2026-02-01  unplanned  client     stopped attending  (80 days)
  O8 2026-05-28  2026-04-20  unplanned  practice   stopped attending  (38 days)
Colleague (nobody's supervisee here):
  C1 2026-02-14  2025-09-01  planned    both       goals met         (166 days)
  C2 2026-04-30  2025-08-01  planned    both       goals met         (272 days)
  C3 2026-05-05  2026-01-05  planned    counselor  scope             (120 days)
  C4 2026-06-02  2026-05-10  unplanned  client     stopped attending  (23 days)
Not counted: O9 (ended 2025-06-15, before the period), an ending in preparation, a withdrawn one.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass

from clients.models import Client
from practice.staff.models import User
from sessions_app.models import SessionKind, SessionStatus
from sessions_app.services import rating_record
from termination.models import (
    ClosingSummary,
    FollowUp,
    SummaryStatus,
    Termination,
    TerminationState,
)
from tests.factories import ClientFactory, SessionFactory, instrument

TODAY = dt.date(2026, 6, 30)
UTC = zoneinfo.ZoneInfo("UTC")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(on: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(hour), tzinfo=UTC)


def phq9(total: int) -> dict[str, int]:
    """Nine answers adding up to `total` (0–27)."""
    answers = {}
    for number in range(1, 10):
        answers[f"phq{number}"] = min(3, max(0, total - 3 * (number - 1)))
    assert sum(answers.values()) == total
    return answers


def gad7(total: int) -> dict[str, int]:
    answers = {}
    for number in range(1, 8):
        answers[f"gad{number}"] = min(3, max(0, total - 3 * (number - 1)))
    assert sum(answers.values()) == total
    return answers


def alliance(total: int) -> dict[str, int]:
    """Goals, tasks, bond and overall adding up to `total` (0–40)."""
    parts = [total // 4 + (1 if index < total % 4 else 0) for index in range(4)]
    return dict(zip(("goals", "tasks", "bond", "overall"), parts, strict=True))


@dataclass
class Ending:
    termination: Termination
    client: Client


def ending(
    counselor: User,
    *,
    ended: str,
    intake: str,
    kind: str,
    initiated_by: str,
    reason: str,
    state: str = TerminationState.CLOSED,
    raised: str | None = None,
    final: str | None = None,
    override: str = "",
) -> Ending:
    ended_state = state in (TerminationState.CLOSED, TerminationState.REOPENED)
    # A made-up surname no report text could contain by chance (the tests look for it).
    person = ClientFactory(
        primary_counselor=counselor,
        intake_date=day(intake),
        opened_on=day(intake),
        legal_last_name=f"Hb{uuid.uuid4().hex[:10]}",
    )
    termination = Termination.objects.create(
        client=person,
        kind=kind,
        initiated_by=initiated_by,
        state=state,
        opened_by=counselor,
        reason=reason,
        raised_on=day(raised) if raised else None,
        final_session_on=day(final) if final else None,
        notice_override_reason=override,
        ended_on=day(ended)
        if state in (TerminationState.CLOSED, TerminationState.REOPENED)
        else None,
        closed_at=at(day(ended), 18) if ended_state else None,
    )
    return Ending(termination, person)


def rate(item: Ending, short_name: str, answers: dict, on: str, session=None) -> None:
    rating_record(
        actor=item.client.primary_counselor,
        client=item.client,
        instrument=instrument(short_name),
        answers=answers,
        administered_on=day(on),
        session=session,
    )


def outcome(item: Ending, short_name: str, first: int, latest: int, first_on: str, latest_on: str):
    make = phq9 if short_name == "PHQ-9" else gad7
    rate(item, short_name, make(first), first_on)
    rate(item, short_name, make(latest), latest_on)


def alliance_sessions(item: Ending, totals: list[int], last_on: str) -> None:
    """Attended sessions a week apart, the last on `last_on`, each with an alliance rating."""
    last = day(last_on)
    for index, total in enumerate(totals):
        on = last - dt.timedelta(weeks=len(totals) - 1 - index)
        session = SessionFactory(client=item.client, starts_at=at(on))
        rate(item, "Alliance", alliance(total), on.isoformat(), session=session)


def summary(item: Ending, due: str, signed: str) -> None:
    ClosingSummary.objects.create(
        termination=item.termination,
        status=SummaryStatus.SIGNED,
        due_on=day(due),
        signed_at=at(day(signed), 12),
        signed_by=item.client.primary_counselor,
    )


def follow_up(item: Ending, offset: int, outcome_: str = FollowUp.Outcome.PENDING, done=None):
    FollowUp.objects.create(
        termination=item.termination,
        offset_days=offset,
        due_on=item.termination.ended_on + dt.timedelta(days=offset),
        outcome=outcome_,
        done_on=day(done) if done else None,
    )


def build(owner: User, colleague: User) -> dict[str, Ending]:
    P, U = "planned", "unplanned"
    e = {}
    e["O1"] = ending(
        owner,
        ended="2026-01-15",
        intake="2025-10-01",
        kind=P,
        initiated_by="both",
        reason="goals_met",
        raised="2025-12-20",
        final="2026-01-15",
    )
    e["O2"] = ending(
        owner,
        ended="2026-02-10",
        intake="2025-12-20",
        kind=P,
        initiated_by="both",
        reason="goals_met",
        raised="2026-02-01",
        final="2026-02-10",
        override="Client moving abroad sooner than planned.",
    )
    e["O3"] = ending(
        owner,
        ended="2026-03-05",
        intake="2025-03-01",
        kind=P,
        initiated_by="client",
        reason="relocation",
        raised="2026-02-01",
        final="2026-03-05",
    )
    e["O4"] = ending(
        owner,
        ended="2026-03-20",
        intake="2026-03-01",
        kind=P,
        initiated_by="counselor",
        reason="goals_met",
        raised="2026-03-15",
        final="2026-03-20",
    )
    e["O5"] = ending(
        owner,
        ended="2026-04-10",
        intake="2025-11-01",
        kind=P,
        initiated_by="both",
        reason="goals_met",
        raised="2026-03-20",
        final="2026-04-10",
        state=TerminationState.REOPENED,
    )
    e["O6"] = ending(
        owner,
        ended="2026-05-12",
        intake="2026-01-12",
        kind=P,
        initiated_by="client",
        reason="financial",
    )
    e["O7"] = ending(
        owner,
        ended="2026-04-22",
        intake="2026-02-01",
        kind=U,
        initiated_by="client",
        reason="stopped_attending",
    )
    e["O8"] = ending(
        owner,
        ended="2026-05-28",
        intake="2026-04-20",
        kind=U,
        initiated_by="practice",
        reason="stopped_attending",
    )
    e["C1"] = ending(
        colleague,
        ended="2026-02-14",
        intake="2025-09-01",
        kind=P,
        initiated_by="both",
        reason="goals_met",
    )
    e["C2"] = ending(
        colleague,
        ended="2026-04-30",
        intake="2025-08-01",
        kind=P,
        initiated_by="both",
        reason="goals_met",
    )
    e["C3"] = ending(
        colleague,
        ended="2026-05-05",
        intake="2026-01-05",
        kind=P,
        initiated_by="counselor",
        reason="scope",
    )
    e["C4"] = ending(
        colleague,
        ended="2026-06-02",
        intake="2026-05-10",
        kind=U,
        initiated_by="client",
        reason="stopped_attending",
    )
    # Not counted.
    e["O9"] = ending(
        owner,
        ended="2025-06-15",
        intake="2025-01-10",
        kind=U,
        initiated_by="client",
        reason="stopped_attending",
    )
    ending(
        owner,
        ended="2026-06-20",
        intake="2026-01-01",
        kind=P,
        initiated_by="both",
        reason="goals_met",
        state=TerminationState.PREPARING,
    )
    ending(
        owner,
        ended="2026-06-20",
        intake="2026-01-01",
        kind=P,
        initiated_by="both",
        reason="goals_met",
        state=TerminationState.WITHDRAWN,
    )

    # Closing summaries: O1 on time, O2 late, O7 on time.
    summary(e["O1"], due="2026-01-30", signed="2026-01-25")
    summary(e["O2"], due="2026-02-25", signed="2026-03-01")
    summary(e["O7"], due="2026-05-07", signed="2026-05-06")

    # Follow-ups (today 30 June 2026; a week of grace).
    reached, not_reached, returned = (
        FollowUp.Outcome.REACHED,
        FollowUp.Outcome.NOT_REACHED,
        FollowUp.Outcome.RETURNED,
    )
    follow_up(e["O1"], 30, reached, "2026-02-16")  # due 14 Feb: on time
    follow_up(e["O1"], 90, not_reached, "2026-04-30")  # due 15 Apr: 15 days late
    follow_up(e["O1"], 180)  # due 14 Jul: not yet due
    follow_up(e["O3"], 30, returned, "2026-04-05")  # due 4 Apr: on time
    follow_up(e["O7"], 30)  # due 22 May: missing
    follow_up(e["O7"], 90)  # due 21 Jul: not yet due
    follow_up(e["O8"], 30)  # due 27 Jun: due, within its week of grace

    # Returns: O5 reopened (its state); O6 a booster session booked after the close.
    SessionFactory(
        client=e["O6"].client,
        starts_at=at(day("2026-07-10")),
        kind=SessionKind.BOOSTER,
        status=SessionStatus.SCHEDULED,
    )

    # PHQ-9 first against latest (cutoff 10, reliable change 6, higher is worse).
    outcome(e["O1"], "PHQ-9", 18, 6, "2025-10-01", "2026-01-10")  # recovered
    outcome(e["O2"], "PHQ-9", 14, 7, "2025-12-20", "2026-02-05")  # recovered
    outcome(e["O3"], "PHQ-9", 12, 10, "2025-03-01", "2026-03-01")  # unchanged
    outcome(e["O4"], "PHQ-9", 20, 14, "2026-03-01", "2026-03-18")  # improved (exactly 6)
    outcome(e["O5"], "PHQ-9", 9, 15, "2025-11-01", "2026-04-01")  # deteriorated (exactly -6)
    rate(e["O6"], "PHQ-9", phq9(15), "2026-01-12")  # one rating: not enough data
    outcome(e["O7"], "PHQ-9", 16, 13, "2026-02-01", "2026-04-15")  # unchanged
    rate(e["O7"], "PHQ-9", phq9(5), "2026-06-01")  # after the end: left out
    outcome(e["O8"], "PHQ-9", 11, 18, "2026-04-20", "2026-05-20")  # deteriorated
    outcome(e["C1"], "PHQ-9", 15, 4, "2025-09-01", "2026-02-01")  # recovered
    outcome(e["C4"], "PHQ-9", 12, 12, "2026-05-10", "2026-05-30")  # unchanged
    outcome(e["O1"], "GAD-7", 10, 3, "2025-10-01", "2026-01-10")  # recovered (cutoff 8, RC 4)

    # Alliance over the last sessions (cutoff 30, drop alert 5).
    alliance_sessions(e["O1"], [32, 34, 35, 36], "2026-01-15")
    alliance_sessions(e["O2"], [33, 28, 34], "2026-02-10")  # 28: alert, 2nd last
    alliance_sessions(e["O3"], [20, 31, 32, 33, 34, 35, 36], "2026-03-05")  # alert 7th last
    alliance_sessions(e["O7"], [34, 29, 27], "2026-04-22")  # alerts at the last two
    alliance_sessions(e["O8"], [31, 32], "2026-05-28")
    # After O1 closed: a low rating that must not count (sessions after the close stay out).
    late = SessionFactory(client=e["O1"].client, starts_at=at(day("2026-03-01")))
    rate(e["O1"], "Alliance", alliance(10), "2026-03-01", session=late)
    return e
