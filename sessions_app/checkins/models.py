"""Check-ins: a request to one client to answer a few instruments on their own phone.

A check-in is for a session (before it, or in the room) or for a follow-up after the ending. The
client reaches it through a link whose token is random (256 bits from `secrets`); the database
keeps only the token's SHA-256. A check-in may hold several tokens (the email, a reminder, the
QR code shown in the room): each opens only its own check-in, all die when it is completed,
expires or is revoked. The short code typed in the room is single use and lives minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CheckInPurpose(models.TextChoices):
    SESSION = "session", _("For a session")
    FOLLOW_UP = "follow_up", _("Follow-up after the ending")


class CheckInChannel(models.TextChoices):
    EMAIL = "email", _("By email")
    IN_ROOM = "in_room", _("In the room (QR code or short code)")


class CheckInState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    COMPLETED = "completed", _("Answered")
    EXPIRED = "expired", _("No response")
    REVOKED = "revoked", _("Revoked")


class ComparedToEnd(models.TextChoices):
    BETTER = "better", _("Better")
    SAME = "same", _("About the same")
    WORSE = "worse", _("Worse")


LIVE_STATES = (CheckInState.WAITING, CheckInState.COMPLETED)


class CheckInQuerySet(models.QuerySet):
    def visible_to(self, user) -> CheckInQuerySet:
        from clients.models import Client

        return self.filter(client__in=Client.objects.clinical_for(user))

    def changeable_by(self, user) -> CheckInQuerySet:
        from clients.models import Client

        return self.filter(client__in=Client.objects.editable_by(user))


class CheckIn(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="checkins")
    session = models.ForeignKey(
        "sessions_app.CounselingSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkins",
    )
    purpose = models.CharField(max_length=10, choices=CheckInPurpose.choices)
    channel = models.CharField(max_length=8, choices=CheckInChannel.choices)
    state = models.CharField(
        max_length=10, choices=CheckInState.choices, default=CheckInState.WAITING, editable=False
    )
    # Null when the practice's schedule sent it (before a session, or a follow-up).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    due_on = models.DateField(null=True, blank=True, help_text=_("The follow-up's due date."))
    email_sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it was revoked or marked as no response.")
    )
    risk_endorsed = models.BooleanField(default=False)
    seen_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the counselor marked the answers as seen.")
    )
    # The follow-up's own three questions.
    compared_to_end = models.CharField(max_length=6, choices=ComparedToEnd.choices, blank=True)
    wants_to_talk = models.BooleanField(null=True, blank=True)
    message = models.TextField(blank=True, max_length=2000)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "state"]),
            models.Index(fields=["state", "expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="checkin_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=~Q(state=CheckInState.COMPLETED) | Q(completed_at__isnull=False),
                name="checkin_completed_has_time",
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(session__isnull=False, state__in=LIVE_STATES),
                name="one_live_checkin_per_session",
                violation_error_message=_("This session already has a check-in."),
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk} ({self.get_state_display()})"

    @property
    def is_follow_up(self) -> bool:
        return self.purpose == CheckInPurpose.FOLLOW_UP


class CheckInItem(models.Model):
    """One instrument the check-in asks, in order; the rating once the client answered it."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="items")
    instrument = models.ForeignKey(
        "sessions_app.Instrument", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    rating = models.OneToOneField(
        "sessions_app.Rating",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkin_item",
    )

    class Meta:
        ordering = ["checkin", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "instrument"], name="checkin_asks_instrument_once"
            ),
            models.UniqueConstraint(fields=["checkin", "position"], name="checkin_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} in check-in {self.checkin_id}"


class CheckInToken(models.Model):
    """One link to a check-in. Only hashes are kept: a stolen database opens nothing."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    short_code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    short_code_expires_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=CheckInChannel.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Token {self.pk} of check-in {self.checkin_id}"


class CheckInEvent(models.Model):
    """Everything that happened to a check-in, as rows (also written to the audit log)."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent")
        EMAILED = "emailed", _("Emailed")
        SHOWN = "shown", _("Shown in the room")
        OPENED = "opened", _("Opened")
        ANSWERED = "answered", _("Instrument answered")
        COMPLETED = "completed", _("Completed")
        REMINDED = "reminded", _("Reminder sent")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("No response by the expiry")
        OPTED_OUT = "opted_out", _("The client asked not to be contacted again")
        SEEN = "seen", _("Answers seen by the counselor")

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class CheckInOptOut(models.Model):
    """The client asked never to be contacted for check-ins again. Nothing is sent after it."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.PROTECT, related_name="checkin_opt_out"
    )
    at = models.DateTimeField()
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Opt-out of client {self.client_id}"


class CheckInSchedule(models.Model):
    """A counselor's choice for one client: the practice's before-session schedule, their own
    rules, or none."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.PROTECT, related_name="checkin_schedule"
    )
    enabled = models.BooleanField(default=True)
    # None follows the policy; otherwise [{"instrument": "PHQ-9", "every": 4}, ...].
    rules = models.JSONField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Check-in schedule of client {self.client_id}"
