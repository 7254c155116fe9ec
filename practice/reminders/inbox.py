"""The in-app notification list: what a user sees, and marking entries read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from practice.reminders.models import Notification
from practice.staff.models import User

PAGE_SIZE = 50


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet:
    listed = Notification.objects.in_app_for(user)
    if unread_only:
        listed = listed.filter(read_at__isnull=True)
    return listed.order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    if not (user.is_authenticated and user.is_active):
        return 0
    return Notification.objects.unread_for(user).count()


def notification_mark_read(*, user: User, pk: int) -> Notification:
    """Mark one of the user's own notifications read; anyone else's answers 404."""
    notification = get_object_or_404(Notification.objects.in_app_for(user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.unread_for(user).update(read_at=timezone.now())
