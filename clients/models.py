"""Clients, their consents and treatment goals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from practice.formats import when
from practice.languages import language_field
from practice.staff.models import Supervision, User


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDING = "ending", pgettext_lazy("client status", "Ending")
    CLOSED = "closed", pgettext_lazy("client status", "Closed")


class ClientQuerySet(models.QuerySet):
    """Who may see which client. Every view goes through these."""

    def clinical_for(self, user: User, on: dt.date | None = None) -> ClientQuerySet:
        """Clients whose clinical record the user may read: their own, those they cover,
        and (for supervisors) their current supervisees' clients."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        day = on or timezone.localdate()
        visible = Q()
        if user.is_counselor:
            visible |= Q(primary_counselor=user) | Q(
                coverages__counselor=user,
                coverages__starts_on__lte=day,
                coverages__ends_on__gte=day,
            )
        if user.is_supervisor:
            supervisees = Supervision.objects.current(day).filter(supervisor=user)
            visible |= Q(primary_counselor__in=supervisees.values("supervisee"))
        if not visible:
            return self.none()
        return self.filter(pk__in=self.model.objects.filter(visible).values("pk"))

    def editable_by(self, user: User, on: dt.date | None = None) -> ClientQuerySet:
        """Clients whose record the user may change: their own and those they cover."""
        if not (user.is_authenticated and user.is_active and user.is_counselor):
            return self.none()
        day = on or timezone.localdate()
        return self.filter(
            pk__in=self.model.objects.filter(
                Q(primary_counselor=user)
                | Q(
                    coverages__counselor=user,
                    coverages__starts_on__lte=day,
                    coverages__ends_on__gte=day,
                )
            ).values("pk")
        )

    def directory_for(self, user: User) -> ClientQuerySet:
        """The client directory (names, counselor, status, dates): practice admins see all."""
        if user.is_authenticated and user.is_active and user.is_practice_admin:
            return self.all()
        return self.clinical_for(user)

    def assignable_by(self, user: User) -> ClientQuerySet:
        """Clients the user may assign or transfer: admins all, supervisors their supervisees'."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_practice_admin:
            return self.all()
        if user.is_supervisor:
            supervisees = Supervision.objects.current().filter(supervisor=user)
            return self.filter(primary_counselor__in=supervisees.values("supervisee"))
        return self.none()


class Client(models.Model):
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text=_("What the client likes to be called.")
    )
    pronouns = models.CharField(
        max_length=40, blank=True, help_text=_("For example she/her, they/them.")
    )
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    may_write = models.BooleanField(
        _("may we write"), default=False, help_text=_("The client agreed to letters by post.")
    )
    may_email = models.BooleanField(
        _("may we email"), default=False, help_text=_("The client agreed to messages by email.")
    )
    # Everything sent to the client (letters, reminders, check-ins, crisis resources) is in this
    # language, whatever language the counselor works in.
    language = language_field(
        _("language of correspondence"),
        help_text=_("Letters, reminders and check-ins go to the client in this language."),
    )
    presenting_concerns = models.TextField(blank=True)
    intake_date = models.DateField(default=timezone.localdate)
    primary_counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="primary_clients"
    )
    status = models.CharField(
        max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE, editable=False
    )
    opened_on = models.DateField(default=timezone.localdate, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    legal_hold = models.BooleanField(
        default=False, help_text=_("Never eligible for destruction while set.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "pk"]
        indexes = [
            models.Index(fields=["primary_counselor", "status"]),
            models.Index(fields=["legal_last_name", "legal_first_name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="client_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def initials(self) -> str:
        return f"{self.legal_first_name[:1]}{self.legal_last_name[:1]}".upper()

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @cached_property
    def is_minor(self) -> bool:
        from practice.policy.models import PracticePolicy

        return self.age < PracticePolicy.current().age_of_majority

    @property
    def is_closed(self) -> bool:
        return self.status == ClientStatus.CLOSED


class ClientTransfer(models.Model):
    """A change of primary counselor, with when and why."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="transfers")
    from_counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(default=timezone.localdate)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-transferred_on", "-pk"]

    def __str__(self) -> str:
        return gettext("Transfer of %(client)s on %(date)s") % {
            "client": self.client,
            "date": when(self.transferred_on, "date"),
        }


class Coverage(models.Model):
    """Another counselor covers a client for a while (leave, holidays)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="coverages")
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coverages"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="coverage_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(counselor)s covers %(client)s") % {
            "counselor": self.counselor,
            "client": self.client,
        }


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", _("Consent to treatment")
    RELEASE = "release", _("Release of information")
    ELECTRONIC = "electronic", _("Electronic communication")


class InformationCategory(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance and dates of service")
    ASSESSMENT = "assessment", _("Assessment and presenting concerns")
    TREATMENT_PLAN = "treatment_plan", _("Treatment goals and progress")
    MEASURES = "measures", _("Measure scores")
    CLOSING_SUMMARY = "closing_summary", _("Closing summary")
    REFERRAL = "referral", _("Referral information")


class ConsentQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> ConsentQuerySet:
        return (
            self.filter(signed_on__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
            .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
        )


class Consent(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    signed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    expiry_event = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("An event that ends the consent, e.g. end of treatment."),
    )
    revoked_on = models.DateField(null=True, blank=True)
    recipient_name = models.CharField(max_length=150, blank=True)
    recipient_organisation = models.CharField(max_length=150, blank=True)
    information = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("signed_on")),
                name="consent_expires_after_signed",
                violation_error_message=_("A consent cannot expire before it was signed."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("signed_on")),
                name="consent_revoked_after_signed",
                violation_error_message=_("A consent cannot be revoked before it was signed."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ConsentKind.RELEASE) | ~Q(recipient_name=""),
                name="release_names_a_recipient",
                violation_error_message=_("A release of information must name its recipient."),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == ConsentKind.RELEASE:
            return gettext("Release to %(recipient)s") % {"recipient": self.recipient_label}
        return self.get_kind_display()

    @property
    def recipient_label(self) -> str:
        return ", ".join(
            part for part in (self.recipient_name, self.recipient_organisation) if part
        )

    def state_on(self, day: dt.date) -> str:
        if self.revoked_on and self.revoked_on <= day:
            return "revoked"
        if self.expires_on and self.expires_on < day:
            return "expired"
        if self.signed_on > day:
            return "not yet signed"
        return "valid"

    def information_labels(self) -> list[str]:
        labels = dict(InformationCategory.choices)
        return [labels.get(code, code) for code in self.information]


class GoalStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("goal status", "Active")
    MET = "met", pgettext_lazy("goal status", "Met")
    PARTLY_MET = "partly_met", pgettext_lazy("goal status", "Partly met")
    NOT_MET = "not_met", pgettext_lazy("goal status", "Not met")
    DISCONTINUED = "discontinued", pgettext_lazy("goal status", "Discontinued")


class Goal(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="goals")
    description = models.CharField(max_length=300, help_text=_("What the client wants to change."))
    measure = models.CharField(
        max_length=300, help_text=_("How you will both know it is reached (measurable target).")
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=14, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    status_changed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class GoalProgress(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress_entries")
    recorded_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("How far along, 0 (not started) to 10 (reached).")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__lte=10),
                name="goal_progress_rating_0_10",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Progress on %(goal)s (%(date)s)") % {
            "goal": self.goal,
            "date": when(self.recorded_on, "date"),
        }


class PlanReview(models.Model):
    """A dated review of the treatment plan; the next is due after the policy's interval."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="plan_reviews")
    reviewed_on = models.DateField(default=timezone.localdate)
    summary = models.CharField(max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return gettext("Plan review of %(client)s on %(date)s") % {
            "client": self.client,
            "date": when(self.reviewed_on, "date"),
        }


class ReviewComment(models.Model):
    """A supervisor's comment on a client's record: seen by the counselor and supervisors only."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="review_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Review comment by %(author)s on %(client)s") % {
            "author": self.author,
            "client": self.client,
        }


class ChartReview(models.Model):
    """A supervisor marked a client's chart as reviewed for a month."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="chart_reviews")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(help_text=_("The first day of the month reviewed."))
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "supervisor", "month"], name="one_chart_review_per_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="chart_review_month_start"),
        ]

    def __str__(self) -> str:
        return gettext("%(client)s reviewed by %(supervisor)s for %(month)s") % {
            "client": self.client,
            "supervisor": self.supervisor,
            "month": when(self.month, "month"),
        }
