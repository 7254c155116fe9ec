"""The base of every Celery task the outbox hands out."""

from __future__ import annotations

from celery import Task
from celery.exceptions import Retry

from practice.outbox.services import describe, outbox_finish, outbox_keep_waiting, outbox_start


class OutboxWork(Task):
    """A task handed out by the outbox: `outbox_id` (added by the outbox) names its row.

    It runs only while the row is open, so a message delivered twice (Redis giving it back after
    the visibility timeout, after the sweep sent it again) does the work once. The row is marked
    done when the task returns, failed when it raises after its own retries. The work itself must
    be idempotent: it acknowledges late and is given back to the queue if its worker dies, and
    nobody reads its result."""

    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True
    typing = False  # `outbox_id` travels as a keyword argument the task's own function lacks

    def __call__(self, *args, outbox_id: int | None = None, **kwargs):
        if outbox_id is None:  # called directly (a shell, a test)
            return super().__call__(*args, **kwargs)
        if not outbox_start(outbox_id):
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry as retry:  # the task's own retry, with backoff: not finished yet
            countdown = retry.when if isinstance(retry.when, int | float) else 0
            outbox_keep_waiting(outbox_id, seconds=int(countdown))
            raise
        except Exception as error:
            outbox_finish(outbox_id, error=describe(error))
            raise
        outbox_finish(outbox_id)
        return result
