"""The check-in sweep: send before-session check-ins, remind once, mark "no response" at the
expiry, send follow-up check-ins of the relapse watch, and hand out again any email whose
queueing was lost. It only finds ids and queues tasks; the tasks change check-ins through their
services. It makes no reminder rows of its own (alerts are written with the answers).

Before a session, the policy's hours ahead: to clients who may be emailed (an address, "may
email" and a valid electronic-communication consent today), who have not opted out and whose
counselor has not turned the schedule off. One check-in per session, ever: a revoked or expired
one is not sent again. The single reminder goes with the session reminder (the same hours ahead
as the client's session reminder, which then is not sent on its own: reminders/sweeps/sessions
skips sessions whose check-in carries it); a check-in without a session is reminded half-way
through its life."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from clients.models import ClientStatus
from practice.policy.models import PracticePolicy
from practice.reminders.recording import Due
from practice.reminders.sweeps.sessions import electronic_consent_today
from practice.reminders.text import utc_date
from sessions_app.checkins.models import (
    CheckIn,
    CheckInChannel,
    CheckInOptOut,
    CheckInSchedule,
    CheckInState,
)
from sessions_app.models import CounselingSession, SessionStatus
from sessions_app.tasks import deliver_checkin_email, expire_checkin, send_session_checkin
from termination.relapse_watch import follow_ups_due, send_follow_up_checkin

logger = logging.getLogger(__name__)

# An email check-in still unsent this long after it was made lost its queueing: send again.
LOST_EMAIL_MINUTES = 5


def find_checkin_work(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Find what is due and queue one task per id after commit (each task calls one service,
    which checks again under its lock: a task run twice does nothing the second time). The
    finding costs the same few queries for 5 or 5,000 clients; it makes no reminder rows."""
    queue(expire_checkin, checkins_past_expiry(now=now))
    queue(send_session_checkin, sessions_due_a_checkin(now=now, policy=policy))
    queue(deliver_checkin_email, checkins_to_remind(now=now), reminder=True)
    queue(deliver_checkin_email, checkins_with_lost_email(now=now))
    queue(send_follow_up_checkin, follow_ups_due(now=now))
    return []


def queue(task, ids: list[int], **kwargs) -> None:
    def send() -> None:
        for pk in ids:
            try:
                task.delay(pk, **kwargs)
            except Exception:  # the broker is down: the next sweep finds the same ids
                logger.warning("Could not queue %s(%s); the next sweep tries again.", task, pk)
                return

    if ids:
        transaction.on_commit(send)


def checkins_past_expiry(*, now: dt.datetime) -> list[int]:
    return list(
        CheckIn.objects.filter(state=CheckInState.WAITING, expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )


def sessions_due_a_checkin(*, now: dt.datetime, policy: PracticePolicy) -> list[int]:
    """Scheduled sessions within the policy's hours, of clients who may be emailed, have not
    opted out and whose schedule is on, and that never had a check-in."""
    horizon = now + dt.timedelta(hours=policy.checkin_hours_before_session)
    return list(
        CounselingSession.objects.filter(
            status=SessionStatus.SCHEDULED,
            client__isnull=False,
            starts_at__gt=now,
            starts_at__lte=horizon,
            client__may_email=True,
        )
        .exclude(client__email="")
        .exclude(client__status=ClientStatus.CLOSED)
        .filter(electronic_consent_today(utc_date(now)))
        .exclude(Exists(CheckIn.objects.filter(session=OuterRef("pk"))))
        .exclude(Exists(CheckInOptOut.objects.filter(client=OuterRef("client"))))
        .exclude(Exists(CheckInSchedule.objects.filter(client=OuterRef("client"), enabled=False)))
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
    )


def checkins_to_remind(*, now: dt.datetime) -> list[int]:
    """Email check-ins due their one reminder: with the session reminder when tied to a session
    (the same hours ahead as the client's session reminder), else half-way through their life."""
    session_reminder = dt.timedelta(hours=settings.REMINDER_CLIENT_SESSION_HOURS)
    unreminded = CheckIn.objects.filter(
        state=CheckInState.WAITING,
        channel=CheckInChannel.EMAIL,
        email_sent_at__isnull=False,
        reminded_at__isnull=True,
        expires_at__gt=now,
    )
    with_session = unreminded.filter(
        session__starts_at__gt=now, session__starts_at__lte=now + session_reminder
    ).values_list("pk", flat=True)
    without_session = unreminded.filter(session__isnull=True).values_list(
        "pk", "created_at", "expires_at"
    )
    return [*with_session] + [
        pk for pk, created, expires in without_session if now >= created + (expires - created) / 2
    ]


def checkins_with_lost_email(*, now: dt.datetime) -> list[int]:
    """Email check-ins still unsent minutes after they were made: their queueing was lost."""
    return list(
        CheckIn.objects.filter(
            state=CheckInState.WAITING,
            channel=CheckInChannel.EMAIL,
            email_sent_at__isnull=True,
            created_at__lte=now - dt.timedelta(minutes=LOST_EMAIL_MINUTES),
            expires_at__gt=now,
        ).values_list("pk", flat=True)
    )
