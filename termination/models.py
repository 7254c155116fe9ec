"""The ending of counseling: one workflow per ending, its steps, and a log of every move.

States (see README for the diagram):

    preparing ──sign summary──▶ awaiting_approval ──approve──▶ ready_to_close ──close──▶ closed
        │   ▲                         │                            ▲                     │
        │   └──────return─────────────┘                            │                  reopen
        ├──sign summary (no approval required)─────────────────────┘                     ▼
        └──withdraw──▶ withdrawn                                                      reopened

Steps (notice, reasons, referrals, relapse plan, tapering, outreach, closing letter) are completed
while preparing, in any order. Follow-ups are recorded after closing.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from practice.languages import language_field


class TerminationState(models.TextChoices):
    PREPARING = "preparing", _("In preparation")
    AWAITING_APPROVAL = "awaiting_approval", _("Summary awaiting approval")
    READY_TO_CLOSE = "ready_to_close", _("Ready to close")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    WITHDRAWN = "withdrawn", _("Withdrawn (counseling continues)")


OPEN_STATES = (
    TerminationState.PREPARING,
    TerminationState.AWAITING_APPROVAL,
    TerminationState.READY_TO_CLOSE,
)


class EndingKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNPLANNED = "unplanned", _("Unplanned")


class Initiator(models.TextChoices):
    CLIENT = "client", _("The client")
    COUNSELOR = "counselor", _("The counselor")
    BOTH = "both", _("Client and counselor together")
    PRACTICE = "practice", _("The practice")


class Reason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    NOT_BENEFITING = "not_benefiting", _("Not benefiting from counseling")
    HIGHER_CARE = "higher_care", _("Needs a higher level of care")
    RELOCATION = "relocation", _("Relocation")
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("Conflict of interest")
    FINANCIAL = "financial", _("Financial (including non-payment)")
    SCOPE = "scope", _("Outside the counselor's scope of competence")
    COUNSELOR_LEAVING = "counselor_leaving", _("Counselor leaving")
    RISK_TO_COUNSELOR = "risk_to_counselor", _("Risk to the counselor")
    STOPPED_ATTENDING = "stopped_attending", _("Client stopped attending")
    OTHER = "other", _("Other")


# Reasons that mean the client still needs care: a referral is required.
REASONS_NEEDING_REFERRAL = frozenset(
    {
        Reason.NOT_BENEFITING,
        Reason.HIGHER_CARE,
        Reason.SCOPE,
        Reason.COUNSELOR_LEAVING,
        Reason.RISK_TO_COUNSELOR,
        Reason.RELOCATION,
    }
)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")


class Helped(models.TextChoices):
    A_LOT = "a_lot", _("A lot")
    SOMEWHAT = "somewhat", _("Somewhat")
    A_LITTLE = "a_little", _("A little")
    NOT_AT_ALL = "not_at_all", _("Not at all")


class BreakKind(models.TextChoices):
    TEMPORARY = "temporary", _("A break (temporary)")
    PERMANENT = "permanent", _("An ending (permanent)")
    UNSURE = "unsure", _("Not decided")


class TerminationQuerySet(models.QuerySet):
    def open(self) -> TerminationQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, user) -> TerminationQuerySet:
        from clients.models import Client

        return self.filter(client__in=Client.objects.clinical_for(user))

    def editable_by(self, user) -> TerminationQuerySet:
        from clients.models import Client

        return self.filter(client__in=Client.objects.editable_by(user))


class Termination(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="terminations"
    )
    kind = models.CharField(max_length=10, choices=EndingKind.choices)
    initiated_by = models.CharField(max_length=10, choices=Initiator.choices)
    state = models.CharField(
        max_length=20,
        choices=TerminationState.choices,
        default=TerminationState.PREPARING,
        editable=False,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # 1. Notice and the pre-ending conversation
    notice_recorded_at = models.DateTimeField(null=True, blank=True)
    raised_on = models.DateField(null=True, blank=True)
    final_session_on = models.DateField(null=True, blank=True)
    notice_override_reason = models.TextField(blank=True)
    more_help_needed = models.CharField(max_length=6, choices=Answer.choices, blank=True)
    counseling_helped = models.CharField(max_length=10, choices=Helped.choices, blank=True)
    break_kind = models.CharField(max_length=10, choices=BreakKind.choices, blank=True)
    client_view = models.TextField(blank=True)

    # 2. Reasons
    reasons_recorded_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=24, choices=Reason.choices, blank=True)
    reason_narrative = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    feelings_about_future_help = models.TextField(blank=True)
    fees_explained = models.BooleanField(default=False)
    client_not_in_danger = models.BooleanField(default=False)
    consequences_discussed = models.BooleanField(default=False)

    # Unplanned path: closing letter
    closing_letter_recorded_at = models.DateTimeField(null=True, blank=True)
    closing_letter_sent_on = models.DateField(null=True, blank=True)
    closing_letter_alternative = models.TextField(
        blank=True,
        help_text=_("What was done instead where the client did not consent to letters."),
    )

    # 8. Close (and reopen)
    ended_on = models.DateField(null=True, blank=True, help_text=_("Date of the last contact."))
    relationship_barred_until = models.DateField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)

    objects = TerminationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_termination_per_client",
                violation_error_message=_("This client already has an ending in progress."),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == EndingKind.PLANNED:
            return gettext("Planned ending for %(name)s") % {"name": self.client}
        return gettext("Unplanned ending for %(name)s") % {"name": self.client}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def needs_referral(self) -> bool:
        """The reason implies further care, or the client said they need more or different
        help in the pre-ending conversation."""
        return self.reason in REASONS_NEEDING_REFERRAL or self.more_help_needed == Answer.YES


STEP_LABELS = {
    "open": _("Ending opened"),
    "notice": _("Notice recorded"),
    "reasons": _("Reasons recorded"),
    "referral": _("Referral made"),
    "relapse_plan": _("Relapse plan saved"),
    "tapering": _("Tapering scheduled"),
    "outreach": _("Outreach logged"),
    "closing_letter": _("Closing letter recorded"),
    "summary_edit": _("Summary drafted"),
    "summary_sign": _("Summary signed"),
    "summary_approve": _("Summary approved"),
    "summary_return": _("Summary returned"),
    "summary_addendum": _("Summary addendum"),
    "close": _("Closed"),
    "follow_up": _("Follow-up recorded"),
    "reopen": _("Reopened"),
    "withdraw": _("Withdrawn"),
    "counselor_leaving": _("Counselor leaving"),
}


class TerminationEvent(models.Model):
    """Every step and transition of an ending: old state, new state, who, when, why."""

    termination = models.ForeignKey(Termination, on_delete=models.PROTECT, related_name="events")
    step = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=TerminationState.choices)
    to_state = models.CharField(max_length=20, choices=TerminationState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.step}: {self.from_state} → {self.to_state}"

    @property
    def step_label(self) -> str:
        return STEP_LABELS.get(self.step, self.step.replace("_", " ").capitalize())


class Provider(models.Model):
    """The practice's directory of people and services to refer clients to."""

    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    specialty = models.CharField(max_length=150, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    accepting_clients = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


class Referral(models.Model):
    termination = models.ForeignKey(Termination, on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField()
    made_on = models.DateField()
    release_valid = models.BooleanField(
        help_text=_(
            "A valid release of information named this provider when the referral was made."
        )
    )
    release_note = models.CharField(max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["made_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["termination", "provider"],
                name="one_referral_per_provider",
                violation_error_message=_("This provider is already referred to."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Referral to %(provider)s") % {"provider": self.provider}


class RelapsePlan(models.Model):
    """Warning signs, triggers, coping steps, support and when to come back: given to the client."""

    termination = models.OneToOneField(
        Termination, on_delete=models.PROTECT, related_name="relapse_plan"
    )
    warning_signs = models.TextField()
    triggers = models.TextField()
    # [{"sign": "...", "step": "..."}]: one coping step for each sign or trigger.
    coping_steps = models.JSONField(default=list)
    # [{"name": "...", "relation": "...", "phone": "..."}]
    support_contacts = models.JSONField(default=list)
    crisis_lines = models.TextField()
    when_to_come_back = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Relapse plan for {self.termination.client}"


class TaperSession(models.Model):
    """A session scheduled as part of spacing sessions out before the end."""

    termination = models.ForeignKey(
        Termination, on_delete=models.PROTECT, related_name="taper_sessions"
    )
    session = models.OneToOneField(
        "sessions_app.CounselingSession", on_delete=models.PROTECT, related_name="taper"
    )
    interval_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["session__starts_at"]

    def __str__(self) -> str:
        return f"Tapering session {self.session}"


class OutreachAttempt(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        MESSAGE_LEFT = "message_left", _("Message left")
        REACHED = "reached", _("Reached the client")
        UNDELIVERABLE = "undeliverable", _("Could not be delivered")

    termination = models.ForeignKey(
        Termination, on_delete=models.PROTECT, related_name="outreach_attempts"
    )
    attempted_on = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["attempted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.attempted_on}"


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet done")
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")
        RETURNED = "returned", _("Returned to care")

    termination = models.ForeignKey(
        Termination, on_delete=models.PROTECT, related_name="follow_ups"
    )
    offset_days = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["termination", "offset_days"], name="one_follow_up_per_offset"
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on}"


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Signed, awaiting approval")
    SIGNED = "signed", pgettext_lazy("closing summary", "Signed")


SUMMARY_CONTENT_FIELDS = (
    "service_dates",
    "attendance",
    "presenting_concerns",
    "goals_outcome",
    "measures",
    "alliance_trend",
    "reason",
    "condition_at_ending",
    "recommendations",
    "referrals",
    "relapse_plan",
)


class ClosingSummary(models.Model):
    """Assembled from the record, edited and signed by the counselor; frozen once signed."""

    termination = models.OneToOneField(
        Termination, on_delete=models.PROTECT, related_name="summary"
    )
    status = models.CharField(
        max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT, editable=False
    )
    due_on = models.DateField(null=True, blank=True)
    service_dates = models.TextField(_("dates of service"), blank=True)
    attendance = models.TextField(_("sessions attended and missed"), blank=True)
    presenting_concerns = models.TextField(blank=True)
    goals_outcome = models.TextField(_("goals and their outcome"), blank=True)
    measures = models.TextField(_("measures, first against latest"), blank=True)
    alliance_trend = models.TextField(blank=True)
    reason = models.TextField(_("reason for ending"), blank=True)
    condition_at_ending = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    referrals = models.TextField(blank=True)
    relapse_plan = models.TextField(_("relapse prevention plan"), blank=True)
    # The outcome the counselor gives each goal still active: {"<goal id>": "met" | ...}. It
    # becomes the goal's status at close, through the goal service.
    goal_outcomes = models.JSONField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Closing summary for {self.termination.client}"

    def content(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in SUMMARY_CONTENT_FIELDS}

    def compute_sha256(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class SummaryAddendum(models.Model):
    summary = models.ForeignKey(ClosingSummary, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum by {self.author}"


# Documents: generated PDFs ---------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    CLOSING_SUMMARY = "closing_summary", _("Closing summary")
    REFERRAL_LETTER = "referral_letter", _("Referral letter")
    AFTERCARE_LETTER = "aftercare_letter", _("After-care letter")
    CLOSING_LETTER = "closing_letter", _("Closing letter")


class DocumentState(models.TextChoices):
    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        return self.filter(termination__in=Termination.objects.visible_to(user))

    def editable_by(self, user) -> DocumentQuerySet:
        return self.filter(termination__in=Termination.objects.editable_by(user))


def _private_storage():
    from practice.documents.storage import private_storage

    return private_storage()


class Document(models.Model):
    """One generated PDF of an ending. Each request is a new version with its own row; once
    ready, its file and checksum never change (a later version is a new file)."""

    termination = models.ForeignKey(Termination, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    version = models.PositiveIntegerField()
    # The language the document is written in; each language has its own versions.
    language = language_field(_("language"))
    # What the counselor chose: the referral letter's sections, the closing letter's providers.
    options = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=10, choices=DocumentState.choices, default=DocumentState.PENDING, editable=False
    )
    # SHA-256 of the facts the document was built from: the same record gives the same value.
    record_version = models.CharField(max_length=64)
    record_label = models.CharField(max_length=120, blank=True)
    # The dates of the ending this version states (termination.dates.document_dates): when the
    # ending's dates move on, the workspace marks this version out of date.
    stated_dates = models.JSONField(null=True, blank=True)
    file = models.FileField(upload_to="documents/", storage=_private_storage, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # When the render task was last sent (the request, or a retry): a render lost by the queue
    # shows up as pending for too long after this.
    queued_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retrying = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["termination", "kind", "language", "version"],
                condition=Q(referral__isnull=True),
                name="one_document_per_language_and_version",
            ),
            models.UniqueConstraint(
                fields=["referral", "language", "version"],
                condition=Q(referral__isnull=False),
                name="one_referral_letter_per_language_and_version",
            ),
            models.CheckConstraint(
                condition=Q(kind="referral_letter", referral__isnull=False)
                | (~Q(kind="referral_letter") & Q(referral__isnull=True)),
                name="referral_letter_names_its_referral",
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(sha256="") & ~Q(file="")),
                name="ready_document_has_file_and_checksum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} for {self.termination.client}"

    @property
    def is_ready(self) -> bool:
        return self.state == DocumentState.READY

    @property
    def is_stale(self) -> bool:
        """Pending for longer than any render takes: the task was lost (a worker down)."""
        from django.utils import timezone

        waited = (timezone.now() - (self.queued_at or self.requested_at)).total_seconds()
        return self.state == DocumentState.PENDING and waited > DOCUMENT_STALE_AFTER_SECONDS


# A render takes seconds; a document pending this long was never picked up by a worker.
DOCUMENT_STALE_AFTER_SECONDS = 10 * 60


# The relapse watch's models live beside its logic (termination/relapse_watch.py).
from .relapse_models import (  # noqa: E402, F401
    ContactChoice,
    FollowUpContact,
    RelapseSignal,
    SignalAction,
    SignalReason,
    WatchCheckIn,
    WatchState,
)
