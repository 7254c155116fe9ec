"""Celery tasks of the clinical record. Each takes ids and calls one service."""

from celery import shared_task

from sessions_app.checkins.services import (
    checkin_deliver_email,
    checkin_expire,
    checkin_send_for_session,
)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_checkin_email(checkin_id: int, reminder: bool = False) -> bool:
    """Email a check-in's link, or its one reminder (a fresh token minted in the worker, never
    carried by the broker)."""
    return checkin_deliver_email(checkin_id=checkin_id, reminder=reminder)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_session_checkin(session_id: int) -> bool:
    """The policy's before-session check-in for one session (once per session, ever)."""
    return checkin_send_for_session(session_id=session_id) is not None


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def expire_checkin(checkin_id: int) -> bool:
    """Mark one check-in past its expiry as "no response"."""
    return checkin_expire(checkin_id=checkin_id)
