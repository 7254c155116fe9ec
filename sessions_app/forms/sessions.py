"""Forms for scheduling a session, moving it and recording what happened. They only validate
input; the services decide whether the time is free and the move allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientStatus
from practice.forms import QueryForm, row_id_field
from practice.input import InputLimits
from practice.staff.models import User
from sessions_app.models import Modality, SessionKind, SessionStatus

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# The years the week agenda can show.
AGENDA_FIRST_YEAR, AGENDA_LAST_YEAR = 1970, 2199


def _start_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Starts"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-03-02T14:00.")},
    )


def _duration_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=5,
        max_value=480,
        initial=50,
        help_text=_("From 5 to 480 minutes."),
    )


class SessionScheduleForm(InputLimits, forms.Form):
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(),
        label=_("Client"),
        empty_label=_("Choose a client"),
        help_text=_("Clients on your caseload or whom you are covering."),
        error_messages={"invalid_choice": _("Choose one of your clients from the list.")},
    )
    starts_at = _start_field()
    duration_minutes = _duration_field()
    modality = forms.ChoiceField(
        label=_("Modality"), choices=Modality.choices, initial=Modality.IN_PERSON
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SessionKind.choices, initial=SessionKind.REGULAR
    )

    def __init__(self, *args, counselor: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed records are locked, so they are not offered.
        self.fields["client"].queryset = Client.objects.editable_by(counselor).exclude(
            status=ClientStatus.CLOSED
        )


class SessionRescheduleForm(InputLimits, forms.Form):
    starts_at = _start_field()
    duration_minutes = _duration_field()
    modality = forms.ChoiceField(label=_("Modality"), choices=Modality.choices)


class SessionStatusForm(InputLimits, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=SessionStatus.choices,
        error_messages={"required": _("Choose what happened to the session.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. why the client cancelled."),
    )


class AgendaWeekForm(QueryForm):
    """The week the agenda shows: any day of it, in the years the agenda can show."""

    week = forms.DateField(input_formats=["%Y-%m-%d"], initial=None, label=_("Week"))

    def clean_week(self):
        day = self.cleaned_data["week"]
        if day is not None and not AGENDA_FIRST_YEAR <= day.year <= AGENDA_LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a week between %(first)s and %(last)s."),
                code="week_out_of_range",
                params={"first": AGENDA_FIRST_YEAR, "last": AGENDA_LAST_YEAR},
            )
        return day


class SessionQueryForm(QueryForm):
    """The client a link to the schedule form presets."""

    client = row_id_field(_("Client"))
