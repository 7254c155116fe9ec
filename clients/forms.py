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
            "legal_first_name": "Legal first name",
            "legal_last_name": "Legal last name",
            "emergency_contact_name": "Name",
            "emergency_contact_relationship": "Relationship",
            "emergency_contact_phone": "Phone",
            "may_write": "May we write (letters by post)",
            "may_email": "May we email",
        }
        error_messages = {
            "legal_first_name": {"required": "Enter the client's legal first name."},
            "legal_last_name": {"required": "Enter the client's legal last name."},
            "date_of_birth": {"required": "Enter the date of birth."},
            "intake_date": {"required": "Enter the intake date."},
        }
        help_texts = {
            "date_of_birth": "Minor status follows from this and the practice's age of majority.",
            "presenting_concerns": "What brings the client to counseling, in their words.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page wraps the fields in its own <form> to add the optimistic-lock version.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            # After a refused stale edit: what the record says now, right under the message.
            HTML('{% include "clients/_client_differences.html" %}'),
            Fieldset(
                "Name",
                Row(Column("legal_first_name"), Column("legal_last_name")),
                Row(Column("preferred_name"), Column("pronouns")),
                Row(Column("date_of_birth"), Column("intake_date")),
            ),
            Fieldset("Contact", Row(Column("email"), Column("phone")), "address"),
            Fieldset(
                "Emergency contact",
                Row(
                    Column("emergency_contact_name"),
                    Column("emergency_contact_relationship"),
                    Column("emergency_contact_phone"),
                ),
            ),
            Fieldset("Correspondence", "may_write", "may_email"),
            Fieldset("Presenting concerns", "presenting_concerns"),
        )


class ClientSearchForm(InputLimits, forms.Form):
    q = forms.CharField(label="Name", max_length=100, required=False, strip=True)


class TransferForm(InputLimits, forms.Form):
    to_counselor = CounselorChoiceField(
        label="New counselor",
        queryset=User.objects.none(),
        empty_label="Choose a counselor",
        error_messages={"required": "Choose the counselor who takes the client over."},
    )
    transferred_on = forms.DateField(
        label="Date of the transfer",
        widget=date_input(),
        initial=timezone.localdate,
        error_messages={"required": "Give the date of the transfer."},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: counselor leaving, better fit of specialism, client's request.",
        error_messages={"required": "Say why the client is transferred."},
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
            raise forms.ValidationError("Record a transfer on or after the day it happens.")
        return day


class CoverForm(InputLimits, forms.Form):
    counselor = CounselorChoiceField(
        label="Covering counselor",
        queryset=User.objects.none(),
        empty_label="Choose a counselor",
        error_messages={"required": "Choose who covers."},
    )
    starts_on = forms.DateField(
        label="From",
        widget=date_input(),
        error_messages={"required": "Give the first day of cover."},
    )
    ends_on = forms.DateField(
        label="Until",
        widget=date_input(),
        help_text="The last day.",
        error_messages={"required": "Give the last day of cover."},
    )
    reason = forms.CharField(
        max_length=200, required=False, help_text="For example: annual leave, illness."
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = active_counselors(excluding=client.primary_counselor_id)


class ConsentForm(InputLimits, forms.Form):
    """One form for every kind of consent; a release asks who, what, why and until when."""

    RELEASE_ONLY = ("recipient_name", "recipient_organisation", "information", "purpose")

    recipient_name = forms.CharField(
        label="Recipient's name",
        max_length=150,
        required=False,
        help_text="The person who may receive the information.",
    )
    recipient_organisation = forms.CharField(label="Organisation", max_length=150, required=False)
    information = forms.MultipleChoiceField(
        label="Information that may be shared",
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.CharField(
        max_length=300, required=False, help_text="What the recipient needs the information for."
    )
    signed_on = forms.DateField(
        label="Signed on",
        widget=date_input(),
        error_messages={"required": "Give the date the client signed."},
    )
    expires_on = forms.DateField(label="Expires on", widget=date_input(), required=False)
    expiry_event = forms.CharField(
        label="Or expires at this event",
        max_length=200,
        required=False,
        help_text="For example: end of treatment.",
    )
    notes = forms.CharField(max_length=300, required=False)

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
        label="Revoked on",
        widget=date_input(),
        initial=timezone.localdate,
        help_text="The day the client withdrew this consent.",
        error_messages={"required": "Give the day the client withdrew this consent."},
    )


class DisclosureCheckForm(InputLimits, forms.Form):
    recipient = forms.CharField(label="Recipient's name", max_length=150)
    organisation = forms.CharField(label="Organisation", max_length=150, required=False)
    information = forms.ChoiceField(
        label="Information to send", choices=InformationCategory.choices
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


class GoalEditForm(GoalForm):
    class Meta(GoalForm.Meta):
        fields = ["description", "measure", "target_date", "status"]
        help_texts = {"status": "Set an outcome when the goal is reached or set aside."}


class GoalProgressForm(InputLimits, forms.Form):
    recorded_on = forms.DateField(label="Date", widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed, in the client's words where you can.",
        error_messages={"required": "Write a short note on what changed."},
    )
    rating = forms.IntegerField(
        label="How far along (0–10)",
        min_value=0,
        max_value=10,
        required=False,
        help_text="0 is not started, 10 is reached. Leave empty if you did not ask.",
    )


class PlanReviewForm(InputLimits, forms.Form):
    reviewed_on = forms.DateField(
        label="Reviewed on", widget=date_input(), initial=timezone.localdate
    )
    summary = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you and the client agreed: goals kept, changed or added.",
    )


class ConsentKindQueryForm(QueryForm):
    """Which consent the form records (none: the page to choose one)."""

    kind = forms.ChoiceField(
        choices=[("", ""), *ConsentKind.choices], initial="", label=_("Kind of consent")
    )
