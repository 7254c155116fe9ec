"""Staff: the custom User, their roles and the supervision links between them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from practice.languages import language_field

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Role(models.TextChoices):
    COUNSELOR = "counselor", pgettext_lazy("role", "Counselor")
    SUPERVISOR = "supervisor", pgettext_lazy("role", "Supervisor")
    PRACTICE_ADMIN = "practice_admin", pgettext_lazy("role", "Practice admin")


class StaffQuerySet(models.QuerySet):
    def counselors(self) -> StaffQuerySet:
        return self.filter(is_active=True, is_counselor=True)

    def supervisors(self) -> StaffQuerySet:
        return self.filter(is_active=True, is_supervisor=True)


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A member of staff. One person may hold several roles."""

    is_counselor = models.BooleanField(_("counselor"), default=False)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    is_practice_admin = models.BooleanField(_("practice admin"), default=False)
    credentials = models.CharField(
        max_length=120, blank=True, help_text=_("Shown under the signature, e.g. “LPC, MA”.")
    )
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    language = language_field(_("language"), help_text=_("The language of every page you see."))
    notes_require_cosign = models.BooleanField(
        _("notes need co-signing"),
        default=False,
        help_text=_("Associates and trainees whose notes wait for a supervisor's co-signature."),
    )

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> list[Role]:
        held = [
            (self.is_supervisor, Role.SUPERVISOR),
            (self.is_counselor, Role.COUNSELOR),
            (self.is_practice_admin, Role.PRACTICE_ADMIN),
        ]
        return [role for has_role, role in held if has_role]

    @property
    def display_with_credentials(self) -> str:
        return f"{self}, {self.credentials}" if self.credentials else str(self)

    def supervisees(self, on: dt.date | None = None) -> StaffQuerySet:
        """Staff this user supervises on the given day (today by default)."""
        return User.objects.filter(
            supervisions_received__in=Supervision.objects.current(on).filter(supervisor=self)
        ).distinct()

    def supervises(self, other: User, on: dt.date | None = None) -> bool:
        return Supervision.objects.current(on).filter(supervisor=self, supervisee=other).exists()


class SupervisionQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> SupervisionQuerySet:
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Supervision(models.Model):
    """A supervisor oversees a supervisee between two dates. A supervisee may have several."""

    supervisor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="supervisions_given"
    )
    supervisee = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="supervisions_received"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["supervisor", "supervisee", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("supervisee")),
                name="supervision_not_self",
                violation_error_message=_("A person cannot supervise themselves."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="supervision_ends_after_start",
                violation_error_message=_("A supervision cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["supervisor", "supervisee", "starts_on"], name="supervision_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"
