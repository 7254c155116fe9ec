"""Forms for each step of an ending. They only validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from practice.forms import QueryForm
from practice.input import InputLimits
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination.models import (
    Answer,
    BreakKind,
    EndingKind,
    FollowUp,
    Helped,
    Initiator,
    OutreachAttempt,
    Provider,
    Reason,
)
from termination.relapse_models import ContactChoice
from termination.selectors import GOAL_OUTCOMES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class VersionedForm(InputLimits, forms.Form):
    """Carries the version of what the page showed, so a stale save is refused, not applied."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


class OpenEndingForm(InputLimits, forms.Form):
    kind = forms.ChoiceField(
        choices=EndingKind.choices, widget=forms.RadioSelect, label=_("Kind of ending")
    )
    initiated_by = forms.ChoiceField(choices=Initiator.choices, label=_("Who raised the ending"))


class NoticeForm(VersionedForm):
    raised_on = forms.DateField(
        widget=DATE, label=_("Date the ending was raised"), initial=timezone.localdate
    )
    initiated_by = forms.ChoiceField(choices=Initiator.choices, label=_("Who raised it"))
    final_session_on = forms.DateField(
        widget=DATE, required=False, label=_("Planned final session")
    )
    override_reason = forms.CharField(
        widget=TEXT,
        required=False,
        label=_("Reason for shorter notice"),
        help_text=_("Only when the final session is sooner than the practice's minimum notice."),
    )
    more_help_needed = forms.ChoiceField(
        choices=Answer.choices,
        widget=forms.RadioSelect,
        required=False,
        label=_("Does the client need more or different help?"),
    )
    counseling_helped = forms.ChoiceField(
        choices=Helped.choices,
        widget=forms.RadioSelect,
        required=False,
        label=_("Has counseling helped, in the client's view?"),
    )
    break_kind = forms.ChoiceField(
        choices=BreakKind.choices,
        widget=forms.RadioSelect,
        required=False,
        label=_("Is this a break or an ending?"),
    )
    client_view = forms.CharField(
        widget=TEXT, required=False, label=_("The client's own view of ending, in their words")
    )

    def __init__(self, *args, policy: PracticePolicy, **kwargs):
        super().__init__(*args, **kwargs)
        days = policy.minimum_notice_days
        self.fields["final_session_on"].help_text = ngettext(
            "For a planned ending, at least %(days)s day after it was raised.",
            "For a planned ending, at least %(days)s days after it was raised.",
            days,
        ) % {"days": days}


class ReasonsForm(VersionedForm):
    reason = forms.ChoiceField(choices=[("", _("Choose…")), *Reason.choices], label=_("Reason"))
    narrative = forms.CharField(widget=TEXT, label=_("The reason in your words"))
    barriers = forms.CharField(
        widget=TEXT,
        required=False,
        label=_("What stood in the way"),
        help_text=_("Needed when the ending is short of its goals."),
    )
    feelings_about_future_help = forms.CharField(
        widget=TEXT,
        required=False,
        label=_("How the client feels about seeking help later"),
        help_text=_("Needed when the ending is short of its goals."),
    )
    based_on_personal_values = forms.BooleanField(
        required=False,
        label=_("This ending or referral comes from my own values or beliefs about the client"),
        help_text=_(
            "Be honest: such a conflict is a matter for supervision, never a reason to end."
        ),
    )
    fees_explained = forms.BooleanField(
        required=False, label=_("The fees were explained to the client beforehand")
    )
    client_not_in_danger = forms.BooleanField(
        required=False, label=_("The client is not in danger or in crisis")
    )
    consequences_discussed = forms.BooleanField(
        required=False, label=_("The consequences of non-payment were discussed with the client")
    )


class ReferralForm(InputLimits, forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.filter(is_active=True), label=_("Provider")
    )
    reason = forms.CharField(widget=TEXT, label=_("Why this provider"))
    made_on = forms.DateField(widget=DATE, initial=timezone.localdate, label=_("Date of referral"))


class RelapsePlanForm(VersionedForm):
    warning_signs = forms.CharField(widget=TEXT, label=_("Early warning signs"))
    triggers = forms.CharField(widget=TEXT, label=_("Triggers"))
    crisis_lines = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=_("Crisis lines")
    )
    when_to_come_back = forms.CharField(widget=TEXT, label=_("When to come back"))
    # The relapse watch (termination/relapse_watch.py): recorded beside the plan.
    follow_up_contact = forms.ChoiceField(
        choices=ContactChoice.choices,
        required=False,
        widget=forms.RadioSelect,
        label=_("May we check in with you after counseling ends?"),
        help_text=_(
            "By email: short check-ins at the follow-up dates, which the client can stop "
            "with one click (needs consent to electronic communication)."
        ),
    )


class CopingStepForm(InputLimits, forms.Form):
    sign = forms.CharField(required=False, max_length=200, label=_("Sign or trigger"))
    step = forms.CharField(required=False, max_length=300, label=_("What to do"))


class SupportContactForm(InputLimits, forms.Form):
    name = forms.CharField(required=False, max_length=100, label=_("Name"))
    relation = forms.CharField(required=False, max_length=60, label=_("Relation"))
    phone = forms.CharField(required=False, max_length=40, label=_("Phone"))


CopingStepFormSet = forms.formset_factory(CopingStepForm, extra=3, max_num=12)
SupportContactFormSet = forms.formset_factory(SupportContactForm, extra=2, max_num=8)


class TaperingForm(InputLimits, forms.Form):
    SPACINGS = {
        "2-4": [14, 28],
        "1-2-4": [7, 14, 28],
        "2-2-4": [14, 14, 28],
        "2-4-4": [14, 28, 28],
    }
    first_starts_at = forms.DateTimeField(
        widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"], label=_("First tapering session")
    )
    spacing = forms.ChoiceField(
        choices=[
            ("2-4", _("Fortnightly, then monthly (3 sessions)")),
            ("1-2-4", _("Weekly, then fortnightly, then monthly (4 sessions)")),
            ("2-2-4", _("Fortnightly twice, then monthly (4 sessions)")),
            ("2-4-4", _("Fortnightly, then monthly twice (4 sessions)")),
        ],
        label=_("Spacing"),
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, initial=50, label=_("Minutes each")
    )
    modality = forms.ChoiceField(
        choices=[("in_person", _("In person")), ("video", _("Video")), ("phone", _("Phone"))],
        label=_("Modality"),
    )


class OutreachForm(InputLimits, forms.Form):
    attempted_on = forms.DateField(widget=DATE, initial=timezone.localdate, label=_("Date"))
    channel = forms.ChoiceField(choices=OutreachAttempt.Channel.choices, label=_("Channel"))
    outcome = forms.ChoiceField(choices=OutreachAttempt.Outcome.choices, label=_("Outcome"))
    note = forms.CharField(required=False, max_length=300, label=_("Note"))


class ClosingLetterForm(VersionedForm):
    sent_on = forms.DateField(widget=DATE, required=False, label=_("Date the letter was sent"))
    alternative = forms.CharField(widget=TEXT, required=False, label=_("What was done instead"))


class SummaryForm(VersionedForm):
    service_dates = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Dates of service")
    )
    attendance = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Sessions attended and missed")
    )
    presenting_concerns = forms.CharField(
        widget=TEXT, required=False, label=_("Presenting concerns")
    )
    goals_outcome = forms.CharField(widget=TEXT, required=False, label=_("Goals and their outcome"))
    measures = forms.CharField(
        widget=TEXT, required=False, label=_("Measures, first against latest")
    )
    alliance_trend = forms.CharField(widget=TEXT, required=False, label=_("Alliance trend"))
    reason = forms.CharField(widget=TEXT, required=False, label=_("Reason for ending"))
    condition_at_ending = forms.CharField(
        widget=TEXT, required=False, label=_("Condition at ending")
    )
    recommendations = forms.CharField(widget=TEXT, required=False, label=_("Recommendations"))
    referrals = forms.CharField(widget=TEXT, required=False, label=_("Referrals"))
    relapse_plan = forms.CharField(widget=TEXT, required=False, label=_("Relapse prevention plan"))

    def __init__(self, *args, goals=(), **kwargs):
        """`goals`: the client's goals still active; each gets a choice of its outcome."""
        super().__init__(*args, **kwargs)
        for goal in goals:
            self.fields[f"{GOAL_FIELD_PREFIX}{goal.pk}"] = forms.ChoiceField(
                label=_("Outcome at the end: %(goal)s") % {"goal": goal.description},
                choices=[("", _("Not decided yet")), *GOAL_OUTCOME_CHOICES],
                required=False,
                help_text=_("Becomes the goal's status when the ending closes."),
            )

    def content(self) -> dict:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if not key.startswith(GOAL_FIELD_PREFIX)
        }

    def goal_outcomes(self) -> dict[str, str]:
        return {
            key.removeprefix(GOAL_FIELD_PREFIX): value
            for key, value in self.cleaned_data.items()
            if key.startswith(GOAL_FIELD_PREFIX)
        }


GOAL_FIELD_PREFIX = "goal_outcome_"
GOAL_OUTCOME_CHOICES = [(status.value, status.label) for status in GOAL_OUTCOMES]


class CommentForm(InputLimits, forms.Form):
    comment = forms.CharField(widget=TEXT, required=False, label=_("Comment"))


class ReasonForm(InputLimits, forms.Form):
    reason = forms.CharField(
        widget=TEXT, label=_("Reason"), error_messages={"required": _("Give the reason.")}
    )


class AddendumForm(InputLimits, forms.Form):
    text = forms.CharField(widget=TEXT, label=_("Addendum"))


class FollowUpForm(InputLimits, forms.Form):
    outcome = forms.ChoiceField(
        choices=[c for c in FollowUp.Outcome.choices if c[0] != FollowUp.Outcome.PENDING],
        label=_("Outcome"),
    )
    done_on = forms.DateField(widget=DATE, initial=timezone.localdate, label=_("Date"))
    note = forms.CharField(widget=TEXT, required=False, label=_("Note"))


class ProviderForm(InputLimits, forms.ModelForm):
    class Meta:
        model = Provider
        fields = [
            "name",
            "organisation",
            "specialty",
            "address",
            "phone",
            "email",
            "accepting_clients",
            "is_active",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "name": _("Name"),
            "organisation": _("Organisation"),
            "specialty": _("Specialty"),
            "address": _("Address"),
            "phone": _("Phone"),
            "email": _("Email"),
            "accepting_clients": _("Accepting clients"),
            "is_active": _("Is active"),
        }


class DepartureForm(InputLimits, forms.Form):
    reason = forms.CharField(
        widget=TEXT,
        label=_("Why the counselor is leaving"),
        help_text=_("Shown in each client's history."),
    )

    def __init__(self, *args, clients, counselors, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_fields = []
        for client in clients:
            name = f"client_{client.pk}"
            self.fields[name] = forms.ModelChoiceField(
                queryset=counselors,
                required=False,
                label=client.display_name,
                empty_label=_("Open a “counselor leaving” ending"),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.client_fields.append(name)

    def transfers(self) -> dict[int, User]:
        return {
            int(name.removeprefix("client_")): self.cleaned_data[name]
            for name in self.client_fields
            if self.cleaned_data.get(name)
        }


class OpenEndingQueryForm(QueryForm):
    """The kind of ending a link to the form presets."""

    kind = forms.ChoiceField(
        choices=EndingKind.choices, initial=EndingKind.PLANNED, label=_("Kind of ending")
    )
