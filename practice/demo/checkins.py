"""The client's side in the demo: before-session check-ins answered on the client's phone, and a
closed ending watched for relapse, whose follow-ups were answered until one raised a signal.

Everything goes through the product's services. The watched ending happened in the past, so
each of its steps is written with the clock set to its day (time-machine): the dates, the audit
log and the check-ins' own timestamps then agree, as they would in a practice that had used the
product all along.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from clients.models import ClientStatus, ConsentKind
from clients.services import client_create, consent_record, goal_create, goal_progress_add
from practice.demo.endings import planned_to_summary
from practice.staff.models import User
from sessions_app.checkins.models import CheckIn, CheckInChannel
from sessions_app.checkins.services import (
    checkin_answer,
    checkin_finish_follow_up,
    checkin_send,
)
from sessions_app.models import (
    CounselingSession,
    Instrument,
    MeasureSeries,
    SessionKind,
    SessionStatus,
)
from sessions_app.services import rating_record, session_schedule, session_set_status
from termination import services
from termination.models import Termination, TerminationState
from termination.relapse_models import WatchCheckIn
from termination.relapse_watch import contact_choice_record, relapse_watch_send

BEFORE_SESSION_CLIENTS = 4
# The watched client's PHQ-9 at each weekly session: moderate at intake, mild (residual) at the
# end, so the watch is monthly; back to moderate at the third follow-up.
PHQ9_COURSE = [16, 15, 14, 13, 12, 11, 10, 9, 9, 8, 7, 7]
FOLLOW_UPS = [(6, "better", False), (7, "same", False), (14, "worse", True)]


def seed_checkins(staff: dict[str, User], today: dt.date) -> str:
    instruments = {one.short_name: one for one in Instrument.objects.filter(is_shipped=True)}
    answered = _before_session_checkins(staff["counselor"], instruments)
    signals = _watched_ending(staff, today, instruments)
    return (
        f"{answered} before-session check-ins answered on the phone, a closed ending watched "
        f"for relapse ({signals} signal)"
    )


def _answers(instrument: Instrument, total: int) -> dict[str, int]:
    """Answers adding up to `total`, spread over the items from the first."""
    top = instrument.scale_max
    answers = {}
    for key in instrument.item_keys:
        answers[key] = min(top, total)
        total -= answers[key]
    if "phq9" in answers:  # never the risk item in the demo's own story
        answers["phq9"] = 0
    return answers


def _before_session_checkins(counselor: User, instruments: dict[str, Instrument]) -> int:
    """The counselor's next sessions with active clients: the check-in shown in the room at the
    last visit, answered on the phone before the session."""
    upcoming = (
        CounselingSession.objects.filter(
            counselor=counselor,
            status=SessionStatus.SCHEDULED,
            client__status=ClientStatus.ACTIVE,
            starts_at__gte=dt.datetime.now(dt.UTC),
        )
        .select_related("client")
        .order_by("starts_at")
    )
    seen, answered = set(), 0
    for session in upcoming:
        if session.client_id in seen or len(seen) == BEFORE_SESSION_CLIENTS:
            continue
        seen.add(session.client_id)
        chosen = [instruments["Alliance"], instruments["PHQ-9"]]
        checkin = checkin_send(
            actor=counselor,
            client=session.client,
            instruments=chosen,
            channel=CheckInChannel.IN_ROOM,
            session=session,
        )
        # The answers carry on where the client's own course stands (the latest rating).
        latest = dict(
            MeasureSeries.objects.filter(client=session.client).values_list(
                "instrument_id", "latest_total"
            )
        )
        for item in checkin.items.select_related("instrument").order_by("pk"):
            fallback = 34 if item.instrument.short_name == "Alliance" else 8
            total = int(latest.get(item.instrument_id, fallback))
            checkin_answer(
                checkin=checkin, item_id=item.pk, answers=_answers(item.instrument, total)
            )
        answered += 1
    return answered


def _at(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _watched_ending(staff: dict[str, User], today: dt.date, instruments) -> int:
    """Twelve weekly sessions ending 95 days ago with a mild PHQ-9, the client's yes to being
    contacted, a monthly watch, and three follow-ups answered: the third back at 14."""
    counselor, supervisor = staff["counselor"], staff["supervisor"]
    zone = ZoneInfo(counselor.time_zone)
    closed_on = today - dt.timedelta(days=95)
    first_day = closed_on - dt.timedelta(days=7 * (len(PHQ9_COURSE) + 1))
    with time_machine.travel(_at(first_day, 8, zone), tick=False):
        client = client_create(
            actor=staff["admin"],
            primary_counselor=counselor,
            legal_first_name="Noor",
            legal_last_name="Haddad",
            pronouns="she/her",
            date_of_birth=dt.date(1991, 4, 12),
            email="noor.haddad@example.test",
            phone="(514) 555-0178",
            presenting_concerns="Low mood and broken sleep since losing her job in the spring.",
            may_email=True,
            intake_date=first_day,
        )
        for kind in (ConsentKind.TREATMENT, ConsentKind.ELECTRONIC):
            consent_record(actor=counselor, client=client, kind=kind, signed_on=first_day)
        goal = goal_create(
            actor=counselor,
            client=client,
            description="Get back to a daily routine",
            measure="Up by 8 on five weekdays out of seven, from her diary",
        )
    progress_day = first_day + dt.timedelta(days=42)
    with time_machine.travel(_at(progress_day, 9, zone), tick=False):
        goal_progress_add(
            actor=counselor,
            goal=goal,
            note="Up by 8 on four weekdays most weeks.",
            recorded_on=progress_day,
            rating=3,
        )
    for week, phq9 in enumerate(PHQ9_COURSE):
        day = first_day + dt.timedelta(days=7 * week)
        with time_machine.travel(_at(day, 7, zone), tick=False):
            session = session_schedule(
                actor=counselor,
                counselor=counselor,
                client=client,
                starts_at=_at(day, 7, zone) + dt.timedelta(minutes=15),
                duration_minutes=45,
                modality="video",
                kind=SessionKind.INTAKE if week == 0 else SessionKind.REGULAR,
            )
        with time_machine.travel(_at(day, 8, zone) + dt.timedelta(minutes=5), tick=False):
            session_set_status(actor=counselor, session=session, status=SessionStatus.ATTENDED)
            for name, total in (("Alliance", 33 + week % 3), ("PHQ-9", phq9)):
                rating_record(
                    actor=counselor,
                    client=client,
                    instrument=instruments[name],
                    answers=_answers(instruments[name], total),
                    administered_on=day,
                    session=session,
                )
    last_session = first_day + dt.timedelta(days=7 * (len(PHQ9_COURSE) - 1))
    with time_machine.travel(_at(closed_on - dt.timedelta(days=1), 12, zone), tick=False):
        ending = planned_to_summary(
            counselor,
            client,
            closed_on,
            "Mood lifted and work is manageable again; some low days remain.",
            raised_days_ago=(closed_on - last_session).days + 28,
            final_days_ago=(closed_on - last_session).days,
        )
        contact_choice_record(actor=counselor, termination=ending, choice="email")
        ending = Termination.objects.get(pk=ending.pk)
        if ending.state == TerminationState.AWAITING_APPROVAL:
            services.termination_summary_approve(actor=supervisor, termination=ending)
        ending = Termination.objects.get(pk=ending.pk)
    with time_machine.travel(_at(closed_on, 17, zone), tick=False):
        services.termination_close(actor=counselor, termination=ending)
    watches = WatchCheckIn.objects.filter(termination=ending).order_by("due_on")
    for watch, (phq9, compared, talk) in zip(watches, FOLLOW_UPS, strict=False):
        if watch.due_on > today:
            break
        with time_machine.travel(_at(watch.due_on, 9, zone), tick=False):
            checkin = relapse_watch_send(watch_id=watch.pk)
        if checkin is None:
            continue
        with time_machine.travel(_at(watch.due_on, 20, zone), tick=False):
            checkin = CheckIn.objects.get(pk=checkin.pk)
            for item in checkin.items.select_related("instrument").order_by("pk"):
                total = phq9 if item.instrument.short_name == "PHQ-9" else 32
                checkin_answer(
                    checkin=checkin, item_id=item.pk, answers=_answers(item.instrument, total)
                )
            checkin_finish_follow_up(
                checkin=checkin,
                compared_to_end=compared,
                wants_to_talk=talk,
                message="The low mood came back with the dark evenings." if talk else "",
            )
    return ending.relapse_signals.count()
