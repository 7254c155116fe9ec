"""The periodic sweeps. Each finds what is due now and records it (reminders.recording); the
delivery task sends the email. Every run is kept as a SweepRun row for the admin's schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from practice.policy.models import PracticePolicy
from practice.reminders.alerts import find_missed_alerts
from practice.reminders.recording import Due
from practice.reminders.retention import find_retention_report
from practice.reminders.sweeps.caseload import (
    find_expiring_consents,
    find_plan_reviews,
    find_silent_clients,
)
from practice.reminders.sweeps.checkins import find_checkin_work
from practice.reminders.sweeps.endings import find_ending_deadlines
from practice.reminders.sweeps.sessions import (
    find_agenda,
    find_client_sessions,
    find_unsigned_notes,
)

Finder = Callable[..., list[Due]]


@dataclass(frozen=True)
class Sweep:
    name: str
    label: str
    find: Finder
    explains: str


def _sweeps() -> dict[str, Sweep]:
    return {
        sweep.name: sweep
        for sweep in (
            Sweep("agenda", _("Daily agendas"), find_agenda, _("Counselors' sessions of the day.")),
            Sweep(
                "client_sessions",
                _("Client session reminders"),
                find_client_sessions,
                _("Clients with consent, hours before a session."),
            ),
            Sweep(
                "notes",
                _("Unsigned notes"),
                find_unsigned_notes,
                _("Counselors, then supervisors."),
            ),
            Sweep(
                "endings",
                _("Ending deadlines"),
                find_ending_deadlines,
                _("Final sessions, closing summaries, approvals, follow-ups."),
            ),
            Sweep(
                "silent_clients",
                _("Silent clients"),
                find_silent_clients,
                _("No attended session for the policy's days, nothing scheduled."),
            ),
            Sweep(
                "consents",
                _("Consents expiring"),
                find_expiring_consents,
                _("Consents that lapse within two weeks."),
            ),
            Sweep(
                "plan_reviews",
                _("Plan reviews due"),
                find_plan_reviews,
                _("Treatment plan reviews."),
            ),
            Sweep(
                "retention",
                _("Retention report"),
                find_retention_report,
                _("Monthly to the practice admin; nothing is deleted."),
            ),
            Sweep(
                "checkins",
                _("Check-ins on the client's phone"),
                find_checkin_work,
                _("Before-session and follow-up check-ins, one reminder, no response at expiry."),
            ),
            Sweep(
                "alert_catch_up",
                _("Alliance alert catch-up"),
                find_missed_alerts,
                _("Alerts are sent at once; this sends any whose queueing failed."),
            ),
        )
    }


SWEEPS: dict[str, Sweep] = {}


def sweeps() -> dict[str, Sweep]:
    if not SWEEPS:
        SWEEPS.update(_sweeps())
    return SWEEPS


def find_due(name: str, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    return sweeps()[name].find(now=now, policy=policy)
