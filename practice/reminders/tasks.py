"""Celery tasks of the reminders. Each takes ids or names and calls one service.

Every reminder task here is idempotent, so each acknowledges late (acks_late, and rejects the
message back to the queue if the worker process is lost): a worker that dies mid-task leaves
the message to be delivered again, and running it again does no harm (the unique key makes a
sweep's rows once; a claimed email is sent by whoever holds the claim)."""

import logging

from celery import shared_task
from django.conf import settings

from practice.outbox.work import OutboxWork
from practice.reminders.alerts import alliance_alert_notify
from practice.reminders.delivery import MailServerUnavailable
from practice.reminders.runs import delivery_run, sweep_run

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_sweep(sweep: str, triggered_by_id: int | None = None) -> int:
    """One periodic sweep (from beat, or the admin's "run now"): how many reminders it made."""
    from practice.staff.models import User

    triggered_by = User.objects.filter(pk=triggered_by_id).first() if triggered_by_id else None
    return sweep_run(sweep=sweep, triggered_by=triggered_by).deliveries


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_reminders(self) -> int:
    """Send pending reminder email. On a failing mail server, retry with exponential backoff;
    each row also keeps its own next try, so the delivery beat picks up what retries leave."""
    try:
        return delivery_run().sent
    except MailServerUnavailable as error:
        if self.request.retries >= settings.REMINDER_EMAIL_MAX_ATTEMPTS:
            logger.warning("Mail server still failing; the next delivery sweep tries again.")
            return 0
        countdown = min(
            error.retry_in * 2**self.request.retries, settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS
        )
        raise self.retry(
            countdown=countdown, max_retries=settings.REMINDER_EMAIL_MAX_ATTEMPTS
        ) from error


@shared_task(base=OutboxWork)
def notify_alliance_alert(alert_id: int) -> int:
    """An alliance alert, at once after the rating that raised it was saved."""
    return alliance_alert_notify(alert_id=alert_id)
