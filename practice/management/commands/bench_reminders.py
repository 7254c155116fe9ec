"""Benchmark the reminder sweeps: load a practice of N active clients and M sessions into a
throwaway database, run every sweep twice (the first run finds what is due, the second finds it
already recorded), and print each sweep's time and query count. Several sizes are compared:
the query count must not grow with the number of clients.

    python manage.py bench_reminders                   # 500 and 5,000 clients, 40 sessions each
    python manage.py bench_reminders --sizes 5000 --sessions-per-client 40 --deliver

The database is a test database (test_<name>, or var/bench_reminders.sqlite3 for SQLite),
created and destroyed by the command: the practice's own data is never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass
from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from clients.models import Client, ClientStatus, Consent, ConsentKind, PlanReview
from practice.bench.loader import follow_ups_of
from practice.policy.models import PracticePolicy
from practice.staff.models import Supervision, User
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
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
    Termination,
    TerminationState,
)

TIME_ZONES = [
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Australia/Sydney",
]
BATCH = 2000
CLIENTS_PER_COUNSELOR = 50


@dataclass
class Loaded:
    counselors: int = 0
    clients: int = 0
    closed_clients: int = 0
    sessions: int = 0
    notes: int = 0
    consents: int = 0
    endings: int = 0
    alerts: int = 0


def load_practice(
    *, clients: int, sessions_per_client: int, now: dt.datetime, tag: str = "bench"
) -> Loaded:
    """A practice shaped like a real one, with something due for every sweep:
    one client in ten silent, one in 25 with an unsigned note, one in 50 ending, 3% with a
    consent about to lapse, about 10% with a plan review due, closed records past retention,
    recent alliance alerts, sessions today and tomorrow."""
    rng = random.Random(2026)
    loaded = Loaded()
    password = make_password(None)
    counselor_count = max(1, clients // CLIENTS_PER_COUNSELOR)
    counselors = User.objects.bulk_create(
        [
            User(
                username=f"{tag}-counselor-{n}",
                first_name="Counselor",
                last_name=f"{n:04d}",
                email=f"counselor{n}@{tag}.test",
                is_counselor=True,
                time_zone=TIME_ZONES[n % len(TIME_ZONES)],
                password=password,
            )
            for n in range(counselor_count)
        ]
    )
    supervisors = User.objects.bulk_create(
        [
            User(
                username=f"{tag}-supervisor-{n}",
                email=f"supervisor{n}@{tag}.test",
                is_supervisor=True,
                password=password,
            )
            for n in range(max(1, counselor_count // 10))
        ]
        + [
            User(
                username=f"{tag}-admin",
                email=f"admin@{tag}.test",
                is_practice_admin=True,
                password=password,
            )
        ]
    )[:-1]
    Supervision.objects.bulk_create(
        Supervision(
            supervisor=supervisors[n % len(supervisors)],
            supervisee=counselor,
            starts_on=now.date() - dt.timedelta(days=400),
        )
        for n, counselor in enumerate(counselors)
    )
    loaded.counselors = len(counselors)

    people = Client.objects.bulk_create(
        [
            Client(
                legal_first_name=f"Client{n}",
                legal_last_name=f"Bench{n:05d}",
                date_of_birth=dt.date(1980 + n % 30, 1 + n % 12, 1 + n % 28),
                email=f"client{n}@bench.test",
                may_email=n % 5 < 3,
                intake_date=now.date() - dt.timedelta(days=400 + n % 300),
                opened_on=now.date() - dt.timedelta(days=400 + n % 300),
                primary_counselor=counselors[n % len(counselors)],
            )
            for n in range(clients)
        ],
        batch_size=BATCH,
    )
    loaded.clients = len(people)

    session_rows, unsigned = _sessions(people, sessions_per_client, now, rng)
    created = CounselingSession.objects.bulk_create(session_rows, batch_size=BATCH)
    loaded.sessions = len(created)
    notes = [
        ProgressNote(
            session=session,
            client_id=session.client_id,
            author_id=session.counselor_id,
            data="Bench note.",
            status=NoteStatus.SIGNED,
            signed_by_id=session.counselor_id,
            signed_at=session.ends_at + dt.timedelta(hours=2),
            content_sha256=hashlib.sha256(b"bench").hexdigest(),
        )
        for session in created
        if session.status == SessionStatus.ATTENDED and not unsigned(session)
    ]
    ProgressNote.objects.bulk_create(notes, batch_size=BATCH)
    CounselingSession.objects.filter(note_due_rule()).update(note_due=True)
    loaded.notes = len(notes)

    consents = []
    for n, client in enumerate(people):
        signed = now.date() - dt.timedelta(days=380)
        consents.append(_consent(client, ConsentKind.TREATMENT, signed, None))
        if n % 5 < 3:
            expiry = now.date() + dt.timedelta(days=5 + n % 9) if n % 33 == 0 else None
            consents.append(_consent(client, ConsentKind.ELECTRONIC, signed, expiry))
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    loaded.consents = len(consents)
    PlanReview.objects.bulk_create(
        [
            PlanReview(
                client=client,
                # One client in ten is past the 90-day review interval.
                reviewed_on=now.date() - dt.timedelta(days=100 if n % 10 == 5 else n % 80),
                reviewed_by=client.primary_counselor,
            )
            for n, client in enumerate(people)
        ],
        batch_size=BATCH,
    )
    loaded.endings = _endings(people, counselors, now, rng, loaded)
    loaded.alerts = _alerts(people, now)
    return loaded


def _sessions(people, per_client: int, now: dt.datetime, rng: random.Random):
    rows = []
    unsigned_clients = set()
    for n, client in enumerate(people):
        silent = n % 10 == 0
        if n % 25 == 1:  # the last session 5 to 8 days ago: its note is past the 72 hours
            unsigned_clients.add(client.pk)
            days_ago = 8 - n % 4
        else:
            days_ago = 40 + n % 50 if silent else 1 + n % 6
        last = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 8))
        upcoming = 0 if silent else min(2, per_client - 1)
        for k in range(per_client - upcoming):
            start = last - dt.timedelta(days=7 * k)
            status = SessionStatus.ATTENDED
            if k and k % 9 == 0:
                status = SessionStatus.NO_SHOW if k % 2 else SessionStatus.CANCELLED
            rows.append(_session(client, start, status))
        for k in range(upcoming):
            start = now + dt.timedelta(hours=2 + 20 * k + n % 70)
            rows.append(_session(client, start, SessionStatus.SCHEDULED))

    def unsigned(session: CounselingSession) -> bool:
        """The latest attended session of one client in 25 has no note."""
        recent = session.starts_at > now - dt.timedelta(days=8, hours=12)
        return session.client_id in unsigned_clients and recent

    return rows, unsigned


def _session(client, start: dt.datetime, status: str) -> CounselingSession:
    return CounselingSession(
        counselor_id=client.primary_counselor_id,
        client=client,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=50),
        status=status,
        created_by_id=client.primary_counselor_id,
    )


def _consent(client, kind: str, signed: dt.date, expires: dt.date | None) -> Consent:
    return Consent(
        client=client,
        kind=kind,
        signed_on=signed,
        expires_on=expires,
        recorded_by_id=client.primary_counselor_id,
    )


def _endings(people, counselors, now: dt.datetime, rng: random.Random, loaded: Loaded) -> int:
    """Open endings for one client in 50; closed clients (one per 20 active) with follow-ups,
    half of them past their retention date."""
    today = now.date()
    ending = [client for n, client in enumerate(people) if n % 50 == 2]
    Client.objects.filter(pk__in=[client.pk for client in ending]).update(
        status=ClientStatus.ENDING
    )
    terminations = [
        Termination(
            client=client,
            kind=EndingKind.PLANNED,
            initiated_by=Initiator.BOTH,
            opened_by_id=client.primary_counselor_id,
            notice_recorded_at=now - dt.timedelta(days=20),
            raised_on=today - dt.timedelta(days=20),
            # Half with the summary overdue, half with the final session in two days.
            final_session_on=today + dt.timedelta(days=-20 if index % 2 == 0 else 2),
        )
        for index, client in enumerate(ending)
    ]
    closed_count = max(1, len(people) // 20)
    closed = Client.objects.bulk_create(
        [
            Client(
                legal_first_name=f"Closed{n}",
                legal_last_name=f"Bench{n:05d}",
                date_of_birth=dt.date(1970, 1, 1),
                primary_counselor=counselors[n % len(counselors)],
                intake_date=today - dt.timedelta(days=4000),
                opened_on=today - dt.timedelta(days=4000),
                status=ClientStatus.CLOSED,
                closed_on=today - dt.timedelta(days=30 + n * 7),
                legal_hold=n % 17 == 0,
            )
            for n in range(closed_count)
        ],
        batch_size=BATCH,
    )
    loaded.closed_clients = len(closed)
    terminations += [
        Termination(
            client=client,
            kind=EndingKind.PLANNED,
            initiated_by=Initiator.BOTH,
            opened_by_id=client.primary_counselor_id,
            state=TerminationState.CLOSED,
            ended_on=client.closed_on,
            retain_until=today + dt.timedelta(days=365 if n % 2 else -30),
            closed_at=now - dt.timedelta(days=30 + n * 7),
        )
        for n, client in enumerate(closed)
    ]
    made = Termination.objects.bulk_create(terminations, batch_size=BATCH)
    FollowUp.objects.bulk_create(follow_ups_of(made), batch_size=BATCH)
    return len(made)


def _alerts(people, now: dt.datetime) -> int:
    """One client in 100 had a low alliance rating ten minutes ago (the catch-up finds them)."""
    alliance = Instrument.objects.filter(short_name="Alliance", is_shipped=True).first()
    if alliance is None:
        return 0
    chosen = [client for n, client in enumerate(people) if n % 100 == 3]
    ratings = Rating.objects.bulk_create(
        [
            Rating(
                instrument=alliance,
                client=client,
                administered_on=now.date(),
                answers={"goals": 5, "tasks": 5, "bond": 5, "overall": 5},
                total=20,
                entered_by_id=client.primary_counselor_id,
            )
            for client in chosen
        ]
    )
    alerts = AllianceAlert.objects.bulk_create(
        [
            AllianceAlert(
                rating=rating,
                client=rating.client,
                reason=AllianceAlert.Reason.BELOW_CUTOFF,
                cutoff=30,
                repeated=n % 2 == 0,
            )
            for n, rating in enumerate(ratings)
        ]
    )
    AllianceAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(
        raised_at=now - dt.timedelta(minutes=10)
    )
    measure_series_rebuild()
    return len(alerts)


@dataclass
class Timing:
    sweep: str
    seconds: float
    queries: int
    made: int


def run_every_sweep() -> list[Timing]:
    from practice.reminders.runs import sweep_run
    from practice.reminders.sweeps import sweeps

    timings = []
    for name in sweeps():
        started = time.perf_counter()
        run = sweep_run(sweep=name)
        timings.append(Timing(name, time.perf_counter() - started, run.queries, run.deliveries))
    return timings


class Command(BaseCommand):
    help = "Time every reminder sweep on a generated practice (in a throwaway database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="500,5000",
            help="Comma-separated numbers of active clients to compare (default 500,5000).",
        )
        parser.add_argument("--sessions-per-client", type=int, default=40)
        parser.add_argument(
            "--deliver", action="store_true", help="Also time sending the email (locmem backend)."
        )

    def handle(self, *args, sizes: str, sessions_per_client: int, deliver: bool, **options):
        numbers = [int(size) for size in sizes.split(",") if size.strip()]
        results: dict[int, list[Timing]] = {}
        for size in numbers:
            results[size] = self.bench(size, sessions_per_client, deliver)
        if len(numbers) > 1:
            self.compare(results)

    def bench(self, size: int, per_client: int, deliver: bool) -> list[Timing]:
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            # A file, as in production: an in-memory database would flatter the timings.
            test_settings["NAME"] = str(settings.VAR_DIR / "bench_reminders.sqlite3")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            # Nothing reaches the broker (a running worker would look in the wrong database);
            # the delivery is timed on its own with --deliver.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                mock.patch("practice.reminders.recording.queue_delivery"),
            ):
                return self.bench_in_test_db(size, per_client, deliver)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)

    def bench_in_test_db(self, size: int, per_client: int, deliver: bool) -> list[Timing]:
        PracticePolicy.current()
        now = timezone.now()
        started = time.perf_counter()
        loaded = load_practice(clients=size, sessions_per_client=per_client, now=now)
        self.stdout.write(
            f"\n{loaded.clients:,} active clients, {loaded.sessions:,} sessions, "
            f"{loaded.notes:,} notes, {loaded.counselors} counselors, "
            f"{loaded.closed_clients:,} closed clients, {loaded.endings:,} endings, "
            f"{loaded.alerts} alerts; loaded in {time.perf_counter() - started:.1f} s "
            f"on {connection.vendor}"
        )
        first = run_every_sweep()
        again = run_every_sweep()
        self.stdout.write(f"{'sweep':<16}{'first run':>22}{'run again':>22}{'made':>8}")
        for one, two in zip(first, again, strict=True):
            self.stdout.write(
                f"{one.sweep:<16}{one.seconds * 1000:>10.0f} ms {one.queries:>3} queries"
                f"{two.seconds * 1000:>10.0f} ms {two.queries:>3} queries{one.made:>8}"
            )
        slowest = max(first + again, key=lambda timing: timing.seconds)
        verdict = "under" if slowest.seconds < 2 else "OVER"
        self.stdout.write(
            f"slowest: {slowest.sweep} {slowest.seconds:.2f} s ({verdict} the 2 s target)"
        )
        if deliver:
            from practice.reminders.runs import delivery_run

            started = time.perf_counter()
            report = delivery_run(batch_size=200)
            self.stdout.write(
                f"delivery: {report.sent:,} emails in {time.perf_counter() - started:.1f} s "
                "(one UPDATE per email: it marks each sent as soon as the server accepts it)"
            )
        return first

    def compare(self, results: dict[int, list[Timing]]) -> None:
        sizes = sorted(results)
        self.stdout.write("\nQueries per sweep (first run) by number of active clients:")
        self.stdout.write(f"{'sweep':<16}" + "".join(f"{size:>10,}" for size in sizes))
        names = [timing.sweep for timing in results[sizes[0]]]
        for index, name in enumerate(names):
            counts = [results[size][index].queries for size in sizes]
            mark = "" if len(set(counts)) == 1 else "  <- grows"
            self.stdout.write(f"{name:<16}" + "".join(f"{count:>10}" for count in counts) + mark)
