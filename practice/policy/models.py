"""The practice policy (one row, set by the admin) and the history of its changes."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from practice.documents.storage import private_storage
from practice.languages import language_field
from practice.staff.models import User

# The policy read once for a request that cannot change it (see practice.policy.middleware):
# None outside such a request, else {} until the first read and {"policy": …} after it.
read_in_this_request: ContextVar[dict | None] = ContextVar(
    "policy_read_in_this_request", default=None
)


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
# The French defaults are Québec's: Info-Social 811, the Québec suicide prevention line and 9-8-8.
DEFAULT_CRISIS_RESOURCES_FR = (
    "Urgence : composez le 911\n"
    "Info-Social : composez le 811, option 2 (jour et nuit)\n"
    "Ligne québécoise de prévention du suicide : 1 866 APPELLE (1 866 277-3553)\n"
    "Ligne d'aide en cas de crise de suicide : appelez ou textez le 9-8-8"
)


def mfa_required_default() -> bool:
    """Production requires two-factor sign-in from the first day; the demo and tests do not."""

    return settings.MFA_REQUIRED_DEFAULT


class CosignScope(models.TextChoices):
    NOBODY = "nobody", _("Nobody")
    MARKED = "marked", _("Counselors marked as needing co-signing")
    EVERYONE = "everyone", _("Every counselor")


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
    crisis_resources_fr = models.TextField(
        _("crisis resources (French)"), default=DEFAULT_CRISIS_RESOURCES_FR
    )
    # The language of the documents a counselor produces for others (closing summary, referral
    # letter) unless they choose another; and of a new client's correspondence.
    language = language_field(
        _("practice language"),
        help_text=_("New clients' language of correspondence and the documents' default."),
    )
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
        default=30, help_text=_("Alliance check-in total (0–40) below which an alert is raised.")
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
    # Reports: the admin never sees a count this small (a small cell can point at one client).
    report_min_cell_size = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    # Check-ins on the client's own phone (sessions_app/checkins) and the relapse watch
    checkin_expiry_hours = models.PositiveSmallIntegerField(
        _("check-in expiry (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("How long the link of a session check-in works."),
    )
    follow_up_checkin_expiry_days = models.PositiveSmallIntegerField(
        _("follow-up check-in expiry (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long the link of a follow-up check-in after the ending works."),
    )
    checkin_before_session = models.JSONField(
        _("instruments sent before sessions"),
        default=default_checkin_before_session,
        blank=True,
        help_text=_("Which instruments go out before a session, and at which sessions."),
    )
    checkin_hours_before_session = models.PositiveSmallIntegerField(
        _("hours before the session"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
        help_text=_("When the before-session check-in is sent."),
    )
    # Residual symptoms at the end (PHQ-9 or GAD-7 from 5 up to the cutoff) nearly double the
    # risk of relapse (hazard ratio 1.9), and 79% of relapses come in the first 6 months:
    # Ali et al. 2017, Behaviour Research and Therapy 94:1-8 (439 people after low-intensity
    # CBT). 5 is the floor of the "mild" band of both (Kroenke 2001; Spitzer 2006).
    residual_symptoms_from = models.PositiveSmallIntegerField(
        _("residual symptoms from"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
        help_text=_(
            "A last PHQ-9 or GAD-7 from this score up to the cutoff makes the relapse "
            "watch monthly."
        ),
    )
    residual_watch_months = models.PositiveSmallIntegerField(
        _("monthly watch for (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "How long the monthly relapse watch lasts after an ending with residual "
            "symptoms (Ali et al. 2017: most relapses come in the first 6 months)."
        ),
    )
    risk_alert_to_supervisor = models.BooleanField(
        _("risk alerts to supervisors too"),
        default=True,
        help_text=_("A risk item endorsed on a check-in alerts the counselor's supervisors too."),
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
    letter_footer_fr = models.CharField(_("letter footer (French)"), max_length=300, blank=True)
    logo = models.FileField(upload_to="letterhead/", storage=private_storage, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("practice policy")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="practice_policy_singleton")]

    def __str__(self) -> str:
        return f"Policy of {self.practice_name}"

    @classmethod
    def current(cls) -> PracticePolicy:
        """The practice's policy; read once per GET request, and on every call elsewhere."""
        memo = read_in_this_request.get()
        if memo is not None and "policy" in memo:
            return memo["policy"]
        policy, _ = cls.objects.get_or_create(pk=1)
        if memo is not None:
            memo["policy"] = policy
        return policy

    def clean(self) -> None:
        offsets = self.follow_up_offsets_days
        if not isinstance(offsets, list) or not all(
            isinstance(day, int) and day > 0 for day in offsets
        ):
            raise ValidationError(
                {"follow_up_offsets_days": _("Use positive whole numbers of days.")}
            )
        if offsets != sorted(set(offsets)):
            raise ValidationError(
                {"follow_up_offsets_days": _("List the offsets in ascending order, each once.")}
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
                {
                    "checkin_before_session": _(
                        "Give each instrument and how often (every N sessions)."
                    )
                }
            )
        if self.retention_years < self.retention_legal_minimum_years:
            raise ValidationError(
                {"retention_years": _("Retention cannot be shorter than the legal minimum.")}
            )

    def text_in(self, field: str, language: str | None = None) -> str:
        """An admin-typed text (crisis_resources, letter_footer) in ``language`` (the active one
        by default): the French version when the language is French and it is filled in, the
        English one otherwise."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        if language.startswith("fr") and getattr(self, f"{field}_fr", ""):
            return getattr(self, f"{field}_fr")
        return getattr(self, field)

    def needs_cosign(self, counselor: User) -> bool:
        if self.cosign_required_for == CosignScope.EVERYONE:
            return True
        return self.cosign_required_for == CosignScope.MARKED and counselor.notes_require_cosign


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
