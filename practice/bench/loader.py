"""A practice of a chosen size for the page benchmark, shaped like a real one after a few years:
50 counselors to 5,000 clients, 40 sessions per client, signed notes, ratings every session,
open and closed endings, goals, consents, notifications and 120 audit rows per client.

The users the benchmark signs in as are fixed whatever the scale: a counselor with 100 clients,
one with 20, a supervisor with 8 supervisees (fewer at a scale with fewer counselors) and the
admin. Loading is idempotent: a database that already holds the practice is reused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from clients.models import (
    Client,
    ClientStatus,
    Consent,
    ConsentKind,
    Goal,
    GoalStatus,
    PlanReview,
)
from practice.audit.models import AuditEvent
from practice.policy.models import PracticePolicy
from practice.reminders.models import EmailState, Notification, ReminderKind
from practice.staff.models import Supervision, User
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    InstrumentKind,
    NoteStatus,
    ProgressNote,
    Rating,
    SessionStatus,
)
from sessions_app.services.measures import measure_series_rebuild
from sessions_app.services.sessions import note_due_rule
from termination.models import (
    EndingKind,
    FollowUp,
    Initiator,
    Reason,
    Termination,
    TerminationState,
)

BATCH = 5000
SESSIONS_PER_CLIENT = 40
AUDIT_ROWS_PER_CLIENT = 120
CLIENTS_PER_COUNSELOR = 100
SMALL_CASELOAD = 20
SUPERVISEES = 8
PREFIX = "bench"


@dataclass(frozen=True)
class BenchUsers:
    """The people the benchmark signs in as, and the records whose pages it opens."""

    counselor: User  # 100 clients
    small_counselor: User  # 20 clients
    supervisor: User  # up to 8 supervisees
    admin: User
    client: Client  # one of the counselor's, with 40 sessions
    ending: Termination  # the counselor's open ending


def username(role: str) -> str:
    return f"{PREFIX}-{role}"


def bench_users() -> BenchUsers | None:
    """The benchmark's people if the practice is loaded, else None."""
    people = {user.username: user for user in User.objects.filter(username__startswith=PREFIX)}
    if username("admin") not in people:
        return None
    counselor = people[username("counselor-1")]
    client = Client.objects.filter(primary_counselor=counselor).order_by("pk").first()
    ending = Termination.objects.open().filter(client__primary_counselor=counselor).first()
    return BenchUsers(
        counselor=counselor,
        small_counselor=people[username("counselor-0")],
        supervisor=people[username("supervisor-0")],
        admin=people[username("admin")],
        client=client,
        ending=ending,
    )


def load(*, clients: int, now: dt.datetime | None = None, log=print) -> BenchUsers:
    """Load a practice of `clients` clients unless one is there already."""
    found = bench_users()
    if found is not None:
        log(f"Reusing the practice already loaded ({Client.objects.count():,} clients).")
        return found
    now = now or timezone.now()
    with transaction.atomic():
        _load(clients=clients, now=now, log=log)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # What autovacuum does to a table that grew: without statistics the planner takes the
        # freshly loaded tables for empty and picks plans no running practice would get, and
        # without the visibility map no index-only scan is one.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return bench_users()


def _load(*, clients: int, now: dt.datetime, log) -> None:
    rng = random.Random(2026)
    policy = PracticePolicy.current()
    # The benchmark signs in with a password only; the policy's other values stay as shipped.
    PracticePolicy.objects.filter(pk=policy.pk).update(mfa_required=False)
    password = make_password(None)
    counselor_count = max(3, clients // CLIENTS_PER_COUNSELOR)
    counselors = User.objects.bulk_create(
        User(
            username=username(f"counselor-{n}"),
            first_name="Counselor",
            last_name=f"{n:03d}",
            email=f"counselor{n}@bench.test",
            is_counselor=True,
            notes_require_cosign=n % 6 == 2,
            password=password,
        )
        for n in range(counselor_count)
    )
    supervisors = User.objects.bulk_create(
        User(
            username=username(f"supervisor-{n}"),
            first_name="Supervisor",
            last_name=f"{n:03d}",
            email=f"supervisor{n}@bench.test",
            is_supervisor=True,
            password=password,
        )
        for n in range(max(1, -(-counselor_count // SUPERVISEES)))
    )
    User.objects.create(
        username=username("admin"), email="admin@bench.test", is_practice_admin=True
    )
    Supervision.objects.bulk_create(
        Supervision(
            supervisor=supervisors[n // SUPERVISEES],
            supervisee=counselor,
            starts_on=now.date() - dt.timedelta(days=900),
        )
        for n, counselor in enumerate(counselors)
    )
    log(f"{counselor_count} counselors, {len(supervisors)} supervisors, 1 admin")

    owners = _owners(clients, counselors)
    people = Client.objects.bulk_create(
        (
            Client(
                legal_first_name=f"Client{n}",
                legal_last_name=f"Bench{n:05d}",
                date_of_birth=dt.date(1960 + n % 45, 1 + n % 12, 1 + n % 28),
                email=f"client{n}@bench.test",
                may_email=n % 5 < 3,
                intake_date=now.date() - dt.timedelta(days=300 + n % 400),
                opened_on=now.date() - dt.timedelta(days=300 + n % 400),
                primary_counselor=owner,
                status=_status(n),
                closed_on=now.date() - dt.timedelta(days=20 + n % 300) if _closed(n) else None,
            )
            for n, owner in enumerate(owners)
        ),
        batch_size=BATCH,
    )
    log(f"{len(people):,} clients")
    sessions = _sessions(people, now, rng)
    log(f"{len(sessions):,} sessions")
    notes = _notes(sessions, now)
    log(f"{notes:,} notes")
    ratings = _ratings(people, sessions, rng)
    measure_series_rebuild()
    log(f"{ratings:,} ratings")
    _record_extras(people, now)
    _endings(people, now)
    audit = _audit(people, now, rng)
    log(f"{audit:,} audit rows")


def _owners(clients: int, counselors: list[User]) -> list[User]:
    """Counselor 0 has 20 clients, counselor 1 has 100; the others share the rest evenly."""
    owners = [counselors[0]] * min(SMALL_CASELOAD, clients)
    owners += [counselors[1]] * min(CLIENTS_PER_COUNSELOR, max(0, clients - len(owners)))
    others = counselors[2:]
    owners += [others[n % len(others)] for n in range(max(0, clients - len(owners)))]
    return owners


def _closed(n: int) -> bool:
    return n % 12 == 7


def _status(n: int) -> str:
    if _closed(n):
        return ClientStatus.CLOSED
    # One in 50 is ending, the first of them among the 100-client counselor's (from n = 20).
    return ClientStatus.ENDING if n % 50 == 23 else ClientStatus.ACTIVE


def _sessions(people: list[Client], now: dt.datetime, rng: random.Random) -> list:
    rows = []
    for n, client in enumerate(people):
        silent = n % 15 == 0
        last = now - dt.timedelta(days=40 + n % 30 if silent else 1 + n % 6, hours=n % 9)
        if client.status == ClientStatus.CLOSED:
            last = timezone.make_aware(
                dt.datetime.combine(client.closed_on, dt.time(15)) - dt.timedelta(days=3)
            )
        upcoming = 0 if silent or client.status == ClientStatus.CLOSED else 2
        for k in range(SESSIONS_PER_CLIENT - upcoming):
            status = SessionStatus.ATTENDED
            if k and k % 9 == 0:
                status = SessionStatus.NO_SHOW if k % 2 else SessionStatus.CANCELLED
            rows.append(_session(client, last - dt.timedelta(days=7 * k), status))
        for k in range(upcoming):
            start = now + dt.timedelta(hours=3 + 24 * k + n % 90, minutes=rng.choice((0, 30)))
            rows.append(_session(client, start, SessionStatus.SCHEDULED))
    return CounselingSession.objects.bulk_create(rows, batch_size=BATCH)


def _session(client: Client, start: dt.datetime, status: str) -> CounselingSession:
    return CounselingSession(
        counselor_id=client.primary_counselor_id,
        client=client,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=50),
        status=status,
        created_by_id=client.primary_counselor_id,
    )


def _notes(sessions: list[CounselingSession], now: dt.datetime) -> int:
    """Every attended session has a signed note, but for the latest of one client in 25
    (overdue) and one in 30 (a draft); counselors who need co-signing wait for it lately."""
    checksum = hashlib.sha256(b"bench").hexdigest()
    cosign = set(User.objects.filter(notes_require_cosign=True).values_list("pk", flat=True))
    notes = []
    for session in sessions:
        if session.status != SessionStatus.ATTENDED:
            continue
        recent = session.starts_at > now - dt.timedelta(days=7)
        if recent and session.client_id % 25 == 1:
            continue
        status = NoteStatus.SIGNED
        if recent and session.client_id % 30 == 2:
            status = NoteStatus.DRAFT
        elif session.counselor_id in cosign and session.starts_at > now - dt.timedelta(days=21):
            status = NoteStatus.AWAITING_COSIGN
        signed = status != NoteStatus.DRAFT
        notes.append(
            ProgressNote(
                session=session,
                client_id=session.client_id,
                author_id=session.counselor_id,
                data="Bench note: what the client said and what was seen.",
                assessment="Progressing.",
                plan="Continue weekly.",
                status=status,
                signed_by_id=session.counselor_id if signed else None,
                signed_at=session.ends_at + dt.timedelta(hours=2) if signed else None,
                content_sha256=checksum if signed else "",
            )
        )
    ProgressNote.objects.bulk_create(notes, batch_size=BATCH)
    CounselingSession.objects.filter(note_due_rule()).update(note_due=True)
    return len(notes)


def _ratings(people: list[Client], sessions: list[CounselingSession], rng) -> int:
    """The alliance check-in at four attended sessions in five, PHQ-9 at every fourth."""
    alliance = Instrument.objects.get(kind=InstrumentKind.ALLIANCE, is_shipped=True)
    phq9 = Instrument.objects.get(short_name="PHQ-9", is_shipped=True)
    ratings = []
    count = 0
    for index, session in enumerate(sessions):
        if session.status != SessionStatus.ATTENDED:
            continue
        base = session.client_id % 5
        if index % 5:
            answers = {key: min(10, 5 + base + rng.randint(0, 2)) for key in alliance.item_keys}
            ratings.append(_rating(alliance, session, answers))
        if index % 4 == 0:
            answers = dict.fromkeys(phq9.item_keys, (base + index) % 4)
            answers[phq9.item_keys[-1]] = 0
            ratings.append(_rating(phq9, session, answers))
        if len(ratings) >= BATCH:
            count += _save_ratings(ratings)
            ratings = []
    return count + _save_ratings(ratings)


def _rating(instrument: Instrument, session: CounselingSession, answers: dict) -> Rating:
    return Rating(
        instrument=instrument,
        client_id=session.client_id,
        session=session,
        administered_on=session.starts_at.date(),
        answers=answers,
        total=sum(answers.values()),
        entered_by_id=session.counselor_id,
    )


def _save_ratings(ratings: list[Rating]) -> int:
    saved = Rating.objects.bulk_create(ratings, batch_size=BATCH)
    AllianceAlert.objects.bulk_create(
        AllianceAlert(
            rating=rating,
            client_id=rating.client_id,
            reason=AllianceAlert.Reason.BELOW_CUTOFF,
            cutoff=30,
        )
        for rating in saved
        if rating.instrument.kind == InstrumentKind.ALLIANCE and rating.total < 30
    )
    return len(saved)


def _record_extras(people: list[Client], now: dt.datetime) -> None:
    """Consents, two goals and a plan review per client; notifications for the bench users."""
    today = now.date()
    signed = today - dt.timedelta(days=400)
    Consent.objects.bulk_create(
        [
            Consent(
                client=client,
                kind=kind,
                signed_on=signed,
                recorded_by_id=client.primary_counselor_id,
            )
            for n, client in enumerate(people)
            for kind in (ConsentKind.TREATMENT, ConsentKind.ELECTRONIC)[: 2 if n % 5 < 3 else 1]
        ],
        batch_size=BATCH,
    )
    Goal.objects.bulk_create(
        [
            Goal(
                client=client,
                description=description,
                measure="PHQ-9 under 10 for a month",
                status=GoalStatus.ACTIVE,
                created_by_id=client.primary_counselor_id,
            )
            for client in people
            for description in ("Sleep through most nights", "Return to work part time")
        ],
        batch_size=BATCH,
    )
    PlanReview.objects.bulk_create(
        [
            PlanReview(
                client=client,
                reviewed_on=today - dt.timedelta(days=100 if n % 10 == 5 else n % 80),
                reviewed_by_id=client.primary_counselor_id,
            )
            for n, client in enumerate(people)
        ],
        batch_size=BATCH,
    )
    recipients = User.objects.filter(username__startswith=PREFIX)
    Notification.objects.bulk_create(
        [
            Notification(
                kind=ReminderKind.PLAN_REVIEW_DUE,
                object_id=n,
                due_on=today - dt.timedelta(days=n),
                recipient_key=f"user:{user.pk}",
                recipient=user,
                title=f"Plan review for C.B. due ({n})",
                link="/caseload/",
                source="bench",
                batch="00000000-0000-0000-0000-000000000000",
                email_state=EmailState.SKIPPED,
                read_at=now if n > 5 else None,
            )
            for user in recipients
            for n in range(60)
        ],
        batch_size=BATCH,
    )


def _endings(people: list[Client], now: dt.datetime) -> None:
    """An open planned ending for each client marked ending; a closed one with follow-ups for
    each closed client."""
    today = now.date()
    endings = []
    for n, client in enumerate(people):
        if client.status == ClientStatus.ENDING:
            endings.append(
                Termination(
                    client=client,
                    kind=EndingKind.PLANNED,
                    initiated_by=Initiator.BOTH,
                    opened_by_id=client.primary_counselor_id,
                    notice_recorded_at=now - dt.timedelta(days=20),
                    raised_on=today - dt.timedelta(days=20),
                    final_session_on=today + dt.timedelta(days=-10 if n % 2 else 5),
                )
            )
        elif client.status == ClientStatus.CLOSED:
            planned = bool(n % 4)
            endings.append(
                Termination(
                    client=client,
                    kind=EndingKind.PLANNED if planned else EndingKind.UNPLANNED,
                    initiated_by=INITIATORS[n % len(INITIATORS)],
                    reason=(PLANNED_REASONS if planned else UNPLANNED_REASONS)[n % 3],
                    opened_by_id=client.primary_counselor_id,
                    state=TerminationState.CLOSED,
                    raised_on=client.closed_on - dt.timedelta(days=21) if planned else None,
                    final_session_on=client.closed_on if planned else None,
                    ended_on=client.closed_on,
                    retain_until=client.closed_on + dt.timedelta(days=7 * 365),
                    closed_at=now - (today - client.closed_on),
                )
            )
    made = Termination.objects.bulk_create(endings, batch_size=BATCH)
    follow_ups = follow_ups_of(made)
    for n, follow_up in enumerate(follow_ups):
        if follow_up.due_on < today - dt.timedelta(days=7):  # the reports count what was done
            follow_up.outcome = FOLLOW_UP_OUTCOMES[n % len(FOLLOW_UP_OUTCOMES)]
            if follow_up.outcome != FollowUp.Outcome.PENDING:
                follow_up.done_on = follow_up.due_on + dt.timedelta(days=n % 12)
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)


# The closed endings' variety, so that every group of the reports has rows.
INITIATORS = (Initiator.BOTH, Initiator.CLIENT, Initiator.COUNSELOR)
PLANNED_REASONS = (Reason.GOALS_MET, Reason.RELOCATION, Reason.COUNSELOR_LEAVING)
UNPLANNED_REASONS = (Reason.STOPPED_ATTENDING, Reason.FINANCIAL, Reason.OTHER)
FOLLOW_UP_OUTCOMES = (
    FollowUp.Outcome.REACHED,
    FollowUp.Outcome.REACHED,
    FollowUp.Outcome.NOT_REACHED,
    FollowUp.Outcome.RETURNED,
    FollowUp.Outcome.PENDING,
)


def follow_ups_of(endings: list[Termination], offsets=(30, 90, 180)) -> list[FollowUp]:
    """The follow-ups of the closed endings among `endings`, at the default offsets."""
    return [
        FollowUp(
            termination=ending,
            offset_days=offset,
            due_on=ending.ended_on + dt.timedelta(days=offset),
        )
        for ending in endings
        if ending.state == TerminationState.CLOSED
        for offset in offsets
    ]


def _audit(people: list[Client], now: dt.datetime, rng: random.Random) -> int:
    """Years of reads and changes: 120 rows per client, spread over the last three years."""
    rows = []
    count = 0
    span = 3 * 365 * 24 * 60
    for client in people:
        for k in range(AUDIT_ROWS_PER_CLIENT):
            rows.append(
                AuditEvent(
                    at=now - dt.timedelta(minutes=rng.randrange(span)),
                    actor_id=client.primary_counselor_id,
                    actor_username=f"counselor-{client.primary_counselor_id}",
                    action=AuditEvent.Action.VIEW if k % 4 else AuditEvent.Action.UPDATE,
                    object_type="clients.client",
                    object_id=str(client.pk),
                    client_id=client.pk,
                    summary="Viewed the client record" if k % 4 else "Changed the record",
                    ip_address="10.0.0.1",
                )
            )
        if len(rows) >= BATCH * 4:
            AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
            count += len(rows)
            rows = []
    AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
    return count + len(rows)
