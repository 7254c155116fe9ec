"""Time the closing summary of treatments of several lengths against a minimal one-page document.

    python manage.py bench_documents --runs 15                      # 4, 40 and 400 sessions
    python manage.py bench_documents --sessions 40 --sessions 400

For each length, builds a client with that many attended sessions (an alliance check-in and a
PHQ-9 at each), 3 goals and a signed closing summary inside a transaction that is rolled back at
the end, so nothing stays in the database. Every document goes through the same template
engine, print stylesheet, URL fetcher and WeasyPrint call as real documents. Prints the median
of each, their ratio to the minimal page, how flat the summary is in the number of sessions,
and the peak memory.
"""

from __future__ import annotations

import datetime as dt
import gc
import resource
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clients.models import Client, Goal, GoalStatus
from practice.documents.pdf import html_to_pdf
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import CounselingSession, Instrument, SessionStatus
from sessions_app.services import rating_record
from termination import services
from termination.documents import (
    TEMPLATES,
    aftercare_letter_context,
    closing_summary_context,
    read_logo,
    sample_letter_context,
)
from termination.models import Answer, BreakKind, DocumentKind, Helped, Initiator, Termination

SESSIONS = 40
LENGTHS = (4, 40, 400)
GOALS = (
    ("Sleep through the night most nights", GoalStatus.MET),
    ("Go back to the choir", GoalStatus.PARTLY_MET),
    ("Speak up in team meetings", GoalStatus.MET),
)


class Rollback(Exception):
    pass


def build_long_treatment(*, counselor: User, sessions: int = SESSIONS) -> Termination:
    """A client seen `sessions` times, with 3 goals, rated at every session, and a planned ending
    whose closing summary is signed. Everything goes through the product's services."""
    today = timezone.localdate()
    client = Client.objects.create(
        legal_first_name="Benchmark",
        legal_last_name="Client",
        date_of_birth=dt.date(1985, 4, 2),
        primary_counselor=counselor,
        intake_date=today - dt.timedelta(days=7 * sessions + 14),
        presenting_concerns="Low mood and poor sleep after a bereavement.",
    )
    for description, status in GOALS:
        Goal.objects.create(
            client=client,
            description=description,
            measure="Agreed at intake",
            status=status,
            created_by=counselor,
        )
    alliance = Instrument.objects.get(short_name="Alliance", is_shipped=True)
    phq9 = Instrument.objects.get(short_name="PHQ-9", is_shipped=True)
    for index in range(sessions):
        starts_at = timezone.now() - dt.timedelta(days=7 * (sessions - index) + 1)
        session = CounselingSession.objects.create(
            client=client,
            counselor=counselor,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=50),
            status=SessionStatus.ATTENDED,
            created_by=counselor,
        )
        level = max(0, 3 - index // 10)
        rating_record(
            actor=counselor,
            client=client,
            instrument=phq9,
            answers={f"phq{item}": level for item in range(1, 10)},
            administered_on=starts_at.date(),
            session=session,
        )
        rating_record(
            actor=counselor,
            client=client,
            instrument=alliance,
            answers={
                key: min(10, 6 + index // 12 + (key == "bond") - (index % 9 == 4))
                for key in ("goals", "tasks", "bond", "overall")
            },
            administered_on=starts_at.date(),
            session=session,
        )
    termination = services.termination_open(
        actor=counselor, client=client, kind="planned", initiated_by=Initiator.BOTH
    )
    policy = PracticePolicy.current()
    services.termination_record_notice(
        actor=counselor,
        termination=termination,
        raised_on=today,
        initiated_by=Initiator.BOTH,
        final_session_on=today + dt.timedelta(days=policy.minimum_notice_days + 7),
        more_help_needed=Answer.NO,
        counseling_helped=Helped.A_LOT,
        break_kind=BreakKind.PERMANENT,
    )
    services.termination_record_reasons(
        actor=counselor,
        termination=termination,
        reason="goals_met",
        narrative="The goals agreed at intake are reached.",
    )
    services.termination_record_relapse_plan(
        actor=counselor,
        termination=termination,
        warning_signs="Sleeping badly for several nights.",
        triggers="The anniversary in March.",
        coping_steps=[{"sign": "Sleeping badly", "step": "The wind-down routine"}],
        support_contacts=[{"name": "Sam", "relation": "sister", "phone": "0123 456 789"}],
        crisis_lines="988 Suicide & Crisis Lifeline",
        when_to_come_back="Two weeks of poor sleep, or whenever you want to.",
    )
    services.termination_summary_save(
        actor=counselor,
        termination=termination,
        condition_at_ending="Sleeping well most nights; mood stable.",
        recommendations="Keep the sleep diary; come back if poor sleep lasts two weeks.",
        goal_outcomes={
            str(pk): "met"
            for pk in termination.client.goals.filter(status="active").values_list("pk", flat=True)
        },
    )
    services.termination_summary_sign(actor=counselor, termination=termination)
    return Termination.objects.select_related("client__primary_counselor").get(pk=termination.pk)


def timed(renders: dict, runs: int) -> dict[str, tuple[list[float], int, int]]:
    """For each named render: milliseconds of each run, the PDF's pages, and the peak of Python
    allocations (bytes).

    The documents take turns (run 1 of each, then run 2 of each, …) so that each sees the same
    machine: on a shared host the CPU's speed can change by a factor of two from one second to the
    next, and timing one document after the other would compare two different machines."""
    for render in renders.values():
        render()  # warm-up: fonts and templates load once per process
    # The long-lived heap (Django, the test record, caches) is frozen out of the collector, so
    # the collection after each run costs exactly the garbage that render left: every document
    # pays for its own reference cycles, not for the previous run's or for the process's.
    gc.collect()
    gc.freeze()
    durations: dict[str, list[float]] = {name: [] for name in renders}
    pages: dict[str, int] = {}
    for _ in range(runs):
        for name, render in renders.items():
            started = time.perf_counter()
            pages[name] = render()
            gc.collect()
            durations[name].append((time.perf_counter() - started) * 1000)
    gc.unfreeze()
    results = {}
    for name, render in renders.items():
        tracemalloc.start()
        render()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[name] = (durations[name], pages[name], peak)
    return results


class Command(BaseCommand):
    help = (
        "Time the closing summary at several treatment lengths against a minimal one-page "
        "document: its cost follows its text, and stays flat in the number of sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15, help="Renders of each document.")
        parser.add_argument(
            "--sessions",
            type=int,
            action="append",
            help=f"Sessions of the treatment (repeatable; default {', '.join(map(str, LENGTHS))}).",
        )

    def handle(self, *args, runs: int, sessions: list[int] | None, **options) -> None:
        try:
            with transaction.atomic():
                self.measure(runs=runs, lengths=sorted(set(sessions or LENGTHS)))
                raise Rollback
        except Rollback:
            pass

    def measure(self, *, runs: int, lengths: list[int]) -> None:
        counselor = User.objects.create(
            username="benchmark-counselor", first_name="Bea", last_name="Bench", is_counselor=True
        )
        policy = PracticePolicy.current()
        logo = read_logo(policy)
        today = timezone.localdate()

        def render(template: str, context: dict):
            return lambda: html_to_pdf(render_to_string(template, context), logo=logo).pages

        summary_template = TEMPLATES[DocumentKind.CLOSING_SUMMARY]
        minimal_name = "minimal one-page document"
        renders = {
            minimal_name: render(
                "pdf/sample_letter.html", sample_letter_context(policy, today=today)
            )
        }
        summaries = {}
        for length in lengths:
            termination = build_long_treatment(counselor=counselor, sessions=length)
            summary = closing_summary_context(termination, policy=policy)
            summaries[length] = f"closing summary ({length} sessions, 3 goals)"
            renders[summaries[length]] = render(summary_template, summary)
            if length == lengths[0]:
                # For reference: what the charts cost, and a real letter of the same ending.
                renders["  the same summary without its charts"] = render(
                    summary_template, {**summary, "charts": []}
                )
                aftercare = aftercare_letter_context(termination, policy=policy, today=today)
                renders["  the after-care letter of the same ending"] = render(
                    TEMPLATES[DocumentKind.AFTERCARE_LETTER], aftercare
                )
        results = timed(renders, runs)
        self.stdout.write(f"letterhead logo: {'yes' if logo else 'no'}")
        medians = {}
        for name, (durations, pages, peak) in results.items():
            medians[name] = statistics.median(durations)
            self.stdout.write(
                f"{name}: median {medians[name]:.1f} ms over {runs} runs "
                f"(min {min(durations):.1f}, max {max(durations):.1f}), {pages} page(s), "
                f"peak Python memory {peak / 2**20:.1f} MiB"
            )
        for length, name in summaries.items():
            self.stdout.write(
                f"ratio closing summary ({length} sessions) / minimal: "
                f"{medians[name] / medians[minimal_name]:.2f}"
            )
        longest, shortest = summaries[lengths[-1]], summaries[lengths[0]]
        self.stdout.write(
            f"flat in the number of sessions: {lengths[-1]} against {lengths[0]} sessions "
            f"{medians[longest] / medians[shortest]:.2f}×"
        )
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak resident memory of the process: {peak_rss:.0f} MiB")
