"""Forms for groups: creating one, members joining and leaving, group sessions, attendance.

They only check the shape of the input; the services decide what is allowed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientStatus
from practice.forms import RowMultipleChoiceField, add_service_error
from practice.input import InputLimits
from practice.staff.models import User
from sessions_app.models import GroupAttendance, GroupMember, Modality

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ServiceErrorsMixin:
    """Puts a service's ValidationError beside the fields it names; the rest goes on top."""

    def add_service_error(self, error: ValidationError) -> None:
        add_service_error(self, error, self.service_field_map)

    # A service may name a field differently from the form (e.g. an item key).
    service_field_map: dict[str, str] = {}


def user_time_zone(user: User) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


class GroupForm(InputLimits, ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("For example “Managing anxiety, spring”.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who the group is for and what it works on."),
    )
    co_facilitators = RowMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Co-facilitators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You facilitate the group; add colleagues who run it with you."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT, initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for an open-ended group."),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_facilitators"].queryset = User.objects.counselors().exclude(pk=actor.pk)
        self.fields["co_facilitators"].label_from_instance = lambda user: (
            user.display_with_credentials
        )


class MemberAddForm(InputLimits, ServiceErrorsMixin, forms.Form):
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(),
        label=_("Client"),
        help_text=_("Clients on your caseload (or whom you cover) who are not in the group now."),
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, actor: User, current_client_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = (
            Client.objects.editable_by(actor)
            .exclude(status=ClientStatus.CLOSED)
            .exclude(pk__in=current_client_ids)
        )


class MemberExitForm(InputLimits, ServiceErrorsMixin, forms.Form):
    exited_on = forms.DateField(label=_("Left on"), widget=DATE_INPUT, initial=timezone.localdate)
    exit_reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason")), *GroupMember.ExitReason.choices]
    )


class GroupSessionForm(InputLimits, ServiceErrorsMixin, forms.Form):
    """The start is typed in the facilitator's own time zone."""

    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=480, initial=90
    )
    modality = forms.ChoiceField(
        label=_("Modality"), choices=Modality.choices, initial=Modality.IN_PERSON
    )

    def __init__(self, *args, time_zone: dt.tzinfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["starts_at"].help_text = _("In your time zone (%(zone)s).") % {
            "zone": time_zone
        }

    def clean_starts_at(self) -> dt.datetime:
        # Django reads the value in the server's zone; re-read the wall time in the user's zone.
        value = self.cleaned_data["starts_at"]
        wall_time = timezone.make_naive(value) if timezone.is_aware(value) else value
        return timezone.make_aware(wall_time, self.time_zone)


class AttendanceForm(InputLimits, forms.Form):
    """One member's row on the attendance sheet (each row has its own prefix)."""

    presence = forms.ChoiceField(
        label=_("Presence"),
        choices=GroupAttendance.Presence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Mark this member present, absent or excused.")},
    )
    note_line = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=280,
        help_text=_("One line, optional."),
    )
