"""Practice-wide domain: staff and their roles, supervision links, practice policy, audit log."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .storage import private_storage

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Role(models.TextChoices):
    COUNSELOR = "counselor", "Counselor"
    SUPERVISOR = "supervisor", "Supervisor"
    PRACTICE_ADMIN = "practice_admin", "Practice admin"


class StaffQuerySet(models.QuerySet):
    def counselors(self) -> StaffQuerySet:
        return self.filter(is_active=True, is_counselor=True)

    def supervisors(self) -> StaffQuerySet:
        return self.filter(is_active=True, is_supervisor=True)


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A member of staff. One person may hold several roles."""

    is_counselor = models.BooleanField("counselor", default=False)
    is_supervisor = models.BooleanField("supervisor", default=False)
    is_practice_admin = models.BooleanField("practice admin", default=False)
    credentials = models.CharField(
        max_length=120, blank=True, help_text="Shown under the signature, e.g. “LPC, MA”."
    )
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    notes_require_cosign = models.BooleanField(
        "notes need co-signing",
        default=False,
        help_text="Associates and trainees whose notes wait for a supervisor's co-signature.",
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
                violation_error_message="A person cannot supervise themselves.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="supervision_ends_after_start",
                violation_error_message="A supervision cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["supervisor", "supervisee", "starts_on"], name="supervision_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"


def default_follow_up_offsets() -> list[int]:
    return [30, 90, 180]


def default_checkin_before_session() -> list[dict]:
    # The alliance check-in at every session, PHQ-9 at every fourth (sessions 1, 5, 9 ...):
    # the rhythm of the example; routine outcome monitoring asks symptom measures less
    # often than the alliance (Lambert, "Prevention of Treatment Failure", APA 2010).
    return [{"instrument": "Alliance", "every": 1}, {"instrument": "PHQ-9", "every": 4}]


DEFAULT_CRISIS_RESOURCES = (
    "Emergency services: call 911\n"
    "988 Suicide & Crisis Lifeline: call or text 988\n"
    "Crisis Text Line: text HOME to 741741"
)


def mfa_required_default() -> bool:
    """Production requires two-factor sign-in from the first day; the demo and tests do not."""
    from django.conf import settings

    return settings.MFA_REQUIRED_DEFAULT


class CosignScope(models.TextChoices):
    NOBODY = "nobody", "Nobody"
    MARKED = "marked", "Counselors marked as needing co-signing"
    EVERYONE = "everyone", "Every counselor"


class PracticePolicy(models.Model):
    """The practice's rules, one row, edited by the practice admin. Defaults from DESIGN.md."""

    # Endings
    minimum_notice_days = models.PositiveSmallIntegerField(
        default=14, validators=[MaxValueValidator(120)]
    )
    silent_client_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    outreach_attempts_before_letter = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    closing_summary_due_days = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    follow_up_offsets_days = models.JSONField(default=default_follow_up_offsets)
    no_relationship_years = models.PositiveSmallIntegerField(default=5)
    closure_requires_approval = models.BooleanField(default=True)
    closing_letter_referrals = models.PositiveSmallIntegerField(
        default=3, validators=[MaxValueValidator(10)]
    )
    crisis_resources = models.TextField(default=DEFAULT_CRISIS_RESOURCES)
    # Records
    retention_years = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    retention_legal_minimum_years = models.PositiveSmallIntegerField(default=7)
    age_of_majority = models.PositiveSmallIntegerField(default=18)
    minor_retention_years_after_majority = models.PositiveSmallIntegerField(default=3)
    # Notes and supervision
    note_signing_due_hours = models.PositiveSmallIntegerField(
        default=72, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    cosign_required_for = models.CharField(
        max_length=10, choices=CosignScope.choices, default=CosignScope.MARKED
    )
    alliance_cutoff = models.PositiveSmallIntegerField(
        default=30, help_text="Alliance check-in total (0–40) below which an alert is raised."
    )
    alliance_drop_points = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1)]
    )
    plan_review_interval_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    off_track_after_sessions = models.PositiveSmallIntegerField(default=6)
    maximum_caseload = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1)]
    )
    # Check-ins on the client's own phone (sessions_app/checkins) and the relapse watch
    checkin_expiry_hours = models.PositiveSmallIntegerField(
        "check-in expiry (hours)",
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text="How long the link of a session check-in works.",
    )
    follow_up_checkin_expiry_days = models.PositiveSmallIntegerField(
        "follow-up check-in expiry (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long the link of a follow-up check-in after the ending works.",
    )
    checkin_before_session = models.JSONField(
        "instruments sent before sessions",
        default=default_checkin_before_session,
        blank=True,
        help_text="Which instruments go out before a session, and at which sessions.",
    )
    checkin_hours_before_session = models.PositiveSmallIntegerField(
        "hours before the session",
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
        help_text="When the before-session check-in is sent.",
    )
    # Residual symptoms at the end (PHQ-9 or GAD-7 from 5 up to the cutoff) nearly double the
    # risk of relapse (hazard ratio 1.9), and 79% of relapses come in the first 6 months:
    # Ali et al. 2017, Behaviour Research and Therapy 94:1-8 (439 people after low-intensity
    # CBT). 5 is the floor of the "mild" band of both (Kroenke 2001; Spitzer 2006).
    residual_symptoms_from = models.PositiveSmallIntegerField(
        "residual symptoms from",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
        help_text="A last PHQ-9 or GAD-7 from this score up to the cutoff makes the relapse "
        "watch monthly.",
    )
    residual_watch_months = models.PositiveSmallIntegerField(
        "monthly watch for (months)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="How long the monthly relapse watch lasts after an ending with residual "
        "symptoms (Ali et al. 2017: most relapses come in the first 6 months).",
    )
    risk_alert_to_supervisor = models.BooleanField(
        "risk alerts to supervisors too",
        default=True,
        help_text="A risk item endorsed on a check-in alerts the counselor's supervisors too.",
    )
    # Security
    mfa_required = models.BooleanField(default=mfa_required_default)
    idle_logoff_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    # Letterhead
    practice_name = models.CharField(max_length=200, default="Counseling Practice")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    letter_footer = models.CharField(max_length=300, blank=True)
    logo = models.FileField(upload_to="letterhead/", storage=private_storage, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "practice policy"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="practice_policy_singleton")]

    def __str__(self) -> str:
        return f"Policy of {self.practice_name}"

    @classmethod
    def current(cls) -> PracticePolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def clean(self) -> None:
        offsets = self.follow_up_offsets_days
        if not isinstance(offsets, list) or not all(
            isinstance(day, int) and day > 0 for day in offsets
        ):
            raise ValidationError({"follow_up_offsets_days": "Use positive whole numbers of days."})
        if offsets != sorted(set(offsets)):
            raise ValidationError(
                {"follow_up_offsets_days": "List the offsets in ascending order, each once."}
            )
        rules = self.checkin_before_session
        if not isinstance(rules, list) or not all(
            isinstance(rule, dict)
            and isinstance(rule.get("instrument"), str)
            and isinstance(rule.get("every"), int)
            and rule["every"] > 0
            for rule in rules
        ):
            raise ValidationError(
                {"checkin_before_session": "Give each instrument and how often (every N sessions)."}
            )
        if self.retention_years < self.retention_legal_minimum_years:
            raise ValidationError(
                {"retention_years": "Retention cannot be shorter than the legal minimum."}
            )

    def needs_cosign(self, counselor: User) -> bool:
        if self.cosign_required_for == CosignScope.EVERYONE:
            return True
        return self.cosign_required_for == CosignScope.MARKED and counselor.notes_require_cosign


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("The audit log is append-only.")

    def delete(self):  # type: ignore[override]
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Never content; never changed."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        TRANSITION = "transition", "Changed state"
        SIGN = "sign", "Signed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOGOUT = "logout", "Signed out"
        MFA = "mfa", "Two-factor change"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise PermissionError("The audit log is append-only.")


class PolicyChange(models.Model):
    """One changed policy value: who, when, old and new. The policy page shows these as history."""

    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=60)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        try:
            return str(PracticePolicy._meta.get_field(self.field).verbose_name).capitalize()
        except Exception:  # a field since removed
            return self.field


# Reminders and alerts --------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    """Every kind of reminder and alert. Each has three email templates under
    templates/emails/reminders/ (<kind>_subject.txt, <kind>.txt, <kind>.html)."""

    AGENDA = "agenda", "Your sessions today"
    CLIENT_SESSION = "client_session", "Session reminder to the client"
    NOTE_UNSIGNED = "note_unsigned", "Progress note not signed"
    NOTE_UNSIGNED_SUPERVISOR = "note_unsigned_supervisor", "Supervisee's note long unsigned"
    FINAL_SESSION = "final_session", "Final session approaching"
    SUMMARY_DUE = "summary_due", "Closing summary due"
    SUMMARY_OVERDUE = "summary_overdue", "Closing summary overdue"
    APPROVAL_WAITING = "approval_waiting", "Closing summary waiting for approval"
    FOLLOW_UP_DUE = "follow_up_due", "Follow-up due"
    FOLLOW_UP_OVERDUE = "follow_up_overdue", "Follow-up overdue"
    SILENT_CLIENT = "silent_client", "Client without contact"
    ALLIANCE_ALERT = "alliance_alert", "Alliance alert"
    ALLIANCE_ALERT_REPEATED = "alliance_alert_repeated", "Repeated alliance alert"
    CONSENT_EXPIRING = "consent_expiring", "Consent expiring"
    PLAN_REVIEW_DUE = "plan_review_due", "Plan review due"
    RETENTION_REPORT = "retention_report", "Records past their retention date"
    CHECKIN_RISK = "checkin_risk", "Risk item endorsed on a check-in"
    CHECKIN_ANSWERED = "checkin_answered", "Check-in answered before a session"
    RELAPSE_SIGNAL = "relapse_signal", "Relapse signal after an ending"


class EmailState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed after the last try"
    SKIPPED = "skipped", "Not emailed"


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
    object_id = models.BigIntegerField(help_text="The record the reminder is about.")
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
    source = models.CharField(max_length=30, help_text="The sweep (or alert) that made it.")
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
