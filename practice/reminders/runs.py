"""Running a sweep (or the delivery) and keeping a row of what it did, how long it took, how
many queries it made and how it failed."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from practice.policy.models import PracticePolicy
from practice.reminders.delivery import DeliveryReport, deliver_pending
from practice.reminders.models import SweepRun
from practice.reminders.recording import record_due
from practice.reminders.sweeps import find_due, sweeps
from practice.staff.models import User

DELIVERY = "deliver"


@dataclass
class QueryCounter:
    count: int = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def _recorded(name: str, triggered_by: User | None):
    run = SweepRun.objects.create(sweep=name, triggered_by=triggered_by)
    counter = QueryCounter()
    started = time.monotonic()
    try:
        with connection.execute_wrapper(counter):
            yield run
    except Exception as error:
        run.error = f"{type(error).__name__}: {error}"[:500]
        raise
    finally:
        run.finished_at = timezone.now()
        run.duration_ms = round((time.monotonic() - started) * 1000)
        run.queries = counter.count
        run.save()
        _forget_old_runs(name)


def _forget_old_runs(name: str) -> None:
    """The schedule keeps two weeks of runs (operational rows, not records)."""
    horizon = timezone.now() - dt.timedelta(days=settings.REMINDER_SWEEP_HISTORY_DAYS)
    SweepRun.objects.filter(sweep=name, started_at__lt=horizon).delete()


def sweep_run(*, sweep: str, triggered_by: User | None = None) -> SweepRun:
    """Find what `sweep` finds due now and record it, in one transaction."""
    if sweep not in sweeps():
        raise ValueError(f"No sweep called {sweep!r}.")
    with _recorded(sweep, triggered_by) as run, transaction.atomic():
        dues = find_due(sweep, timezone.now(), PracticePolicy.current())
        run.deliveries = record_due(dues, source=sweep)
    return run


def delivery_run(*, batch_size: int | None = None) -> DeliveryReport:
    """Send pending email, keeping a row with how many were sent and how many failed."""
    report = DeliveryReport()
    with _recorded(DELIVERY, None) as run:
        try:
            deliver_pending(batch_size=batch_size, report=report)
        finally:
            run.deliveries, run.failures = report.sent, report.failures
    return report
