"""Notifications (everyone signed in has their own) and the reminder schedule (practice admin)."""

from django.utils import timezone

from practice.reminders.models import Notification, ReminderKind
from tests.access_matrix import ObjectUrl

EVERYONE = {"owner", "colleague", "supervisor", "practice_admin"}
ADMIN = {"practice_admin"}


def an_owners_notification(owner, **_) -> dict:
    notification = Notification.objects.create(
        kind=ReminderKind.PLAN_REVIEW_DUE,
        object_id=1,
        due_on=timezone.localdate(),
        recipient_key=f"user:{owner.pk}",
        recipient=owner,
        title="Plan review for A.L. due",
        link="/caseload/",
        source="test",
        batch="00000000-0000-0000-0000-000000000001",
        email_state="skipped",
    )
    return {"pk": notification.pk}


ROLE_PAGES: dict[str, set[str]] = {
    "notification_list": set(EVERYONE),
    "notification_read_all": set(EVERYONE),  # POST only: 405 to a GET
    "notification_preferences": set(EVERYONE),
    "admin_schedule": set(ADMIN),
    "admin_sweep_run": set(ADMIN),  # POST only
    "notification_retention_report": set(ADMIN),
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("notification_read", an_owners_notification, frozenset({"owner"}), method="post"),
]
