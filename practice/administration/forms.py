"""Forms of the practice admin's pages. They validate input only; services make the changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crispy_forms.bootstrap import AppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from practice.administration.services import POLICY_FIELDS
from practice.audit.models import AuditEvent
from practice.input import ADDRESS_MAX_LENGTH, InputLimits
from practice.policy.models import PracticePolicy
from practice.staff.models import Role, User
from sessions_app.checkins.forms import InstrumentRulesField


@dataclass(frozen=True)
class PolicyValue:
    """How the policy page presents one value: its label, unit, what it changes, its range."""

    label: str
    explains: str
    unit: str = ""
    minimum: int | None = None
    maximum: int | None = None
    default_text: str = ""  # for values whose default is too long to show as it is


POLICY_GROUPS: list[tuple[str, str, dict[str, PolicyValue]]] = [
    (
        "endings",
        "Endings",
        {
            "minimum_notice_days": PolicyValue(
                "Minimum notice before a planned ending",
                "A planned final session must be at least this long after the ending was raised.",
                "days",
                0,
                120,
            ),
            "silent_client_days": PolicyValue(
                "Days without contact before an unplanned ending is proposed",
                "A client with no attended session for this long and nothing booked is flagged on "
                "the caseload.",
                "days",
                7,
                365,
            ),
            "outreach_attempts_before_letter": PolicyValue(
                "Outreach attempts before a closing letter",
                "How many times the counselor tries to reach a silent client before the closing "
                "letter can be written.",
                "attempts",
                1,
                10,
            ),
            "closing_summary_due_days": PolicyValue(
                "Closing summary due after the final session",
                "The ending shows the summary as due this long after the final session.",
                "days",
                1,
                90,
            ),
            "follow_up_offsets_days": PolicyValue(
                "Follow-up check-ins after the ending",
                "Days after the ending when the counselor checks in; type them in ascending "
                "order, separated by commas.",
                "days",
                1,
                1095,
            ),
            "closure_requires_approval": PolicyValue(
                "Closures need a supervisor's approval",
                "When on, a signed closing summary waits for a supervisor before the record "
                "can close.",
            ),
            "closing_letter_referrals": PolicyValue(
                "Referrals in an unplanned closing letter",
                "The unplanned closing letter names at least this many other providers.",
                "providers",
                0,
                10,
            ),
            "no_relationship_years": PolicyValue(
                "No personal relationship after the ending",
                "The closed record shows the date until which a personal relationship with the "
                "former client is barred, counted from the last contact.",
                "years",
                0,
                100,
            ),
            "crisis_resources": PolicyValue(
                "Crisis resources",
                "Printed in after-care and closing letters, one line each.",
                default_text="the 911, 988 and Crisis Text Line numbers",
            ),
        },
    ),
    (
        "records",
        "Records",
        {
            "retention_years": PolicyValue(
                "Record retention after the last contact",
                "A closed record becomes eligible for destruction after this long (a report: "
                "nothing is deleted by itself). It cannot be shorter than the legal minimum.",
                "years",
                1,
                100,
            ),
            "retention_legal_minimum_years": PolicyValue(
                "Legal minimum retention",
                "The shortest retention your jurisdiction allows; the retention above is checked "
                "against it.",
                "years",
                0,
                100,
            ),
            "age_of_majority": PolicyValue(
                "Age of majority",
                "Clients younger than this are minors for record retention.",
                "years of age",
                14,
                25,
            ),
            "minor_retention_years_after_majority": PolicyValue(
                "Minors: retention after majority",
                "A minor's record is kept until the later of the retention above and this many "
                "years after they come of age.",
                "years",
                0,
                30,
            ),
        },
    ),
    (
        "notes",
        "Notes and supervision",
        {
            "note_signing_due_hours": PolicyValue(
                "Notes signed within",
                "A progress note not signed this long after its session is flagged as overdue.",
                "hours",
                1,
                720,
            ),
            "cosign_required_for": PolicyValue(
                "Co-signing required for",
                "Whose signed notes wait for a supervisor's co-signature (mark associates and "
                "trainees on their staff page).",
            ),
            "plan_review_interval_days": PolicyValue(
                "Treatment plan review interval",
                "A client's goals are flagged for review when the last review is older than this.",
                "days",
                7,
                365,
            ),
            "maximum_caseload": PolicyValue(
                "Maximum caseload",
                "Supervisors see each supervisee's open clients against this number.",
                "clients",
                1,
                500,
            ),
        },
    ),
    (
        "measures",
        "Alliance and outcomes",
        {
            "alliance_cutoff": PolicyValue(
                "Alliance alert cutoff",
                "An alliance check-in total (0–40) below this raises an alert for the counselor.",
                "points",
                0,
                40,
            ),
            "alliance_drop_points": PolicyValue(
                "Alliance drop alert",
                "A fall of this many points since the last session also raises an alert.",
                "points",
                1,
                40,
            ),
            "off_track_after_sessions": PolicyValue(
                "Outcome off track after",
                "A client whose outcome measure is unchanged after this many attended sessions "
                "shows as off track to the supervisor.",
                "sessions",
                1,
                52,
            ),
            "report_min_cell_size": PolicyValue(
                "Smallest count in the admin's reports",
                "The practice admin's outcome reports hide any count below this (with a note), so "
                "that no figure points at a single client.",
                "clients",
                2,
                50,
            ),
        },
    ),
    (
        "checkins",
        "Check-ins and the relapse watch",
        {
            "checkin_expiry_hours": PolicyValue(
                "Session check-in link works for",
                "A check-in the client has not answered by then is marked as no response.",
                "hours",
                1,
                720,
            ),
            "follow_up_checkin_expiry_days": PolicyValue(
                "Follow-up check-in link works for",
                "How long a former client has to answer a follow-up check-in.",
                "days",
                1,
                60,
            ),
            "checkin_before_session": PolicyValue(
                "Instruments sent before sessions",
                "“Short name: every N sessions”, comma-separated (1 = every session, 4 = the "
                "1st, 5th, 9th …). Leave empty to send none. Counselors can change it per client.",
                default_text="Alliance: 1, PHQ-9: 4",
            ),
            "checkin_hours_before_session": PolicyValue(
                "Sent before the session",
                "Only to clients with an email address and consent to electronic communication.",
                "hours",
                1,
                336,
            ),
            "residual_symptoms_from": PolicyValue(
                "Residual symptoms from",
                "A last PHQ-9 or GAD-7 from this score up to the cutoff makes the relapse watch "
                "monthly (Ali et al. 2017: residual symptoms nearly double the risk).",
                "points",
                1,
                27,
            ),
            "residual_watch_months": PolicyValue(
                "Monthly watch for",
                "How long the monthly watch lasts before the usual follow-up offsets resume.",
                "months",
                1,
                24,
            ),
            "risk_alert_to_supervisor": PolicyValue(
                "Risk alerts to supervisors too",
                "A risk item (PHQ-9 item 9) endorsed on a check-in alerts the supervisors as "
                "well as the counselor.",
            ),
        },
    ),
    (
        "security",
        "Security",
        {
            "mfa_required": PolicyValue(
                "Two-factor sign-in required",
                "When on, staff without an authenticator app (you included) are sent to set one "
                "up before anything else.",
            ),
            "idle_logoff_minutes": PolicyValue(
                "Idle sign-out",
                "Staff are signed out after this long without activity.",
                "minutes",
                1,
                240,
            ),
        },
    ),
    (
        "letterhead",
        "Letterhead",
        {
            "practice_name": PolicyValue("Practice name", "Heads every page, letter and summary."),
            "address": PolicyValue("Address", "Printed under the name on letters."),
            "phone": PolicyValue("Phone", "Printed on letters for clients to call."),
            "email": PolicyValue("Email", "Printed on letters; leave empty to leave it out."),
            "letter_footer": PolicyValue(
                "Letter footer", "A line at the foot of every letter, e.g. a licence number."
            ),
        },
    ),
]

POLICY_VALUES: dict[str, PolicyValue] = {
    name: value for _, _, values in POLICY_GROUPS for name, value in values.items()
}
assert set(POLICY_VALUES) == set(POLICY_FIELDS), "every policy value has its place on the page"


def policy_label(field_name: str) -> str:
    value = POLICY_VALUES.get(field_name)
    return value.label if value else field_name.replace("_", " ").capitalize()


def _default_text(field_name: str, value: PolicyValue) -> str:
    if value.default_text:
        return value.default_text
    default = PracticePolicy._meta.get_field(field_name).get_default()
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, list):
        return ", ".join(str(day) for day in default)
    field = PracticePolicy._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices)[default]).lower()
    if default in ("", None):
        return "empty"
    return f"{default} {value.unit}".strip()


def _range_validator(minimum: int | None, maximum: int | None, unit: str):
    def check(number: int) -> None:
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ValidationError(f"Choose a whole number from {minimum} to {maximum} {unit}.")

    return check


class FollowUpOffsetsField(forms.CharField):
    """Days typed as "30, 90, 180"; ascending order is the model's rule (PracticePolicy.clean)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value)
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        if not parts:
            raise ValidationError("Give at least one number of days, e.g. 30, 90, 180.")
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(
                "Use whole numbers of days separated by commas, e.g. 30, 90, 180."
            )
        if len(parts) > 12:
            raise ValidationError("Twelve follow-ups at most.")
        days = [int(part) for part in parts]
        if any(day > 1095 for day in days):
            raise ValidationError("Keep each follow-up within three years (1095 days).")
        return days


# The logo and the letter preview have their own page (when that page is installed).
LETTERHEAD_LINK = HTML(
    '{% url "letterhead" as letterhead_url %}{% if letterhead_url %}<p class="small">'
    'The logo and a preview of a letter are on <a href="{{ letterhead_url }}">the letterhead '
    "page</a>.</p>{% endif %}"
)


class PolicyForm(InputLimits, forms.ModelForm):
    max_lengths = {"address": ADDRESS_MAX_LENGTH, "crisis_resources": 5_000}

    follow_up_offsets_days = FollowUpOffsetsField()
    checkin_before_session = InstrumentRulesField(required=False)

    class Meta:
        model = PracticePolicy
        fields = list(POLICY_FIELDS)
        widgets = {
            "crisis_resources": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in POLICY_VALUES.items():
            field = self.fields[name]
            field.label = value.label
            field.help_text = f"{value.explains} Default: {_default_text(name, value)}."
            if isinstance(field, forms.IntegerField):
                field.validators.append(_range_validator(value.minimum, value.maximum, value.unit))
                field.widget.attrs.update(
                    min=value.minimum, max=value.maximum, **{"class": "input-w9"}
                )
        self.fields["follow_up_offsets_days"].widget.attrs.update(
            inputmode="numeric", **{"class": "input-w16"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                Fieldset(
                    title,
                    *[
                        AppendedText(name, value.unit) if value.unit else name
                        for name, value in values.items()
                    ],
                    *([LETTERHEAD_LINK] if key == "letterhead" else []),
                    css_id=f"policy-{key}",
                    css_class="policy-group border rounded-3 px-3 pt-2 mb-4",
                )
                for key, title, values in POLICY_GROUPS
            ]
        )


# Staff ----------------------------------------------------------------------------------------


class StaffInviteForm(InputLimits, forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(
        help_text="The invitation with the link to choose a password goes here."
    )
    username = forms.CharField(max_length=150, help_text="What they type to sign in.")
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="One person may hold several roles.",
    )
    credentials = forms.CharField(
        max_length=120, required=False, help_text="Shown under the signature, e.g. “LPC, MA”."
    )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        roles = set(data["roles"])
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "username": data["username"],
            "credentials": data["credentials"],
            "is_counselor": Role.COUNSELOR in roles,
            "is_supervisor": Role.SUPERVISOR in roles,
            "is_practice_admin": Role.PRACTICE_ADMIN in roles,
        }


class StaffForm(InputLimits, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "email",
            "credentials",
            "is_counselor",
            "is_supervisor",
            "is_practice_admin",
            "notes_require_cosign",
            "time_zone",
        ]
        labels = {
            "is_counselor": "Counselor (carries a caseload)",
            "is_supervisor": "Supervisor (reviews supervisees' work)",
            "is_practice_admin": "Practice admin (policy, staff, directory, audit)",
        }
        help_texts = {"time_zone": "Times on every page are shown in this zone."}


class SupervisionLinkForm(InputLimits, forms.Form):
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(), empty_label="Choose a supervisor"
    )
    starts_on = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    ends_on = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty while it goes on.",
    )

    def __init__(self, *args, supervisee: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = User.objects.supervisors().exclude(pk=supervisee.pk)


class SupervisionEndForm(InputLimits, forms.Form):
    ends_on = forms.DateField(
        label="Last day of supervision",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


# The client directory and the audit log -------------------------------------------------------

NEEDS_COUNSELOR = "needs_counselor"


SMALL_INPUT = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class DirectoryFilterForm(InputLimits, forms.Form):
    q = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**SMALL_INPUT, "type": "search", "placeholder": "Search by name"}
        ),
    )
    counselor = forms.ModelChoiceField(
        queryset=User.objects.filter(is_counselor=True),
        required=False,
        empty_label="Anyone",
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    status = forms.ChoiceField(
        required=False,
        widget=forms.Select(attrs=SMALL_SELECT),
        choices=[
            ("", "Any"),
            ("active", "Active"),
            ("ending", "Ending"),
            ("closed", "Closed"),
            (NEEDS_COUNSELOR, "Needs a new counselor"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].label_from_instance = staff_label


def staff_label(user: User) -> str:
    return str(user) if user.is_active else f"{user} (deactivated)"


class AuditFilterForm(InputLimits, forms.Form):
    actor = forms.ModelChoiceField(
        label="Staff member",
        queryset=User.objects.all(),
        required=False,
        empty_label="Anyone",
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    client_id = forms.IntegerField(
        label="Client number",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.NumberInput(attrs={**SMALL_INPUT, "min": 1}),
    )
    action = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any"), *AuditEvent.Action.choices],
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={**SMALL_INPUT, "type": "date"})
    )
    date_to = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={**SMALL_INPUT, "type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].label_from_instance = staff_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end of the range comes before its start.")
        return data
