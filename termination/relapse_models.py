"""Models of the relapse watch (termination/relapse_watch.py), registered through
termination/models.py: the client's choice about being contacted after the end, the follow-up
check-ins scheduled at close, and the relapse signals their answers raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContactChoice(models.TextChoices):
    EMAIL = "email", _("Yes, check in by email")
    PHONE = "phone", _("Yes, by phone (the counselor calls)")
    NO = "no", _("No, please do not contact me")


class FollowUpContact(models.Model):
    """'May we check in with you after counseling ends?' asked at the relapse-plan step."""

    termination = models.OneToOneField(
        "termination.Termination", on_delete=models.PROTECT, related_name="follow_up_contact"
    )
    choice = models.CharField(max_length=5, choices=ContactChoice.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Follow-up contact: {self.choice}"


class WatchState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")


class WatchCheckIn(models.Model):
    """One follow-up check-in of the watch, from the close: sent on its day by the sweep."""

    termination = models.ForeignKey(
        "termination.Termination", on_delete=models.PROTECT, related_name="watch_checkins"
    )
    offset_days = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    monthly = models.BooleanField(
        default=False, help_text=_("Part of the monthly watch after residual symptoms.")
    )
    state = models.CharField(
        max_length=10, choices=WatchState.choices, default=WatchState.SCHEDULED, editable=False
    )
    skip_reason = models.CharField(max_length=200, blank=True)
    checkin = models.OneToOneField(
        "sessions_app.CheckIn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watch",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["termination", "offset_days"], name="one_watch_checkin_per_offset"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(checkin__isnull=False),
                name="watch_sent_has_checkin",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up check-in due {self.due_on}"


class SignalReason(models.TextChoices):
    CUTOFF = "cutoff", _("Back at or above the clinical cutoff")
    DETERIORATION = "deterioration", _("Reliable deterioration since the end")
    WANTS_TO_TALK = "wants_to_talk", _("Would like to talk")
    RISK = "risk", _("Risk item endorsed")


class SignalAction(models.TextChoices):
    BOOSTER = "booster", _("Booster session offered")
    REOPENED = "reopened", _("Record reopened")


class RelapseSignal(models.Model):
    termination = models.ForeignKey(
        "termination.Termination", on_delete=models.PROTECT, related_name="relapse_signals"
    )
    checkin = models.OneToOneField(
        "sessions_app.CheckIn", on_delete=models.PROTECT, related_name="relapse_signal"
    )
    # [{"reason": "cutoff", "instrument": "PHQ-9", "score": "12", "baseline": "6"}, ...]
    reasons = models.JSONField()
    raised_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=SignalAction.choices, blank=True)
    booster_session = models.ForeignKey(
        "sessions_app.CounselingSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"Relapse signal {self.pk}"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(SignalReason.choices)
        return [
            f"{labels.get(entry['reason'], entry['reason'])}"
            + (f" ({entry['instrument']} {entry['score']})" if entry.get("instrument") else "")
            for entry in self.reasons
        ]
