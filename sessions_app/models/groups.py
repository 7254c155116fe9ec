"""Groups, their members (with join and exit) and attendance per group session."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> GroupQuerySet:
        """Facilitators see their groups; supervisors see their supervisees' groups."""
        from practice.staff.models import Supervision

        if not (user.is_authenticated and user.is_active):
            return self.none()
        supervisees = Supervision.objects.current().filter(supervisor=user).values("supervisee")
        return self.filter(
            pk__in=self.model.objects.filter(
                Q(facilitators=user) | Q(facilitators__in=supervisees)
            ).values("pk")
        )

    def run_by(self, user) -> GroupQuerySet:
        """Groups the user facilitates (and so may change)."""
        return self.filter(facilitators=user) if user.is_authenticated else self.none()


class Group(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_groups"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="group_ends_after_start",
                violation_error_message=_("A group cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    class ExitReason(models.TextChoices):
        COMPLETED = "completed", _("Completed the group")
        MOVED_ON = "moved_on", _("Moved to other care")
        STOPPED_ATTENDING = "stopped_attending", _("Stopped attending")
        NOT_A_FIT = "not_a_fit", _("Group was not a good fit")
        OTHER = "other", _("Other")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="members")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="group_memberships"
    )
    joined_on = models.DateField(default=timezone.localdate)
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)

    class Meta:
        ordering = ["client__legal_last_name", "client__legal_first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "client"],
                condition=Q(exited_on__isnull=True),
                name="one_current_membership_per_client",
                violation_error_message=_("This client is already a member of the group."),
            ),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("joined_on")),
                name="member_exits_after_joining",
                violation_error_message=_("A member cannot leave before joining."),
            ),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | ~Q(exit_reason=""),
                name="member_exit_has_reason",
                violation_error_message=_("Give the reason the member left."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} in {self.group}"

    def is_member_on(self, day) -> bool:
        return self.joined_on <= day and (self.exited_on is None or self.exited_on >= day)


class GroupAttendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(
        "sessions_app.CounselingSession", on_delete=models.PROTECT, related_name="attendance"
    )
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="attendance")
    presence = models.CharField(max_length=8, choices=Presence.choices)
    note_line = models.CharField(
        max_length=280, blank=True, help_text=_("One line on this member in this session.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.session}: {self.presence}"
