"""Counseling sessions: individual or group, scheduled and then attended or not."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class SessionKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    REGULAR = "regular", _("Regular")
    FINAL = "final", _("Final")
    FOLLOW_UP = "follow_up", _("Follow-up")
    BOOSTER = "booster", _("Booster")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ATTENDED = "attended", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")
    LATE_CANCELLED = "late_cancelled", _("Late-cancelled")
    NO_SHOW = "no_show", _("No-show")


# A cancelled session frees the counselor's time; the others keep it booked.
BOOKED_STATUSES = (
    SessionStatus.SCHEDULED,
    SessionStatus.ATTENDED,
    SessionStatus.LATE_CANCELLED,
    SessionStatus.NO_SHOW,
)


class SessionQuerySet(models.QuerySet):
    def booked(self) -> SessionQuerySet:
        return self.filter(status__in=BOOKED_STATUSES)

    def visible_to(self, user) -> SessionQuerySet:
        """Sessions with clients whose record the user may read, and sessions of groups they
        may see."""
        from clients.models import Client
        from sessions_app.models.groups import Group

        return self.filter(
            Q(client__in=Client.objects.clinical_for(user))
            | Q(group__in=Group.objects.visible_to(user))
        )

    def overlapping(self, start: dt.datetime, end: dt.datetime) -> SessionQuerySet:
        """Sessions that share any minute with [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class CounselingSession(models.Model):
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counseling_sessions"
    )
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    group = models.ForeignKey(
        "sessions_app.Group",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    ends_at = models.DateTimeField(editable=False)
    modality = models.CharField(max_length=10, choices=Modality.choices, default=Modality.IN_PERSON)
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR)
    status = models.CharField(
        max_length=15,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
        editable=False,
    )
    status_reason = models.CharField(max_length=200, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Attended, and its note is missing or still a draft. Derived, and kept true by the one
    # function that computes it (sessions_app.services.sessions.session_refresh_note_due), which
    # the session and note services call; the caseload, the board and the unsigned-notes sweep
    # read it through a small partial index instead of joining every session to its note.
    note_due = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["counselor", "starts_at"]),
            models.Index(fields=["client", "status", "starts_at"]),
            models.Index(
                fields=["client", "ends_at"], condition=Q(note_due=True), name="session_note_due"
            ),
            # Booster sessions after an ending (the after-the-end report): a few among thousands.
            models.Index(
                fields=["client", "starts_at"],
                condition=Q(kind=SessionKind.BOOSTER),
                name="session_booster",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(client__isnull=False) & Q(group__isnull=True))
                | (Q(client__isnull=True) & Q(group__isnull=False)),
                name="session_for_a_client_or_a_group",
                violation_error_message=_("A session is either with one client or with a group."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="session_duration_5_to_480_minutes",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        who = self.client or self.group
        return f"{self.get_kind_display()} session with {who}, {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_group(self) -> bool:
        return self.group_id is not None
