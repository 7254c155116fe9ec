"""The demo practice's clinical record: about sixty clients with months of history.

Everything goes through the same services a counselor's clicks go through (client_create,
session_schedule, session_set_status, note_open/note_save_draft/note_sign, rating_record, ...), so
the demo holds nothing the product itself could not have produced: alliance alerts are raised by
rating_record, signatures are hashed by note_sign, every change is in the audit log. The past is
created directly with past dates, which those services accept; what they stamp with the current
time (signed_at, audit rows, created_at) shows the moment the demo was loaded.

Deterministic: one random.Random(2026) drives every choice, so the same day gives the same demo.
Idempotent: nothing is added when any client exists already.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from clients.models import Client, ConsentKind, GoalStatus
from clients.services import (
    client_create,
    consent_record,
    consent_revoke,
    goal_create,
    goal_progress_add,
    goal_update,
    plan_review_record,
)
from practice.demo import content
from practice.demo.plan import (
    Case,
    Visit,
    goal_progress_line,
    is_closed_day,
    item_answers,
    note_content,
    plan_cases,
    plan_measures,
)
from practice.policy.models import PracticePolicy
from practice.staff.models import Supervision, User
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Group,
    GroupAttendance,
    GroupMember,
    Instrument,
    Modality,
    NoteStatus,
    ProgressNote,
    Rating,
    SessionKind,
    SessionStatus,
)
from sessions_app.services import (
    attendance_record,
    group_create,
    group_member_add,
    group_member_exit,
    note_cosign,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
    rating_record,
    session_schedule,
    session_set_status,
)
from sessions_app.services.groups import AttendanceEntry

SEED = 2026
GROUP_START = dt.time(17, 30)  # groups meet in the evening, outside the individual grid
WEEKS_OF_GROUP = 6


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    sessions: int
    group_sessions: int
    notes_signed: int
    notes_awaiting: int
    notes_draft: int
    ratings: int
    alliance_alerts: int
    groups: int

    def __str__(self) -> str:
        return (
            f"{self.clients} clients, {self.sessions} sessions ({self.group_sessions} group), "
            f"{self.notes_signed + self.notes_awaiting + self.notes_draft} notes "
            f"({self.notes_signed} signed, {self.notes_awaiting} awaiting co-signature, "
            f"{self.notes_draft} drafts), {self.ratings} ratings "
            f"({self.alliance_alerts} alliance alerts), {self.groups} groups"
        )


@dataclass
class Demo:
    staff: dict[str, User]
    today: dt.date
    rng: random.Random
    now: dt.datetime = field(default_factory=timezone.now)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    cosigners: dict[int, list[User]] = field(default_factory=dict)
    note_due: dt.timedelta = dt.timedelta(hours=72)


def seed_clinical(staff: dict[str, User], today: dt.date) -> DemoSummary | None:
    """Load the demo clinical record for the demo staff; `today` is the current local date.

    Returns None (and adds nothing) when the practice has any client already.
    """
    if Client.objects.exists():
        return None
    demo = Demo(staff=staff, today=today, rng=random.Random(SEED))
    demo.instruments = {
        instrument.short_name: instrument
        for instrument in Instrument.objects.filter(is_shipped=True)
    }
    for link in Supervision.objects.current(today).select_related("supervisor"):
        demo.cosigners.setdefault(link.supervisee_id, []).append(link.supervisor)
    demo.note_due = dt.timedelta(hours=PracticePolicy.current().note_signing_due_hours)
    cases = plan_cases(demo.rng, today)
    for case in cases:
        seed_case(demo, case)
    for spec in content.GROUPS:
        seed_group(demo, spec, [case for case in cases if "group" in case.tags])
    return summarise()


def summarise() -> DemoSummary:
    notes = ProgressNote.objects
    return DemoSummary(
        clients=Client.objects.count(),
        sessions=CounselingSession.objects.count(),
        group_sessions=CounselingSession.objects.filter(group__isnull=False).count(),
        notes_signed=notes.filter(status=NoteStatus.SIGNED).count(),
        notes_awaiting=notes.filter(status=NoteStatus.AWAITING_COSIGN).count(),
        notes_draft=notes.filter(status=NoteStatus.DRAFT).count(),
        ratings=Rating.objects.count(),
        alliance_alerts=AllianceAlert.objects.count(),
        groups=Group.objects.count(),
    )


# Writing one client's record ----------------------------------------------------------------


def seed_case(demo: Demo, case: Case) -> None:
    counselor = demo.staff[case.counselor]
    case.client = client_create(
        actor=demo.staff["admin"], primary_counselor=counselor, **case.values
    )
    seed_consents(demo, case, counselor)
    seed_sessions(demo, case, counselor)
    seed_goals(demo, case, counselor)


def seed_consents(demo: Demo, case: Case, counselor: User) -> None:
    client, intake = case.client, case.values["intake_date"]
    consent_record(
        actor=counselor,
        client=client,
        kind=ConsentKind.TREATMENT,
        signed_on=intake,
        notes=(
            f"Signed by {case.parent} (parent) with {case.values['legal_first_name']}'s assent."
            if case.is_minor
            else ""
        ),
    )
    if case.electronic_consent:
        consent_record(
            actor=counselor,
            client=client,
            kind=ConsentKind.ELECTRONIC,
            signed_on=intake,
            notes="Appointment reminders by email and text; no clinical content by email.",
        )
    if case.release is None:
        return
    name, organisation, purpose, information = case.release
    signed = intake + dt.timedelta(days=demo.rng.randint(0, 14))
    if case.release_fate == "expired":
        expiry = {"expires_on": signed + dt.timedelta(days=90)}
    elif demo.rng.random() < 0.5:
        expiry = {"expires_on": signed + dt.timedelta(days=365)}
    else:
        expiry = {"expiry_event": "End of treatment"}
    release = consent_record(
        actor=counselor,
        client=client,
        kind=ConsentKind.RELEASE,
        signed_on=min(signed, demo.today),
        recipient_name=name,
        recipient_organisation=organisation,
        purpose=purpose,
        information=information,
        **expiry,
    )
    if case.release_fate == "revoked":
        consent_revoke(
            actor=counselor,
            consent=release,
            revoked_on=min(signed + dt.timedelta(days=40), demo.today),
        )


def _starts_at(day: dt.date, at: dt.time, counselor: User) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(counselor.time_zone))


def _session_days(demo: Demo, case: Case) -> tuple[list[dt.date], list[dt.date]]:
    """Past meeting days (the intake first) and the days booked ahead."""
    rng, intake = demo.rng, case.values["intake_date"]
    past, day, count = [], intake, 0
    last_day = demo.today
    if "silent" in case.tags:
        last_day = _silent_since(demo, case)
    while day <= last_day:
        if not is_closed_day(day):
            past.append(day)
            count += 1
        step = case.every_days
        if case.trend == "recovered" and count >= 10:
            step = 14  # sessions spaced out as the ending approaches
        day += dt.timedelta(days=step)
    booked: list[dt.date] = []
    if "silent" not in case.tags and rng.random() < 0.9:
        wanted = 2 if case.every_days == 7 and rng.random() < 0.5 else 1
        while len(booked) < wanted:
            if not is_closed_day(day):
                booked.append(day)
            day += dt.timedelta(days=case.every_days)
    return past, booked


def _silent_since(demo: Demo, case: Case) -> dt.date:
    """A silent client's last session: a day of their rhythm 36 to 58 days back on which the
    practice was open (a holiday there would otherwise push it back another fortnight)."""
    day, candidates = case.values["intake_date"], []
    while day <= demo.today - dt.timedelta(days=36):
        if day >= demo.today - dt.timedelta(days=58) and not is_closed_day(day):
            candidates.append(day)
        day += dt.timedelta(days=case.every_days)
    return demo.rng.choice(candidates)


def _outcome_of(demo: Demo, case: Case, index: int, count: int) -> tuple[str, str]:
    """Attended, or one of the ways a session does not happen, with a reason."""
    must_attend = index == 0 or (index == count - 1 and bool(case.tags & {"dip", "silent"}))
    if must_attend:
        return SessionStatus.ATTENDED, ""
    weights = [70, 15, 10, 5] if case.trend == "deteriorating" else [86, 5, 5, 4]
    status = demo.rng.choices(
        [
            SessionStatus.ATTENDED,
            SessionStatus.NO_SHOW,
            SessionStatus.LATE_CANCELLED,
            SessionStatus.CANCELLED,
        ],
        weights=weights,
    )[0]
    if status == SessionStatus.ATTENDED:
        return status, ""
    return status, demo.rng.choice(content.CANCEL_REASONS[status])


def seed_sessions(demo: Demo, case: Case, counselor: User) -> None:
    rng = demo.rng
    days, booked = _session_days(demo, case)
    # A slot later today is still ahead: it is booked, not held.
    past = [day for day in days if _starts_at(day, dt.time(case.hour), counselor) <= demo.now]
    booked = [day for day in days if day not in past] + booked
    for index, day in enumerate(past):
        starts_at = _starts_at(day, dt.time(case.hour), counselor)
        session = session_schedule(
            actor=counselor,
            counselor=counselor,
            client=case.client,
            starts_at=starts_at,
            duration_minutes=60 if index == 0 else 50,
            modality=case.modality if rng.random() < 0.85 else rng.choice(Modality.values),
            kind=SessionKind.INTAKE if index == 0 else SessionKind.REGULAR,
        )
        status, reason = _outcome_of(demo, case, index, len(past))
        session_set_status(actor=counselor, session=session, status=status, reason=reason)
        if status == SessionStatus.ATTENDED:
            case.attended.append(Visit(session=session, day=day))
    case.meeting_days = past + booked
    if "silent" in case.tags:
        # One missed appointment after the last attended one, then nothing.
        day = past[-1] + dt.timedelta(days=case.every_days)
        while is_closed_day(day):
            day += dt.timedelta(days=7)
        case.meeting_days.append(day)
        session = session_schedule(
            actor=counselor,
            counselor=counselor,
            client=case.client,
            starts_at=_starts_at(day, dt.time(case.hour), counselor),
            duration_minutes=50,
            modality=case.modality,
            kind=SessionKind.REGULAR,
        )
        session_set_status(actor=counselor, session=session, status=SessionStatus.NO_SHOW)
    for day in booked:
        session_schedule(
            actor=counselor,
            counselor=counselor,
            client=case.client,
            starts_at=_starts_at(day, dt.time(case.hour), counselor),
            duration_minutes=50,
            modality=case.modality,
            kind=SessionKind.REGULAR,
        )
    plan_measures(demo.rng, case)
    for position, visit in enumerate(case.attended):
        record_ratings(demo, case, counselor, visit)
        write_note(demo, case, counselor, visit, position)


# Measures -----------------------------------------------------------------------------------


def record_ratings(demo: Demo, case: Case, counselor: User, visit: Visit) -> None:
    rng = demo.rng
    if visit.alliance is not None:
        rating_record(
            actor=counselor,
            client=case.client,
            instrument=demo.instruments["Alliance"],
            answers=item_answers(rng, demo.instruments["Alliance"], visit.alliance),
            administered_on=visit.day,
            session=visit.session,
            mode="client",
        )
    if visit.outcome is not None:
        instrument = demo.instruments[case.profile.instrument]
        fixed = {}
        if instrument.short_name == "PHQ-9":
            fixed["phq9"] = 1 if case.trend == "deteriorating" and visit.outcome >= 17 else 0
        rating_record(
            actor=counselor,
            client=case.client,
            instrument=instrument,
            answers=item_answers(rng, instrument, visit.outcome, **fixed),
            administered_on=visit.day,
            session=visit.session,
            mode=rng.choice(["client", "counselor"]),
        )


# Notes --------------------------------------------------------------------------------------


def write_note(demo: Demo, case: Case, counselor: User, visit: Visit, position: int) -> None:
    rng = demo.rng
    text = note_content(demo.rng, case, visit, position)
    age = demo.now - visit.session.ends_at
    overdue = "overdue" in case.tags and position == _last_overdue_position(demo, case)
    returned = "returned" in case.tags and position == _returned_position(demo, case)
    note = note_open(actor=counselor, session=visit.session)
    if overdue:
        # Begun and never finished: the caseload flags it after the signing deadline.
        note_save_draft(actor=counselor, note=note, data=text["data"])
        return
    note = note_save_draft(actor=counselor, note=note, **text)
    if age < demo.note_due and rng.random() < 0.5:
        return  # a recent note still being written, within the deadline
    note = note_sign(actor=counselor, note=note)
    if note.status != NoteStatus.AWAITING_COSIGN:
        return
    supervisor = rng.choice(demo.cosigners[counselor.pk])
    if returned:
        note_return(
            actor=supervisor,
            note=note,
            comment="Please say how risk was assessed, and what the next step of the plan is.",
        )
        note = note_save_draft(
            actor=counselor,
            note=note,
            plan=text["plan"] + " Agreed to review progress on the goals in two sessions.",
            risk_notes="Asked directly about thoughts of self-harm: none. No other risk noted.",
        )
        note_sign(actor=counselor, note=note)
        return
    if age > dt.timedelta(days=14):
        note_cosign(actor=supervisor, note=note)


def _returned_position(demo: Demo, case: Case) -> int:
    """The session whose note was returned once: chosen by position rather than by a window of
    dates, so that every day the demo is loaded has one (a window could fall between two
    sessions)."""
    return _latest_position_older_than(demo, case, dt.timedelta(days=12))


def _last_overdue_position(demo: Demo, case: Case) -> int:
    """The latest attended session whose note is past the signing deadline."""
    return _latest_position_older_than(demo, case, demo.note_due)


def _latest_position_older_than(demo: Demo, case: Case, age: dt.timedelta) -> int:
    """The latest attended session (after the intake) that ended more than `age` ago, or -1."""
    for position in range(len(case.attended) - 1, 0, -1):
        if demo.now - case.attended[position].session.ends_at > age:
            return position
    return -1


# Goals and plan reviews ---------------------------------------------------------------------


def seed_goals(demo: Demo, case: Case, counselor: User) -> None:
    rng, intake = demo.rng, case.values["intake_date"]
    later_days = [visit.day for visit in case.attended[1:]]
    reach = {"improving": 7, "recovered": 10, "unchanged": 3, "deteriorating": 2}[case.trend]
    for index, (description, measure) in enumerate(case.profile.goals[: rng.choice((1, 2, 2, 3))]):
        goal = goal_create(
            actor=counselor,
            client=case.client,
            description=description,
            measure=measure,
            target_date=intake + dt.timedelta(days=rng.randint(84, 140)),
        )
        days = sorted(rng.sample(later_days, min(len(later_days), rng.randint(1, 4))))
        for step, day in enumerate(days, start=1):
            rating = max(0, min(10, round(reach * step / len(days)) + rng.randint(-1, 0)))
            goal_progress_add(
                actor=counselor,
                goal=goal,
                note=goal_progress_line(rating),
                recorded_on=day,
                rating=rating,
            )
        if case.trend == "recovered" and index == 0:
            goal_update(actor=counselor, goal=goal, status=GoalStatus.MET)
    review_from = intake + dt.timedelta(days=84)
    if (demo.today - intake).days >= 80 and rng.random() < 0.6:
        candidates = [day for day in later_days if day >= review_from] or later_days[-1:]
        if candidates:
            plan_review_record(
                actor=counselor,
                client=case.client,
                reviewed_on=candidates[0],
                summary=(
                    "Goals and measures reviewed with the client. "
                    + rng.choice(content.PROGRESS_BY_TREND[case.trend])
                ),
            )


# Groups -------------------------------------------------------------------------------------


def _first_group_day(today: dt.date, weekday: int) -> dt.date:
    """The group's first meeting, WEEKS_OF_GROUP meetings back, not counting the holidays the
    practice was closed on."""
    day = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
    meetings = 0
    while meetings < WEEKS_OF_GROUP:
        day -= dt.timedelta(weeks=1)
        meetings += not is_closed_day(day)
    return day


def seed_group(demo: Demo, spec: dict, group_cases: list[Case]) -> None:
    rng = demo.rng
    lead, co_lead = (demo.staff[name] for name in spec["facilitators"])
    first_day = _first_group_day(demo.today, spec["weekday"])
    group = group_create(
        actor=lead,
        name=spec["name"],
        facilitators=[co_lead],
        starts_on=first_day,
        description=spec["description"],
    )
    members: list[GroupMember] = []
    for case in group_cases:
        if case.counselor in spec["facilitators"] and case.profile.group == spec["kind"]:
            members.append(
                group_member_add(
                    actor=demo.staff[case.counselor],
                    group=group,
                    client=case.client,
                    joined_on=first_day,
                )
            )
    leaving, held = members[1], 0
    day = first_day
    while True:  # every week up to the first meeting still ahead
        if is_closed_day(day):
            day += dt.timedelta(weeks=1)
            continue
        session = session_schedule(
            actor=lead,
            counselor=lead,
            group=group,
            starts_at=_starts_at(day, GROUP_START, lead),
            duration_minutes=90,
            modality=Modality.IN_PERSON,
            kind=SessionKind.REGULAR,
        )
        if session.starts_at > demo.now:
            break
        entries = []
        for member in members:
            if not member.is_member_on(day):
                continue
            presence = rng.choices(list(GroupAttendance.Presence.values), weights=[85, 8, 7])[0]
            line = ""
            if presence == GroupAttendance.Presence.PRESENT:
                line = rng.choice(content.GROUP_NOTE_LINES[spec["kind"]])
            entries.append(AttendanceEntry(member=member, presence=presence, note_line=line))
        attendance_record(actor=lead, session=session, entries=entries)
        held += 1
        if held == 3:
            leaving = group_member_exit(
                actor=lead,
                member=leaving,
                exited_on=day + dt.timedelta(days=1),
                exit_reason=spec["exit_reason"],
            )
            members[1] = leaving
        day += dt.timedelta(weeks=1)
