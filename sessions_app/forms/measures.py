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
from practice.formats import when
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
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("The full name, as the licence gives it.")
    )
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=20,
        help_text=_("Shown in tables and charts, for example “ORS”."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=InstrumentKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Alliance measures raise alliance alerts; outcome measures are classified "
            "first against latest."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Instructions shown above the questions."),
    )
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One item per line, as “key | text”, or just the text (keys item1, item2 … "
            "are then made for you). Type the wording your licence allows you to use."
        ),
        error_messages={"required": _("Type at least one item, one per line.")},
    )
    scale_min = forms.IntegerField(
        label=_("Scale from"), min_value=-1000, max_value=1000, initial=0
    )
    scale_max = forms.IntegerField(label=_("Scale to"), min_value=-1000, max_value=1000)
    scale_labels = forms.CharField(
        label=_("Scale labels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, one per line as “value: label”, for example “0: Not at all”."),
    )
    scoring = forms.ChoiceField(label=_("Scoring"), choices=Scoring.choices, initial=Scoring.SUM)
    subscales = forms.CharField(
        label=_("Subscales"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, one per line as “Name: key1, key2”."),
    )
    clinical_cutoff = forms.DecimalField(
        label=_("Clinical cutoff"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=_("The total that separates the clinical from the non-clinical range."),
    )
    reliable_change = forms.DecimalField(
        label=_("Reliable-change threshold"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=_("How many points the total must move to count as a real change."),
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
        label=_("Direction"),
        choices=[
            ("true", _("Higher scores are better")),
            ("false", _("Higher scores are worse")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    name_fr = forms.CharField(
        label=_("Name in French"),
        required=False,
        max_length=120,
        help_text=_("Optional: the name of the licensed French version."),
    )
    description_fr = forms.CharField(
        label=_("Description in French"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    items_fr = forms.CharField(
        label=_("Items in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Optional: the French wording your licence allows, one item per line in the same "
            "order as the items above. Clients who correspond in French answer these."
        ),
    )
    scale_labels_fr = forms.CharField(
        label=_("Scale labels in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, one per line as “value: label”, for example “0: Pas du tout”."),
    )
    licence_reference = forms.CharField(
        label=_("Licence reference"),
        max_length=300,
        help_text=_("The licence or permission under which the practice uses this instrument."),
        error_messages={"required": _("Record the licence under which the practice uses it.")},
    )

    def clean_items(self) -> list[dict[str, str]]:
        lines = _lines(self.cleaned_data["items"])
        if not lines:
            raise forms.ValidationError(_("Type at least one item, one per line."))
        if len(lines) > MAX_ITEMS:
            raise forms.ValidationError(
                _("Keep to at most %(count)s items.") % {"count": MAX_ITEMS}
            )
        items = []
        for number, line in enumerate(lines, start=1):
            key, bar, text = line.partition("|")
            if not bar:
                key, text = f"item{number}", line
            key, text = key.strip(), text.strip()
            if not ITEM_KEY.match(key):
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: a key starts with a letter and has only letters, "
                        "digits, “-” or “_” (at most 30)."
                    )
                    % {"number": number}
                )
            if not text:
                raise forms.ValidationError(
                    _("Line %(number)s: type the item's text after “|”.") % {"number": number}
                )
            if len(text) > 500:
                raise forms.ValidationError(
                    _("Line %(number)s: keep an item to 500 characters.") % {"number": number}
                )
            items.append({"key": key, "text": text})
        return items

    def clean_subscales(self) -> dict[str, list[str]]:
        subscales: dict[str, list[str]] = {}
        for number, line in enumerate(_lines(self.cleaned_data["subscales"]), start=1):
            name, colon, keys = line.partition(":")
            members = [key.strip() for key in keys.split(",") if key.strip()]
            if not colon or not name.strip() or not members:
                raise forms.ValidationError(
                    _("Line %(number)s: write each subscale as “Name: key1, key2”.")
                    % {"number": number}
                )
            if name.strip() in subscales:
                raise forms.ValidationError(
                    _("Line %(number)s: subscale %(name)s is twice.")
                    % {"number": number, "name": name.strip()}
                )
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
        return self._scale_labels("scale_labels")

    def clean_scale_labels_fr(self) -> dict[str, str]:
        return self._scale_labels("scale_labels_fr")

    def _scale_labels(self, field: str) -> dict[str, str]:
        labels: dict[str, str] = {}
        for number, line in enumerate(_lines(self.cleaned_data[field]), start=1):
            value, colon, label = line.partition(":")
            try:
                point = int(value.strip())
            except ValueError:
                point = None
            if not colon or point is None or not label.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write each label as “value: label”, e.g. “0: Not at all”.")
                    % {"number": number}
                )
            labels[str(point)] = label.strip()[:60]
        return labels

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high - low >= MAX_SCALE_POINTS:
            self.add_error(
                "scale_max",
                _("Keep the scale to at most %(count)s points per item.")
                % {"count": MAX_SCALE_POINTS},
            )
        items, items_fr = cleaned.get("items") or [], _lines(cleaned.get("items_fr") or "")
        if items and items_fr and len(items_fr) != len(items):
            self.add_error(
                "items_fr",
                _("Give one French line for each of the %(count)s items, in the same order.")
                % {"count": len(items)},
            )
        labels = cleaned.get("scale_labels") or {}
        if low is not None and high is not None and labels:
            outside = [value for value in labels if not low <= int(value) <= high]
            if outside:
                self.add_error(
                    "scale_labels",
                    _("Label %(label)s is outside the scale %(low)s–%(high)s.")
                    % {"label": outside[0], "low": low, "high": high},
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
            "translations": self._translations(),
        }

    def _translations(self) -> dict[str, dict]:
        """The French texts the admin typed, as Instrument.translations keeps them."""
        data = self.cleaned_data
        french = {
            "name": data["name_fr"].strip(),
            "description": data["description_fr"].strip(),
            "items": {
                item["key"]: text
                for item, text in zip(data["items"], _lines(data["items_fr"]), strict=False)
            },
            "scale_labels": data["scale_labels_fr"],
        }
        french = {key: value for key, value in french.items() if value}
        return {"fr": french} if french else {}


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
        label=_("Session"),
        empty_label=_("Not tied to a session"),
        help_text=_("The session the measure belongs to, if any."),
    )
    # "device" is only ever set by a check-in answered on the client's own phone.
    mode = forms.ChoiceField(
        label=_("Mode"),
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
            f"{when(timezone.localtime(session.starts_at), 'weekday_datetime')} · "
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
                    "required": _("Answer this question."),
                    "invalid_choice": _("Use a whole number from %(low)s to %(high)s.")
                    % {"low": low, "high": high},
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
