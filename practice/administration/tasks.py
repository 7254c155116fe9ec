"""Background work of the admin's pages: each task takes ids and calls one service."""

from celery import shared_task

from practice.administration.services.staff import staff_invitation_send
from practice.outbox.work import OutboxWork


@shared_task(base=OutboxWork)
def send_staff_invitation(user_id: int, invited_by_id: int, site_url: str) -> None:
    """The invitation email of a new (or re-invited) staff member, after the commit."""
    staff_invitation_send(user_id=user_id, invited_by_id=invited_by_id, site_url=site_url)
