"""Sweeps about sessions: the counselor's daily agenda, the client's reminder before a session,
and progress notes left unsigned."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import ClientStatus
from clients.selectors import electronic_consent_today
from practice.policy.models import PracticePolicy
from practice.reminders.models import ReminderKind
from practice.reminders.recording import Due
from practice.reminders.text import (
    day_text,
    first_name,
    in_language_of,
    initials,
    language_of,
    local_day_text,
    time_text,
    utc_date,
    when_text,
    zone_of,
)
from practice.staff.models import User
from practice.staff.selectors import supervisors_by_counselor
from sessions_app.models import CounselingSession, SessionStatus


def find_agenda(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Each counselor whose morning it is (their time zone) and who has sessions that day."""
    start_hour = settings.REMINDER_AGENDA_HOUR
    window = settings.REMINDER_AGENDA_WINDOW_HOURS
    mornings = {}
    for counselor in User.objects.counselors():
        local_now = now.astimezone(zone_of(counselor))
        if start_hour <= local_now.hour < start_hour + window:
            mornings[counselor.pk] = (counselor, local_now.date())
    if not mornings:
        return []
    # Any local day of any time zone lies within a day either side of now.
    sessions = (
        CounselingSession.objects.filter(
            counselor_id__in=list(mornings),
            status=SessionStatus.SCHEDULED,
            starts_at__gte=now - dt.timedelta(days=1),
            starts_at__lt=now + dt.timedelta(days=1),
        )
        .select_related("client")
        .order_by("starts_at", "pk")
    )
    by_counselor: dict[int, list[CounselingSession]] = defaultdict(list)
    for session in sessions:
        counselor, day = mornings[session.counselor_id]
        if session.starts_at.astimezone(zone_of(counselor)).date() == day:
            by_counselor[counselor.pk].append(session)
    dues = []
    for counselor_id, day_sessions in by_counselor.items():
        counselor, day = mornings[counselor_id]
        zone = zone_of(counselor)
        count = len(day_sessions)
        with in_language_of(counselor):
            dues.append(
                Due(
                    kind=ReminderKind.AGENDA,
                    object_id=counselor.pk,
                    due_on=day,
                    recipient=counselor,
                    title=ngettext("%(count)s session today", "%(count)s sessions today", count)
                    % {"count": count},
                    link=f"{reverse('agenda')}?week={day.isoformat()}",
                    context={
                        "first_name": first_name(counselor),
                        "day": day_text(day),
                        "time_zone": str(zone),
                        "sessions": [
                            {
                                "time": time_text(session.starts_at, zone),
                                "minutes": session.duration_minutes,
                                "who": initials(session.client),
                                "kind": str(session.get_kind_display()),
                                "modality": str(session.get_modality_display()),
                            }
                            for session in day_sessions
                        ],
                    },
                )
            )
    return dues


def checkin_carrying_reminder():
    from sessions_app.checkins.models import CheckIn, CheckInChannel, CheckInState

    return CheckIn.objects.filter(session=OuterRef("pk"), channel=CheckInChannel.EMAIL).filter(
        Q(state=CheckInState.WAITING) | Q(reminded_at__isnull=False)
    )


def find_client_sessions(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Clients with a session in the next hours who agreed to email and to electronic
    communication (a valid consent today)."""
    horizon = now + dt.timedelta(hours=settings.REMINDER_CLIENT_SESSION_HOURS)
    sessions = (
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
        # A check-in by email for the session carries the reminder (reminders/sweeps/checkins).
        .exclude(Exists(checkin_carrying_reminder()))
        .select_related("client", "counselor")
    )
    dues = []
    for session in sessions:
        client, counselor = session.client, session.counselor
        zone = zone_of(counselor)
        with in_language_of(client):
            dues.append(
                Due(
                    kind=ReminderKind.CLIENT_SESSION,
                    object_id=session.pk,
                    due_on=utc_date(session.starts_at),
                    client_id=client.pk,
                    client_email=client.email,
                    title=_("Your counseling session"),
                    context={
                        "client_name": client.preferred_name or client.legal_first_name,
                        "when": when_text(session.starts_at, zone),
                        "time_zone": str(zone),
                        "minutes": session.duration_minutes,
                        "modality": str(session.get_modality_display()),
                        "counselor": counselor.display_with_credentials,
                        "practice_phone": policy.phone,
                        "language": language_of(client),
                    },
                )
            )
    return dues


def find_unsigned_notes(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Attended sessions whose note is missing or a draft past the policy's hours: the counselor;
    at twice the hours, the counselor's supervisors too."""
    hours = dt.timedelta(hours=policy.note_signing_due_hours)
    sessions = list(
        CounselingSession.objects.filter(
            note_due=True,  # attended, note missing or a draft
            client__isnull=False,  # a group session takes no progress note
            ends_at__lt=now - hours,
            ends_at__gte=now - dt.timedelta(days=settings.REMINDER_NOTE_LOOKBACK_DAYS),
        ).select_related("counselor", "client")
    )
    supervisors = supervisors_by_counselor(
        {session.counselor_id for session in sessions if session.ends_at < now - 2 * hours},
        utc_date(now),
    )
    dues = []
    for session in sessions:
        counselor = session.counselor
        who = initials(session.client)
        context = {
            "who": who,
            "hours": policy.note_signing_due_hours,
            "counselor": str(counselor),
        }
        if counselor.is_active:
            with in_language_of(counselor):
                day = local_day_text(session.starts_at, zone_of(counselor))
                dues.append(
                    Due(
                        kind=ReminderKind.NOTE_UNSIGNED,
                        object_id=session.pk,
                        due_on=utc_date(session.ends_at + hours),
                        recipient=counselor,
                        title=_("Progress note for %(who)s (%(day)s) not signed")
                        % {"who": who, "day": day},
                        link=reverse("session_note", args=[session.pk]),
                        context={**context, "day": day, "first_name": first_name(counselor)},
                    )
                )
        if session.ends_at < now - 2 * hours:
            for supervisor in supervisors.get(counselor.pk, []):
                with in_language_of(supervisor):
                    # The day of the session in the counselor's time zone, where it took place.
                    day = local_day_text(session.starts_at, zone_of(counselor))
                    dues.append(
                        Due(
                            kind=ReminderKind.NOTE_UNSIGNED_SUPERVISOR,
                            object_id=session.pk,
                            due_on=utc_date(session.ends_at + 2 * hours),
                            recipient=supervisor,
                            title=_("%(counselor)s's note for %(who)s (%(day)s) is still unsigned")
                            % {"counselor": counselor, "who": who, "day": day},
                            link=reverse("session_detail", args=[session.pk]),
                            context={
                                **context,
                                "day": day,
                                "first_name": first_name(supervisor),
                                "hours": 2 * policy.note_signing_due_hours,
                            },
                        )
                    )
    return dues
