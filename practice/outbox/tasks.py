"""The outbox's periodic sweep."""

from celery import shared_task

from practice.outbox.services import outbox_sweep


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def sweep_outbox() -> int:
    """Periodic (beat, every OUTBOX_SWEEP_SECONDS): hand out again what did not finish."""
    return outbox_sweep().handed_out
