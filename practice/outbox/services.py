"""Enqueue follow-on work in the caller's transaction; hand it to the broker after commit; hand
out again what did not finish within its lease; give up after the retry limit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from practice.outbox.models import OutboxState, OutboxTask

logger = logging.getLogger(__name__)

# Called with the row when the outbox gives up on it, so the record that asked for the work can
# say so (a document marked failed for the counselor to try again). Keyed by task name.
_GIVE_UP_HOOKS: dict[str, Callable[[OutboxTask], None]] = {}


def lease_seconds() -> int:
    return settings.OUTBOX_LEASE_SECONDS


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def on_give_up(task: str) -> Callable:
    """Register `function(row)` to run when the outbox gives up on a row of `task`."""

    def register(function: Callable[[OutboxTask], None]) -> Callable[[OutboxTask], None]:
        _GIVE_UP_HOOKS[task] = function
        return function

    return register


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def outbox_enqueue(
    *,
    task: str,
    args: Sequence[int | str] = (),
    object_id: int | None = None,
    lease: int | None = None,
) -> OutboxTask:
    """Ask for `task(*args)`: the row is part of the caller's transaction (it exists exactly when
    the change that asks for it does) and is handed to the broker once that commits. A broker
    that cannot be reached never fails the caller: the sweep hands the row out later."""
    seconds = lease or lease_seconds()
    row = OutboxTask.objects.create(
        task=task,
        args=list(args),
        object_id=object_id,
        lease_seconds=seconds,
        # Until the commit's hand-out happens; a process that dies first leaves it to the sweep.
        claimed_until=timezone.now() + dt.timedelta(seconds=seconds),
    )
    transaction.on_commit(partial(_hand_out, row.pk, row.task, row.args, seconds))
    return row


def _celery_task(name: str):
    from practice.celery import app

    if name not in app.tasks:  # a web process has not imported the apps' task modules yet
        app.loader.import_default_modules()
    return app.tasks[name]


def _hand_out(row_id: int, task: str, args: list, seconds: int) -> bool:
    """Send one row to the broker. Never raises: a failure is logged and the row made due for
    the next sweep."""
    now = timezone.now()
    try:
        OutboxTask.objects.filter(pk=row_id, state=OutboxState.PENDING).update(
            attempts=F("attempts") + 1,
            dispatched_at=now,
            claimed_until=now + dt.timedelta(seconds=seconds),
        )
        _celery_task(task).apply_async(args=args, kwargs={"outbox_id": row_id})
    except Exception as error:  # the broker, the network, the database: the sweep tries again
        logger.warning(
            "Could not hand outbox task %s (%s %s) to the broker; the sweep sends it again: %s",
            row_id,
            task,
            args,
            describe(error),
        )
        try:
            OutboxTask.objects.filter(pk=row_id, state=OutboxState.PENDING).update(
                claimed_until=timezone.now(), last_error=f"Not sent: {describe(error)}"[:500]
            )
        except Exception:
            logger.exception("Could not record the failed hand-out of outbox task %s", row_id)
        return False
    return True


def outbox_nudge(task: str, *args: int | str) -> bool:
    """Ask a worker to run `task` now, for work whose own rows are its outbox (reminder email:
    pending Notification rows, swept by the delivery beat). Never raises: a broker that cannot be
    reached is logged, and the rows wait for their sweep."""
    try:
        _celery_task(task).apply_async(args=list(args))
    except Exception as error:
        logger.warning("Could not queue %s; its sweep does the work: %s", task, describe(error))
        return False
    return True


# The task's side ---------------------------------------------------------------------------


def outbox_start(row_id: int) -> bool:
    """A worker starts the row's work: False when it is already finished (a duplicate message,
    or one redelivered after the sweep handed the row out again), so the work is skipped."""
    row = OutboxTask.objects.filter(pk=row_id).only("state", "lease_seconds").first()
    if row is None or row.state != OutboxState.PENDING:
        return False
    OutboxTask.objects.filter(pk=row_id, state=OutboxState.PENDING).update(
        claimed_until=timezone.now() + dt.timedelta(seconds=row.lease_seconds)
    )
    return True


def outbox_finish(row_id: int, *, error: str = "") -> None:
    """The work ran to its end: done, or failed with the error (the task's own retries spent)."""
    OutboxTask.objects.filter(pk=row_id, state=OutboxState.PENDING).update(
        state=OutboxState.FAILED if error else OutboxState.DONE,
        last_error=error[:500],
        finished_at=timezone.now(),
    )


def outbox_keep_waiting(row_id: int, *, seconds: int) -> None:
    """The task will try again by itself in `seconds`: the sweep leaves the row alone till then."""
    row = OutboxTask.objects.filter(pk=row_id).only("lease_seconds").first()
    if row is not None:
        OutboxTask.objects.filter(pk=row_id, state=OutboxState.PENDING).update(
            claimed_until=timezone.now() + dt.timedelta(seconds=seconds + row.lease_seconds)
        )


# The sweep ------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    handed_out: int = 0
    not_sent: int = 0
    given_up: int = 0


def outbox_sweep(*, now: dt.datetime | None = None, batch: int | None = None) -> SweepReport:
    """Hand out again every open row whose lease has passed; give up on those handed out
    `OUTBOX_MAX_ATTEMPTS` times already (marked failed, for the admin to see). Two sweeps never
    take the same row (SKIP LOCKED on PostgreSQL)."""
    now = now or timezone.now()
    report = SweepReport()
    with transaction.atomic():
        due = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .due(now)
            .order_by("claimed_until", "pk")[: batch or settings.OUTBOX_SWEEP_BATCH]
        )
        spent = [row for row in due if row.attempts >= max_attempts()]
        again = [row for row in due if row.attempts < max_attempts()]
        for row in spent:
            row.state, row.finished_at = OutboxState.FAILED, now
            row.last_error = (
                f"Never finished after {row.attempts} hand-outs. {row.last_error}".strip()[:500]
            )
            row.save(update_fields=["state", "finished_at", "last_error"])
            hook = _GIVE_UP_HOOKS.get(row.task)
            if hook is not None:
                hook(row)
        # Claimed for this sweep's hand-out: a parallel sweep skips them.
        for row in again:
            OutboxTask.objects.filter(pk=row.pk).update(
                claimed_until=now + dt.timedelta(seconds=row.lease_seconds)
            )
    report.given_up = len(spent)
    for row in again:
        if _hand_out(row.pk, row.task, row.args, row.lease_seconds):
            report.handed_out += 1
        else:
            report.not_sent += 1
    if report.given_up:
        logger.error("The outbox gave up on %s task(s); see the admin's schedule page.", len(spent))
    return report


def outbox_problems(*, limit: int = 20) -> list[OutboxTask]:
    """Rows the outbox gave up on, or that keep failing to reach the broker: for the admin."""
    return list(
        OutboxTask.objects.filter(state=OutboxState.FAILED).order_by("-finished_at")[:limit]
    )
