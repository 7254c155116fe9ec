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
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from practice.administration.services import POLICY_FIELDS
from practice.audit.models import AuditEvent
from practice.input import ADDRESS_MAX_LENGTH, InputLimits
from practice.policy.models import PracticePolicy
from practice.staff.models import Role, User
from sessions_app.checkins.forms import InstrumentRulesField

StrOrPromise = str | Promise


@dataclass(frozen=True)
class PolicyValue:
    """How the policy page presents one value: its label, unit, what it changes, its range.

    The texts are kept lazy (the module is read once) and read in the active language."""

    label_text: StrOrPromise
    explains_text: StrOrPromise
    unit_text: StrOrPromise = ""
    minimum: int | None = None
    maximum: int | None = None
    default: StrOrPromise = ""  # for values whose default is too long to show as it is

    @property
    def label(self) -> str:
        return str(self.label_text)

    @property
    def explains(self) -> str:
        return str(self.explains_text)

    @property
    def unit(self) -> str:
        return str(self.unit_text)

    @property
    def default_text(self) -> str:
        return str(self.default)


POLICY_GROUPS: list[tuple[str, str, dict[str, PolicyValue]]] = [
    (
        "endings",
        _("Endings"),
        {
            "minimum_notice_days": PolicyValue(
                _("Minimum notice before a planned ending"),
                _(
                    "A planned final session must be at least this long after the ending was "
                    "raised."
                ),
                _("days"),
                0,
                120,
            ),
            "silent_client_days": PolicyValue(
                _("Days without contact before an unplanned ending is proposed"),
                _(
                    "A client with no attended session for this long and nothing booked is flagged "
                    "on the caseload."
                ),
                _("days"),
                7,
                365,
            ),
            "outreach_attempts_before_letter": PolicyValue(
                _("Outreach attempts before a closing letter"),
                _(
                    "How many times the counselor tries to reach a silent client before the "
                    "closing letter can be written."
                ),
                _("attempts"),
                1,
                10,
            ),
            "closing_summary_due_days": PolicyValue(
                _("Closing summary due after the final session"),
                _("The ending shows the summary as due this long after the final session."),
                _("days"),
                1,
                90,
            ),
            "follow_up_offsets_days": PolicyValue(
                _("Follow-up check-ins after the ending"),
                _(
                    "Days after the ending when the counselor checks in; type them in ascending "
                    "order, separated by commas."
                ),
                _("days"),
                1,
                1095,
            ),
            "closure_requires_approval": PolicyValue(
                _("Closures need a supervisor's approval"),
                _(
                    "When on, a signed closing summary waits for a supervisor before the record "
                    "can close."
                ),
            ),
            "closing_letter_referrals": PolicyValue(
                _("Referrals in an unplanned closing letter"),
                _("The unplanned closing letter names at least this many other providers."),
                _("providers"),
                0,
                10,
            ),
            "no_relationship_years": PolicyValue(
                _("No personal relationship after the ending"),
                _(
                    "The closed record shows the date until which a personal relationship with the "
                    "former client is barred, counted from the last contact."
                ),
                _("years"),
                0,
                100,
            ),
            "crisis_resources": PolicyValue(
                _("Crisis resources"),
                _("Printed in after-care and closing letters, one line each."),
                default=_("the 911, 988 and Crisis Text Line numbers"),
            ),
            "crisis_resources_fr": PolicyValue(
                _("Crisis resources in French"),
                _("The same, for clients who correspond in French, one line each."),
                default=_("Québec’s 911, Info-Social 811, 1 866 APPELLE and 9-8-8"),
            ),
        },
    ),
    (
        "records",
        _("Records"),
        {
            "retention_years": PolicyValue(
                _("Record retention after the last contact"),
                _(
                    "A closed record becomes eligible for destruction after this long (a report: "
                    "nothing is deleted by itself). It cannot be shorter than the legal minimum."
                ),
                _("years"),
                1,
                100,
            ),
            "retention_legal_minimum_years": PolicyValue(
                _("Legal minimum retention"),
                _(
                    "The shortest retention your jurisdiction allows; the retention above is "
                    "checked against it."
                ),
                _("years"),
                0,
                100,
            ),
            "age_of_majority": PolicyValue(
                _("Age of majority"),
                _("Clients younger than this are minors for record retention."),
                _("years of age"),
                14,
                25,
            ),
            "minor_retention_years_after_majority": PolicyValue(
                _("Minors: retention after majority"),
                _(
                    "A minor's record is kept until the later of the retention above and this many "
                    "years after they come of age."
                ),
                _("years"),
                0,
                30,
            ),
        },
    ),
    (
        "notes",
        _("Notes and supervision"),
        {
            "note_signing_due_hours": PolicyValue(
                _("Notes signed within"),
                _("A progress note not signed this long after its session is flagged as overdue."),
                _("hours"),
                1,
                720,
            ),
            "cosign_required_for": PolicyValue(
                _("Co-signing required for"),
                _(
                    "Whose signed notes wait for a supervisor's co-signature (mark associates and "
                    "trainees on their staff page)."
                ),
            ),
            "plan_review_interval_days": PolicyValue(
                _("Treatment plan review interval"),
                _(
                    "A client's goals are flagged for review when the last review is older than "
                    "this."
                ),
                _("days"),
                7,
                365,
            ),
            "maximum_caseload": PolicyValue(
                _("Maximum caseload"),
                _("Supervisors see each supervisee's open clients against this number."),
                _("clients"),
                1,
                500,
            ),
        },
    ),
    (
        "measures",
        _("Alliance and outcomes"),
        {
            "alliance_cutoff": PolicyValue(
                _("Alliance alert cutoff"),
                _(
                    "An alliance check-in total (0–40) below this raises an alert for the "
                    "counselor."
                ),
                _("points"),
                0,
                40,
            ),
            "alliance_drop_points": PolicyValue(
                _("Alliance drop alert"),
                _("A fall of this many points since the last session also raises an alert."),
                _("points"),
                1,
                40,
            ),
            "off_track_after_sessions": PolicyValue(
                _("Outcome off track after"),
                _(
                    "A client whose outcome measure is unchanged after this many attended sessions "
                    "shows as off track to the supervisor."
                ),
                _("sessions"),
                1,
                52,
            ),
            "report_min_cell_size": PolicyValue(
                _("Smallest count in the admin's reports"),
                _(
                    "The practice admin's outcome reports hide any count below this (with a note), "
                    "so that no figure points at a single client."
                ),
                _("clients"),
                2,
                50,
            ),
        },
    ),
    (
        "checkins",
        _("Check-ins and the relapse watch"),
        {
            "checkin_expiry_hours": PolicyValue(
                _("Session check-in link works for"),
                _("A check-in the client has not answered by then is marked as no response."),
                _("hours"),
                1,
                720,
            ),
            "follow_up_checkin_expiry_days": PolicyValue(
                _("Follow-up check-in link works for"),
                _("How long a former client has to answer a follow-up check-in."),
                _("days"),
                1,
                60,
            ),
            "checkin_before_session": PolicyValue(
                _("Instruments sent before sessions"),
                _(
                    "“Short name: every N sessions”, comma-separated (1 = every session, 4 = the "
                    "1st, 5th, 9th …). Leave empty to send none. Counselors can change it per "
                    "client."
                ),
                default="Alliance: 1, PHQ-9: 4",
            ),
            "checkin_hours_before_session": PolicyValue(
                _("Sent before the session"),
                _("Only to clients with an email address and consent to electronic communication."),
                _("hours"),
                1,
                336,
            ),
            "residual_symptoms_from": PolicyValue(
                _("Residual symptoms from"),
                _(
                    "A last PHQ-9 or GAD-7 from this score up to the cutoff makes the relapse "
                    "watch monthly (Ali et al. 2017: residual symptoms nearly double the risk)."
                ),
                _("points"),
                1,
                27,
            ),
            "residual_watch_months": PolicyValue(
                _("Monthly watch for"),
                _("How long the monthly watch lasts before the usual follow-up offsets resume."),
                _("months"),
                1,
                24,
            ),
            "risk_alert_to_supervisor": PolicyValue(
                _("Risk alerts to supervisors too"),
                _(
                    "A risk item (PHQ-9 item 9) endorsed on a check-in alerts the supervisors as "
                    "well as the counselor."
                ),
            ),
        },
    ),
    (
        "security",
        _("Security"),
        {
            "mfa_required": PolicyValue(
                _("Two-factor sign-in required"),
                _(
                    "When on, staff without an authenticator app (you included) are sent to set "
                    "one up before anything else."
                ),
            ),
            "idle_logoff_minutes": PolicyValue(
                _("Idle sign-out"),
                _("Staff are signed out after this long without activity."),
                _("minutes"),
                1,
                240,
            ),
        },
    ),
    (
        "letterhead",
        _("Letterhead"),
        {
            "practice_name": PolicyValue(
                _("Practice name"), _("Heads every page, letter and summary.")
            ),
            "address": PolicyValue(_("Address"), _("Printed under the name on letters.")),
            "phone": PolicyValue(_("Phone"), _("Printed on letters for clients to call.")),
            "email": PolicyValue(_("Email"), _("Printed on letters; leave empty to leave it out.")),
            "letter_footer": PolicyValue(
                _("Letter footer"), _("A line at the foot of every letter, e.g. a licence number.")
            ),
            "letter_footer_fr": PolicyValue(
                _("Letter footer in French"),
                _("The footer of letters written in French; empty: the English one."),
            ),
            "language": PolicyValue(
                _("Practice language"),
                _(
                    "A new client's language of correspondence, and the language a closing "
                    "summary or referral letter is written in unless the counselor chooses."
                ),
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
        return gettext("on") if default else gettext("off")
    if isinstance(default, list):
        return ", ".join(str(day) for day in default)
    field = PracticePolicy._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices)[default]).lower()
    if default in ("", None):
        return gettext("empty")
    return f"{default} {value.unit}".strip()


def _range_validator(minimum: int | None, maximum: int | None, unit: str):
    def check(number: int) -> None:
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ValidationError(
                gettext("Choose a whole number from %(minimum)s to %(maximum)s %(unit)s.")
                % {"minimum": minimum, "maximum": maximum, "unit": unit}
            )

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
            raise ValidationError(gettext("Give at least one number of days, e.g. 30, 90, 180."))
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(
                gettext("Use whole numbers of days separated by commas, e.g. 30, 90, 180.")
            )
        if len(parts) > 12:
            raise ValidationError(gettext("Twelve follow-ups at most."))
        days = [int(part) for part in parts]
        if any(day > 1095 for day in days):
            raise ValidationError(gettext("Keep each follow-up within three years (1095 days)."))
        return days


# The logo and the letter preview have their own page (when that page is installed).
LETTERHEAD_LINK = HTML(
    '{% load i18n %}{% url "letterhead" as letterhead_url %}{% if letterhead_url %}'
    '<p class="small">{% blocktranslate %}The logo and a preview of a letter are on '
    '<a href="{{ letterhead_url }}">the letterhead page</a>.{% endblocktranslate %}</p>'
    "{% endif %}"
)


class PolicyForm(InputLimits, forms.ModelForm):
    max_lengths = {
        "address": ADDRESS_MAX_LENGTH,
        "crisis_resources": 5_000,
        "crisis_resources_fr": 5_000,
    }

    follow_up_offsets_days = FollowUpOffsetsField()
    checkin_before_session = InstrumentRulesField(required=False)

    class Meta:
        model = PracticePolicy
        fields = list(POLICY_FIELDS)
        widgets = {
            "crisis_resources": forms.Textarea(attrs={"rows": 4}),
            "crisis_resources_fr": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in POLICY_VALUES.items():
            field = self.fields[name]
            field.label = value.label
            field.help_text = gettext("%(explains)s Default: %(default)s.") % {
                "explains": value.explains,
                "default": _default_text(name, value),
            }
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
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("The invitation with the link to choose a password goes here."),
    )
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("What they type to sign in.")
    )
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One person may hold several roles."),
    )
    credentials = forms.CharField(
        label=_("Credentials"),
        max_length=120,
        required=False,
        help_text=_("Shown under the signature, e.g. “LPC, MA”."),
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
            "email": _("Email"),
            "credentials": _("Credentials"),
            "time_zone": _("Time zone"),
            "is_counselor": _("Counselor (carries a caseload)"),
            "is_supervisor": _("Supervisor (reviews supervisees' work)"),
            "is_practice_admin": _("Practice admin (policy, staff, directory, audit)"),
        }
        help_texts = {"time_zone": _("Times on every page are shown in this zone.")}


class SupervisionLinkForm(InputLimits, forms.Form):
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=User.objects.none(),
        empty_label=_("Choose a supervisor"),
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while it goes on."),
    )

    def __init__(self, *args, supervisee: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = User.objects.supervisors().exclude(pk=supervisee.pk)


class SupervisionEndForm(InputLimits, forms.Form):
    ends_on = forms.DateField(
        label=_("Last day of supervision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


# The client directory and the audit log -------------------------------------------------------

NEEDS_COUNSELOR = "needs_counselor"


SMALL_INPUT = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class DirectoryFilterForm(InputLimits, forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**SMALL_INPUT, "type": "search", "placeholder": _("Search by name")}
        ),
    )
    counselor = forms.ModelChoiceField(
        label=_("Counselor"),
        queryset=User.objects.filter(is_counselor=True),
        required=False,
        empty_label=_("Anyone"),
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=forms.Select(attrs=SMALL_SELECT),
        choices=[
            ("", _("Any")),
            ("active", _("Active")),
            ("ending", pgettext_lazy("client status", "Ending")),
            ("closed", _("Closed")),
            (NEEDS_COUNSELOR, _("Needs a new counselor")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].label_from_instance = staff_label


def staff_label(user: User) -> str:
    return str(user) if user.is_active else gettext("%(name)s (deactivated)") % {"name": user}


class AuditFilterForm(InputLimits, forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=User.objects.all(),
        required=False,
        empty_label=_("Anyone"),
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    client_id = forms.IntegerField(
        label=_("Client number"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.NumberInput(attrs={**SMALL_INPUT, "min": 1}),
    )
    action = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any")), *AuditEvent.Action.choices],
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={**SMALL_INPUT, "type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={**SMALL_INPUT, "type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].label_from_instance = staff_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", gettext("The end of the range comes before its start."))
        return data
