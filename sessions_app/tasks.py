"""Celery tasks of the clinical record. Each takes ids and calls one service."""

from celery import shared_task

from .checkins.services import checkin_deliver_email


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_checkin_email(checkin_id: int) -> bool:
    """Email a new check-in's link (a fresh token minted in the worker, never in the broker)."""
    return checkin_deliver_email(checkin_id=checkin_id)
