"""Forms of the check-ins: they validate only; the services make the changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from practice.formats import when
from practice.forms import (
    QueryForm,
    RowChoiceField,
    RowMultipleChoiceField,
    add_service_error,
    row_id_field,
)
from practice.input import InputLimits
from sessions_app.checkins.models import CheckInChannel, ComparedToEnd
from sessions_app.models import CounselingSession, Instrument, SessionStatus

ITEM_PREFIX = "item_"


class InstrumentRulesField(forms.CharField):
    """Before-session rules typed as "Alliance: 1, PHQ-9: 4" (instrument: every N sessions)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(f"{rule['instrument']}: {rule['every']}" for rule in value)
        return value

    def to_python(self, value: Any) -> list[dict]:  # type: ignore[override]
        text = super().to_python(value)
        rules = []
        for part in (part.strip() for part in text.split(",")):
            if not part:
                continue
            name, colon, every = part.rpartition(":")
            every = every.strip()
            if not colon or not name.strip() or not (every.isascii() and every.isdigit()):
                raise ValidationError(
                    _("Write each as “short name: N”, e.g. Alliance: 1, PHQ-9: 4.")
                )
            if not 1 <= int(every) <= 52:
                raise ValidationError(_("Every 1 to 52 sessions."))
            rules.append({"instrument": name.strip(), "every": int(every)})
        return rules


class CheckInSendForm(InputLimits, forms.Form):
    instruments = RowMultipleChoiceField(
        queryset=Instrument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Measures to answer"),
        error_messages={"required": _("Choose at least one measure.")},
    )
    channel = forms.ChoiceField(
        choices=CheckInChannel.choices,
        widget=forms.RadioSelect,
        initial=CheckInChannel.IN_ROOM,
        label=_("How it reaches the client"),
    )
    session = RowChoiceField(
        queryset=CounselingSession.objects.none(),
        required=False,
        empty_label=_("Not tied to a session"),
        label=_("Session"),
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].queryset = Instrument.objects.enabled()
        self.fields["instruments"].label_from_instance = lambda instrument: instrument.name
        now = timezone.now()
        self.fields["session"].queryset = client.sessions.filter(
            status__in=(SessionStatus.SCHEDULED, SessionStatus.ATTENDED),
            starts_at__gte=now - timezone.timedelta(days=14),
        ).order_by("starts_at")
        self.fields["session"].label_from_instance = lambda session: when(
            timezone.localtime(session.starts_at), "weekday_datetime"
        )

    add_service_error = add_service_error


def scale_choices(instrument: Instrument) -> list[tuple[str, str]]:
    """Every value of the scale as a choice. A worded scale (PHQ-9's "Several days") reads
    "1 – Several days"; a number scale shows the number, its end words for screen readers
    only (the prompt above the questions says them to everyone)."""
    labels = instrument.scale_labels or {}
    worded = all(str(value) in labels for value in instrument.scale_values)
    choices = []
    for value in instrument.scale_values:
        words = labels.get(str(value))
        if worded:
            label = f"{value} – {words}"
        elif words:
            label = format_html('{}<span class="visually-hidden"> – {}</span>', value, words)
        else:
            label = str(value)
        choices.append((str(value), label))
    return choices


class AnswerForm(InputLimits, forms.Form):
    """One question per item of the instrument, each a set of radio buttons."""

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        # The questions in the language of the page (the client's): the validated translation.
        instrument = instrument.in_language()
        self.instrument = instrument
        choices = scale_choices(instrument)
        for item in instrument.items:
            self.fields[f"{ITEM_PREFIX}{item['key']}"] = forms.ChoiceField(
                label=item["text"],
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to this question."),
                    "invalid_choice": _("Choose one of the answers shown."),
                },
            )

    @property
    def worded_scale(self) -> bool:
        """Every value has words (PHQ-9's "Several days"): shown as a list, not a number row."""
        labels = self.instrument.scale_labels or {}
        return all(str(value) in labels for value in self.instrument.scale_values)

    def answers(self) -> dict[str, int]:
        return {
            key.removeprefix(ITEM_PREFIX): int(value) for key, value in self.cleaned_data.items()
        }

    def add_service_error(self, error) -> None:
        add_service_error(
            self, error, {key: f"{ITEM_PREFIX}{key}" for key in self.instrument.item_keys}
        )


class FollowUpQuestionsForm(InputLimits, forms.Form):
    compared_to_end = forms.ChoiceField(
        label=_("Compared with when counseling ended, how are things now?"),
        choices=ComparedToEnd.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer to this question.")},
    )
    wants_to_talk = forms.TypedChoiceField(
        label=_("Would you like to talk with us again?"),
        choices=[("yes", _("Yes, please contact me")), ("no", _("No, not now"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer to this question.")},
    )
    message = forms.CharField(
        label=_("Anything you would like us to know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ShortCodeForm(InputLimits, forms.Form):
    code = forms.CharField(
        label=_("The code on your counselor's screen"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
        error_messages={"required": _("Type the code you see on the screen.")},
    )


class ScheduleForm(InputLimits, forms.Form):
    MODES = [
        ("policy", _("Follow the practice's schedule")),
        ("own", _("Use my own rules for this client")),
        ("off", _("Send no check-ins before sessions")),
    ]
    mode = forms.ChoiceField(choices=MODES, widget=forms.RadioSelect, label=_("Before sessions"))
    rules = forms.CharField(
        required=False,
        label=_("My rules"),
        help_text=_("“Short name: every N sessions”, comma-separated, e.g. Alliance: 1, GAD-7: 4."),
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == "own":
            try:
                data["rules"] = InstrumentRulesField(required=True).clean(data.get("rules", ""))
            except forms.ValidationError as error:
                self.add_error("rules", error)
        else:
            data["rules"] = None
        return data

    add_service_error = add_service_error


class CheckInQueryForm(QueryForm):
    """The session a link to the check-in form presets."""

    session = row_id_field(_("Session"))
