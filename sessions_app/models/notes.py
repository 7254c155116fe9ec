"""Progress notes in DAP form: draft, then signed, and never changed afterwards."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_COSIGN = "awaiting_cosign", _("Signed, awaiting co-signature")
    SIGNED = "signed", _("Signed")


class RiskLevel(models.TextChoices):
    NONE = "none", _("No current risk indicated")
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


# The clinical content of a note: what the signature's hash covers.
CONTENT_FIELDS = ("data", "assessment", "plan", "risk_level", "risk_notes")


class ProgressNote(models.Model):
    """One note per attended session (DAP: Data, Assessment, Plan; see README)."""

    session = models.OneToOneField(
        "sessions_app.CounselingSession", on_delete=models.PROTECT, related_name="note"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.TextField(
        blank=True, help_text=_("What happened: what the client said and did, what you observed.")
    )
    assessment = models.TextField(
        blank=True, help_text=_("Your clinical reading of it: progress, themes, the alliance.")
    )
    plan = models.TextField(
        blank=True, help_text=_("What comes next: tasks, next session, referrals.")
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE)
    risk_notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=NoteStatus.choices, default=NoteStatus.DRAFT, editable=False
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-session__starts_at"]
        indexes = [
            # The co-sign queue: the few notes waiting, among every note ever written.
            models.Index(
                fields=["author", "signed_at"],
                condition=Q(status="awaiting_cosign"),
                name="note_awaiting_cosign",
            ),
        ]

    def __str__(self) -> str:
        return f"Note for {self.session}"

    def content(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in CONTENT_FIELDS}

    def compute_sha256(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def is_editable(self) -> bool:
        return self.status == NoteStatus.DRAFT

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, field).strip() for field in ("data", "assessment", "plan"))


class NoteEvent(models.Model):
    """The note's history: signed, submitted for co-signature, returned, co-signed."""

    class Action(models.TextChoices):
        SIGNED = "signed", _("Signed")
        SUBMITTED = "submitted", _("Signed and sent for co-signature")
        RETURNED = "returned", _("Returned with a comment")
        COSIGNED = "cosigned", _("Co-signed")

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor}"


class NoteAddendum(models.Model):
    """A dated correction or addition to a signed note. Never changed once written."""

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum by {self.author} on {self.written_at:%Y-%m-%d}"
