"""Forms for the instrument library and for recording a rating.

The instrument form turns what the admin types (items and subscales, one per line) into the
shape the service expects; the rating form has one question per item of the instrument.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from practice.forms import QueryForm, row_id_field
from practice.input import InputLimits
from sessions_app.forms.groups import DATE_INPUT, ServiceErrorsMixin
from sessions_app.models import Instrument, InstrumentKind, RatingMode
from sessions_app.models.measures import Scoring

ITEM_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,29}$")
MAX_ITEMS = 200
MAX_SCALE_POINTS = 101
ITEM_FIELD_PREFIX = "item_"
# "0–4: minimal", "0-4: minimal" or "0 to 4: minimal"
BAND_LINE = re.compile(r"^\s*(-?\d+)\s*(?:–|-|to)\s*(-?\d+)\s*:\s*(\S.*)$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class InstrumentForm(InputLimits, ServiceErrorsMixin, forms.Form):
    name = forms.CharField(max_length=120, help_text="The full name, as the licence gives it.")
    short_name = forms.CharField(
        max_length=20, help_text="Shown in tables and charts, for example “ORS”."
    )
    kind = forms.ChoiceField(
        choices=InstrumentKind.choices,
        widget=forms.RadioSelect,
        help_text="Alliance measures raise alliance alerts; outcome measures are classified "
        "first against latest.",
    )
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Instructions shown above the questions.",
    )
    items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One item per line, as “key | text”, or just the text (keys item1, item2 … "
        "are then made for you). Type the wording your licence allows you to use.",
        error_messages={"required": "Type at least one item, one per line."},
    )
    scale_min = forms.IntegerField(label="Scale from", min_value=-1000, max_value=1000, initial=0)
    scale_max = forms.IntegerField(label="Scale to", min_value=-1000, max_value=1000)
    scale_labels = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, one per line as “value: label”, for example “0: Not at all”.",
    )
    scoring = forms.ChoiceField(choices=Scoring.choices, initial=Scoring.SUM)
    subscales = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, one per line as “Name: key1, key2”.",
    )
    clinical_cutoff = forms.DecimalField(
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="The total that separates the clinical from the non-clinical range.",
    )
    reliable_change = forms.DecimalField(
        label="Reliable-change threshold",
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="How many points the total must move to count as a real change.",
    )
    severity_bands = forms.CharField(
        label=_("Severity bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional, one band per line from the lowest total, as “from–to: label”, for "
            "example “0–4: minimal”. Shown beside every score and in the charts' key."
        ),
    )
    higher_is_better = forms.TypedChoiceField(
        label="Direction",
        choices=[("true", "Higher scores are better"), ("false", "Higher scores are worse")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    licence_reference = forms.CharField(
        max_length=300,
        help_text="The licence or permission under which the practice uses this instrument.",
        error_messages={"required": "Record the licence under which the practice uses it."},
    )

    def clean_items(self) -> list[dict[str, str]]:
        lines = _lines(self.cleaned_data["items"])
        if not lines:
            raise forms.ValidationError("Type at least one item, one per line.")
        if len(lines) > MAX_ITEMS:
            raise forms.ValidationError(f"Keep to at most {MAX_ITEMS} items.")
        items = []
        for number, line in enumerate(lines, start=1):
            key, bar, text = line.partition("|")
            if not bar:
                key, text = f"item{number}", line
            key, text = key.strip(), text.strip()
            if not ITEM_KEY.match(key):
                raise forms.ValidationError(
                    f"Line {number}: a key starts with a letter and has only letters, digits, "
                    "“-” or “_” (at most 30)."
                )
            if not text:
                raise forms.ValidationError(f"Line {number}: type the item's text after “|”.")
            if len(text) > 500:
                raise forms.ValidationError(f"Line {number}: keep an item to 500 characters.")
            items.append({"key": key, "text": text})
        return items

    def clean_subscales(self) -> dict[str, list[str]]:
        subscales: dict[str, list[str]] = {}
        for number, line in enumerate(_lines(self.cleaned_data["subscales"]), start=1):
            name, colon, keys = line.partition(":")
            members = [key.strip() for key in keys.split(",") if key.strip()]
            if not colon or not name.strip() or not members:
                raise forms.ValidationError(
                    f"Line {number}: write each subscale as “Name: key1, key2”."
                )
            if name.strip() in subscales:
                raise forms.ValidationError(f"Line {number}: subscale {name.strip()} is twice.")
            subscales[name.strip()[:60]] = members
        return subscales

    def clean_severity_bands(self) -> list[dict]:
        bands = []
        for number, line in enumerate(_lines(self.cleaned_data["severity_bands"]), start=1):
            match = BAND_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(number)s: write each band as “from–to: label”, e.g. “0–4: minimal”.")
                    % {"number": number}
                )
            low, high, label = match.groups()
            bands.append({"from": int(low), "to": int(high), "label": label.strip()[:40]})
        return bands

    def clean_scale_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for number, line in enumerate(_lines(self.cleaned_data["scale_labels"]), start=1):
            value, colon, label = line.partition(":")
            try:
                point = int(value.strip())
            except ValueError:
                point = None
            if not colon or point is None or not label.strip():
                raise forms.ValidationError(
                    f"Line {number}: write each label as “value: label”, e.g. “0: Not at all”."
                )
            labels[str(point)] = label.strip()[:60]
        return labels

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high - low >= MAX_SCALE_POINTS:
            self.add_error(
                "scale_max", f"Keep the scale to at most {MAX_SCALE_POINTS} points per item."
            )
        labels = cleaned.get("scale_labels") or {}
        if low is not None and high is not None and labels:
            outside = [value for value in labels if not low <= int(value) <= high]
            if outside:
                self.add_error(
                    "scale_labels", f"Label {outside[0]} is outside the scale {low}–{high}."
                )
        return cleaned

    def spec(self) -> dict[str, Any]:
        """The keyword arguments for instrument_create."""
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "short_name": data["short_name"].strip(),
            "kind": data["kind"],
            "description": data["description"].strip(),
            "items": data["items"],
            "scale_min": data["scale_min"],
            "scale_max": data["scale_max"],
            "scale_labels": data["scale_labels"],
            "scoring": data["scoring"],
            "subscales": data["subscales"],
            "clinical_cutoff": data["clinical_cutoff"],
            "reliable_change": data["reliable_change"],
            "higher_is_better": data["higher_is_better"],
            "licence_reference": data["licence_reference"].strip(),
            "severity_bands": data["severity_bands"] or None,
        }


def scale_choices(instrument: Instrument) -> list[tuple[int, str]]:
    labels = instrument.scale_labels or {}
    return [(value, labels.get(str(value), "")) for value in instrument.scale_values]


class RatingForm(InputLimits, ServiceErrorsMixin, forms.Form):
    """One radio question per item of the instrument, plus when and how it was given."""

    administered_on = forms.DateField(
        label=_("Given on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Leave empty to use the session's date (today when not tied to a session)."),
    )
    session = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Not tied to a session",
        help_text="The session the measure belongs to, if any.",
    )
    # "device" is only ever set by a check-in answered on the client's own phone.
    mode = forms.ChoiceField(
        choices=[
            (RatingMode.COUNSELOR.value, RatingMode.COUNSELOR.label),
            (RatingMode.CLIENT.value, RatingMode.CLIENT.label),
        ],
        initial=RatingMode.COUNSELOR,
    )

    def __init__(self, *args, instrument: Instrument, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["session"].queryset = client.sessions.order_by("-starts_at")
        self.fields["session"].label_from_instance = lambda session: (
            f"{timezone.localtime(session.starts_at):%a %d %b %Y, %H:%M} · "
            f"{session.get_kind_display()} · {session.get_status_display()}"
        )
        low, high = instrument.scale_min, instrument.scale_max
        self.service_field_map = {}
        for number, item in enumerate(instrument.items, start=1):
            name = f"{ITEM_FIELD_PREFIX}{item['key']}"
            self.fields[name] = forms.TypedChoiceField(
                label=item["text"],
                # The choice label is the scale's wording for that point (often empty).
                choices=scale_choices(instrument),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Answer this question.",
                    "invalid_choice": f"Use a whole number from {low} to {high}.",
                },
            )
            self.fields[name].number = number
            self.service_field_map[item["key"]] = name

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.service_field_map.values()]

    @property
    def scale_legend(self) -> list[tuple[int, str]]:
        """The labelled points, shown under a long scale instead of inside its buttons."""
        return [(value, label) for value, label in scale_choices(self.instrument) if label]

    @property
    def labels_below(self) -> bool:
        # Up to five points each button has room for its words (0–3 "Not at all" …).
        return len(self.instrument.scale_values) > 5

    def answers(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[name]
            for key, name in self.service_field_map.items()
            if name in self.cleaned_data
        }


class RatingQueryForm(QueryForm):
    """What a link to the rating form presets: the instrument, the session, who fills it in."""

    instrument = row_id_field(_("Instrument"))
    session = row_id_field(_("Session"))
    mode = forms.ChoiceField(
        choices=[
            (RatingMode.COUNSELOR, RatingMode.COUNSELOR),
            (RatingMode.CLIENT, RatingMode.CLIENT),
        ],
        initial=RatingMode.COUNSELOR,
        label=_("Who fills it in"),
    )
