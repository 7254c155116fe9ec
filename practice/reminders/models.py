"""Reminders and alerts: the notification rows (in-app and email), preferences, sweep runs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.staff.models import User


class ReminderKind(models.TextChoices):
    """Every kind of reminder and alert. Each has three email templates under
    templates/emails/reminders/ (<kind>_subject.txt, <kind>.txt, <kind>.html)."""

    AGENDA = "agenda", _("Your sessions today")
    CLIENT_SESSION = "client_session", _("Session reminder to the client")
    NOTE_UNSIGNED = "note_unsigned", _("Progress note not signed")
    NOTE_UNSIGNED_SUPERVISOR = "note_unsigned_supervisor", _("Supervisee's note long unsigned")
    FINAL_SESSION = "final_session", _("Final session approaching")
    SUMMARY_DUE = "summary_due", _("Closing summary due")
    SUMMARY_OVERDUE = "summary_overdue", _("Closing summary overdue")
    APPROVAL_WAITING = "approval_waiting", _("Closing summary waiting for approval")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Follow-up overdue")
    SILENT_CLIENT = "silent_client", _("Client without contact")
    ALLIANCE_ALERT = "alliance_alert", _("Alliance alert")
    ALLIANCE_ALERT_REPEATED = "alliance_alert_repeated", _("Repeated alliance alert")
    CONSENT_EXPIRING = "consent_expiring", _("Consent expiring")
    PLAN_REVIEW_DUE = "plan_review_due", _("Plan review due")
    RETENTION_REPORT = "retention_report", _("Records past their retention date")
    CHECKIN_RISK = "checkin_risk", _("Risk item endorsed on a check-in")
    CHECKIN_ANSWERED = "checkin_answered", _("Check-in answered before a session")
    RELAPSE_SIGNAL = "relapse_signal", _("Relapse signal after an ending")


class EmailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed after the last try")
    SKIPPED = "skipped", _("Not emailed")


class NotificationQuerySet(models.QuerySet):
    def in_app_for(self, user: User) -> NotificationQuerySet:
        return self.filter(recipient=user, in_app=True)

    def unread_for(self, user: User) -> NotificationQuerySet:
        return self.in_app_for(user).filter(read_at__isnull=True)


class Notification(models.Model):
    """One reminder or alert to one recipient: the delivery log row and, when the recipient
    keeps the in-app list for this kind, the entry in that list.

    The key (kind, object, due date, recipient) is unique: a sweep that runs twice, or two
    sweeps at once, make one row, so one reminder. The row also records the email's fate."""

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    object_id = models.BigIntegerField(help_text=_("The record the reminder is about."))
    due_on = models.DateField()
    # "user:<pk>" for staff, "client:<pk>" for a client's session reminder.
    recipient_key = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    # What the email templates need, prepared when the reminder became due (no clinical text).
    context = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=30, help_text=_("The sweep (or alert) that made it."))
    batch = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # In-app channel
    in_app = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Email channel: at least once (see README), with retries and backoff.
    email_to = models.EmailField(blank=True)
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "due_on", "recipient_key"],
                name="one_notification_per_kind_object_due_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "in_app", "read_at"]),
            models.Index(fields=["email_state", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_key} ({self.due_on})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's channels for one kind. Without a row both channels are on."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    email = models.BooleanField(default=True)
    in_app = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class SweepRun(models.Model):
    """One run of a periodic sweep (or of the email delivery): the admin's schedule page."""

    sweep = models.CharField(max_length=30, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    deliveries = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    triggered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["sweep", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.sweep} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error
