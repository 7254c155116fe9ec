"""Which instruments a before-session check-in asks: the client's own rules or the policy's,
"every N sessions" counted from the client's first session (N=4: the 1st, 5th, 9th ...)."""

from __future__ import annotations

from clients.models import Client
from practice.policy.models import PracticePolicy
from sessions_app.checkins.models import CheckInSchedule
from sessions_app.models import Instrument


def rules_for(client: Client, policy: PracticePolicy, schedule: CheckInSchedule | None) -> list:
    if schedule is not None:
        if not schedule.enabled:
            return []
        if schedule.rules is not None:
            return schedule.rules
    return policy.checkin_before_session or []


def instruments_due(
    rules: list[dict], session_number: int, instruments: dict[str, Instrument]
) -> list[Instrument]:
    """The enabled instruments whose rule falls on this session (1-based number)."""
    due = []
    for rule in rules:
        instrument = instruments.get(rule["instrument"])
        if instrument is not None and (session_number - 1) % rule["every"] == 0:
            due.append(instrument)
    return due
