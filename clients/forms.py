"""Forms for the client record. They only check the input; the services decide the rest."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ConsentKind, Goal, InformationCategory
from clients.services import CLIENT_FIELDS
from practice.forms import QueryForm
from practice.input import ADDRESS_MAX_LENGTH, InputLimits
from practice.policy.models import PracticePolicy
from practice.staff.models import User


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CounselorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_with_credentials


def active_counselors(*, excluding: int | None = None):
    return User.objects.counselors().exclude(pk=excluding)


class ClientForm(InputLimits, forms.ModelForm):
    """Create or edit a client. Errors from the services land beside the field they name."""

    max_lengths = {"address": ADDRESS_MAX_LENGTH}

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "date_of_birth": date_input(),
            "intake_date": date_input(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "presenting_concerns": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        labels = {
            "legal_first_name": _("Legal first name"),
            "legal_last_name": _("Legal last name"),
            "preferred_name": _("Preferred name"),
            "pronouns": _("Pronouns"),
            "date_of_birth": _("Date of birth"),
            "email": _("Email"),
            "phone": _("Phone"),
            "address": _("Address"),
            "emergency_contact_name": _("Name"),
            "emergency_contact_relationship": _("Relationship"),
            "emergency_contact_phone": _("Phone"),
            "may_write": _("May we write (letters by post)"),
            "may_email": _("May we email"),
            "presenting_concerns": _("Presenting concerns"),
            "intake_date": _("Intake date"),
        }
        error_messages = {
            "legal_first_name": {"required": _("Enter the client's legal first name.")},
            "legal_last_name": {"required": _("Enter the client's legal last name.")},
            "date_of_birth": {"required": _("Enter the date of birth.")},
            "intake_date": {"required": _("Enter the intake date.")},
        }
        help_texts = {
            "date_of_birth": _(
                "Minor status follows from this and the practice's age of majority."
            ),
            "presenting_concerns": _("What brings the client to counseling, in their words."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page wraps the fields in its own <form> to add the optimistic-lock version.
        self.helper.form_tag = False
        if not self.instance.pk:
            self.fields["language"].initial = PracticePolicy.current().language
        self.helper.layout = Layout(
            # After a refused stale edit: what the record says now, right under the message.
            HTML('{% include "clients/_client_differences.html" %}'),
            Fieldset(
                _("Name"),
                Row(Column("legal_first_name"), Column("legal_last_name")),
                Row(Column("preferred_name"), Column("pronouns")),
                Row(Column("date_of_birth"), Column("intake_date")),
            ),
            Fieldset(_("Contact"), Row(Column("email"), Column("phone")), "address"),
            Fieldset(
                _("Emergency contact"),
                Row(
                    Column("emergency_contact_name"),
                    Column("emergency_contact_relationship"),
                    Column("emergency_contact_phone"),
                ),
            ),
            Fieldset(_("Correspondence"), "language", "may_write", "may_email"),
            Fieldset(_("Presenting concerns"), "presenting_concerns"),
        )


class ClientSearchForm(InputLimits, forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False, strip=True)


class TransferForm(InputLimits, forms.Form):
    to_counselor = CounselorChoiceField(
        label=_("New counselor"),
        queryset=User.objects.none(),
        empty_label=_("Choose a counselor"),
        error_messages={"required": _("Choose the counselor who takes the client over.")},
    )
    transferred_on = forms.DateField(
        label=_("Date of the transfer"),
        widget=date_input(),
        initial=timezone.localdate,
        error_messages={"required": _("Give the date of the transfer.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: counselor leaving, better fit of specialism, client's request."),
        error_messages={"required": _("Say why the client is transferred.")},
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_counselor"].queryset = active_counselors(
            excluding=client.primary_counselor_id
        )

    def clean_transferred_on(self):
        # The transfer takes effect when it is recorded, so it cannot be dated ahead.
        day = self.cleaned_data["transferred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Record a transfer on or after the day it happens."))
        return day


class CoverForm(InputLimits, forms.Form):
    counselor = CounselorChoiceField(
        label=_("Covering counselor"),
        queryset=User.objects.none(),
        empty_label=_("Choose a counselor"),
        error_messages={"required": _("Choose who covers.")},
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=date_input(),
        error_messages={"required": _("Give the first day of cover.")},
    )
    ends_on = forms.DateField(
        label=_("Until"),
        widget=date_input(),
        help_text=_("The last day."),
        error_messages={"required": _("Give the last day of cover.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example: annual leave, illness."),
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = active_counselors(excluding=client.primary_counselor_id)


class ConsentForm(InputLimits, forms.Form):
    """One form for every kind of consent; a release asks who, what, why and until when."""

    RELEASE_ONLY = ("recipient_name", "recipient_organisation", "information", "purpose")

    recipient_name = forms.CharField(
        label=_("Recipient's name"),
        max_length=150,
        required=False,
        help_text=_("The person who may receive the information."),
    )
    recipient_organisation = forms.CharField(
        label=_("Organisation"), max_length=150, required=False
    )
    information = forms.MultipleChoiceField(
        label=_("Information that may be shared"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        required=False,
        help_text=_("What the recipient needs the information for."),
    )
    signed_on = forms.DateField(
        label=_("Signed on"),
        widget=date_input(),
        error_messages={"required": _("Give the date the client signed.")},
    )
    expires_on = forms.DateField(label=_("Expires on"), widget=date_input(), required=False)
    expiry_event = forms.CharField(
        label=_("Or expires at this event"),
        max_length=200,
        required=False,
        help_text=_("For example: end of treatment."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != ConsentKind.RELEASE:
            for name in (*self.RELEASE_ONLY, "expiry_event"):
                del self.fields[name]

    def service_values(self) -> dict:
        """The cleaned values in the shape consent_record takes."""
        values = dict(self.cleaned_data)
        if "information" in values:
            values["information"] = list(values["information"])
        return values


class RevokeConsentForm(InputLimits, forms.Form):
    revoked_on = forms.DateField(
        label=_("Revoked on"),
        widget=date_input(),
        initial=timezone.localdate,
        help_text=_("The day the client withdrew this consent."),
        error_messages={"required": _("Give the day the client withdrew this consent.")},
    )


class DisclosureCheckForm(InputLimits, forms.Form):
    recipient = forms.CharField(label=_("Recipient's name"), max_length=150)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    information = forms.ChoiceField(
        label=_("Information to send"), choices=InformationCategory.choices
    )


class GoalForm(InputLimits, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["description", "measure", "target_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "measure": forms.Textarea(attrs={"rows": 2}),
            "target_date": date_input(),
        }
        labels = {
            "description": _("Description"),
            "measure": _("Measure"),
            "target_date": _("Target date"),
            "status": _("Status"),
        }


class GoalEditForm(GoalForm):
    class Meta(GoalForm.Meta):
        fields = ["description", "measure", "target_date", "status"]
        help_texts = {"status": _("Set an outcome when the goal is reached or set aside.")}


class GoalProgressForm(InputLimits, forms.Form):
    recorded_on = forms.DateField(label=_("Date"), widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed, in the client's words where you can."),
        error_messages={"required": _("Write a short note on what changed.")},
    )
    rating = forms.IntegerField(
        label=_("How far along (0–10)"),
        min_value=0,
        max_value=10,
        required=False,
        help_text=_("0 is not started, 10 is reached. Leave empty if you did not ask."),
    )


class PlanReviewForm(InputLimits, forms.Form):
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=date_input(), initial=timezone.localdate
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you and the client agreed: goals kept, changed or added."),
    )


class ConsentKindQueryForm(QueryForm):
    """Which consent the form records (none: the page to choose one)."""

    kind = forms.ChoiceField(
        choices=[("", ""), *ConsentKind.choices], initial="", label=_("Kind of consent")
    )
