"""The instrument library and the ratings recorded with it.

Shipped instruments: our own alliance check-in, PHQ-9 and GAD-7 (free to use). Licensed
instruments (SRS, ORS, WAI-SR, OQ-45 ...) are typed in by a practice that holds a licence;
their item text is never shipped with the product.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from practice.languages import language_field


class InstrumentKind(models.TextChoices):
    ALLIANCE = "alliance", _("Alliance")
    OUTCOME = "outcome", _("Outcome")


class Scoring(models.TextChoices):
    SUM = "sum", _("Sum of items")
    MEAN = "mean", _("Mean of items")


class InstrumentQuerySet(models.QuerySet):
    def enabled(self) -> InstrumentQuerySet:
        return self.filter(is_enabled=True)

    def by_pk(self) -> dict[int, Instrument]:
        """Each instrument by its id, read once, for code that meets instrument ids in rows."""
        return {instrument.pk: instrument for instrument in self}


class Instrument(models.Model):
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=InstrumentKind.choices)
    description = models.TextField(blank=True)
    # [{"key": "q1", "text": "..."}]: the order is the order shown.
    items = models.JSONField()
    scale_min = models.SmallIntegerField(default=0)
    scale_max = models.SmallIntegerField()
    scale_labels = models.JSONField(default=dict, blank=True)
    # {"Goals": ["goals"], ...}: subscale name to the keys of its items.
    subscales = models.JSONField(default=dict, blank=True)
    scoring = models.CharField(max_length=4, choices=Scoring.choices, default=Scoring.SUM)
    clinical_cutoff = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reliable_change = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    higher_is_better = models.BooleanField()
    # Items that ask about risk (PHQ-9 item 9): any answer above the scale's floor warns at once.
    risk_items = models.JSONField(default=list, blank=True)
    licence_reference = models.CharField(max_length=300, blank=True)
    # Severity bands of the total, lowest first: [{"from": 0, "to": 4, "label": "minimal"}, ...]
    # (shipped values and their sources in sessions_app/shipped_instruments.py).
    severity_bands = models.JSONField(null=True, blank=True)
    # The texts in other languages, by language code: {"fr": {"name", "short_name", "description",
    # "items": {key: text}, "scale_labels": {value: label}, "subscales": {name: name},
    # "bands": {label: label}, "licence_reference"}}. Missing texts fall back to the fields above.
    translations = models.JSONField(default=dict, blank=True)
    is_shipped = models.BooleanField(default=False, editable=False)
    is_enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="instrument_scale_has_range"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs):
        if getattr(self, "_for_reading_only", False):
            raise TypeError("An instrument shown in another language is never saved.")
        return super().save(*args, **kwargs)

    def in_language(self, language: str | None = None) -> Instrument:
        """A copy of this instrument to show, its texts in ``language`` (the active language by
        default) where a translation exists; the keys, values and scoring stay the same. The copy
        is for reading only: it refuses to be saved."""
        texts = self._texts(language)
        if not texts:
            return self
        shown = copy.copy(self)
        shown._for_reading_only = True
        shown._language = language  # band_label names the bands in it
        for field in ("name", "short_name", "description", "licence_reference"):
            setattr(shown, field, texts.get(field) or getattr(self, field))
        item_texts = texts.get("items", {})
        shown.items = [
            {**item, "text": item_texts.get(item["key"]) or item["text"]} for item in self.items
        ]
        shown.scale_labels = {**(self.scale_labels or {}), **texts.get("scale_labels", {})}
        shown.subscale_labels = texts.get("subscales", {})
        return shown

    def subscale_label(self, name: str) -> str:
        return getattr(self, "subscale_labels", {}).get(name, name)

    @property
    def item_keys(self) -> list[str]:
        return [item["key"] for item in self.items]

    @property
    def total_min(self) -> Decimal:
        return Decimal(
            self.scale_min if self.scoring == Scoring.MEAN else self.scale_min * len(self.items)
        )

    @property
    def total_max(self) -> Decimal:
        return Decimal(
            self.scale_max if self.scoring == Scoring.MEAN else self.scale_max * len(self.items)
        )

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def band_of(self, total: Decimal | float | int | None) -> str:
        """The severity band a total falls in ("" without bands, or outside them), named by
        band_label."""
        if total is None:
            return ""
        for band in self.severity_bands or []:
            if Decimal(str(band["from"])) <= Decimal(str(total)) <= Decimal(str(band["to"])):
                return self.band_label(band["label"])
        return ""

    def band_label(self, label: str) -> str:
        """A severity band's name in the copy's language (in_language), else the active one."""
        return self._texts(getattr(self, "_language", None)).get("bands", {}).get(label, label)

    def _texts(self, language: str | None) -> dict:
        """The translated texts in ``language`` (the active language by default), or {}."""
        language = (language or translation.get_language() or "en")[:2]
        return (self.translations or {}).get(language) or {}

    @property
    def bands_text(self) -> str:
        """The bands in one line: "0–4 minimal · 5–9 mild · …"."""
        return " · ".join(
            f"{band['from']}–{band['to']} {self.band_label(band['label'])}"
            for band in self.severity_bands or []
        )


class RatingMode(models.TextChoices):
    COUNSELOR = "counselor", _("Typed in by the counselor")
    CLIENT = "client", _("Filled in by the client on the counselor's screen")
    DEVICE = "device", _("Given by the client on their own device")


class Rating(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="ratings")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="ratings")
    session = models.ForeignKey(
        "sessions_app.CounselingSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    administered_on = models.DateField()
    answers = models.JSONField()
    total = models.DecimalField(max_digits=7, decimal_places=2)
    subscale_scores = models.JSONField(default=dict)
    mode = models.CharField(max_length=10, choices=RatingMode.choices, default=RatingMode.COUNSELOR)
    # The language the items were given in (the client's language of correspondence on a check-in).
    language = language_field(_("language given in"))
    risk_endorsed = models.BooleanField(
        default=False, help_text=_("A risk item (such as PHQ-9 item 9) was answered above zero.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the client gave it on their own device (a check-in); empty for the other modes.
    given_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administered_on", "created_at", "pk"]
        indexes = [models.Index(fields=["client", "instrument", "administered_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "client", "session"],
                condition=Q(session__isnull=False),
                name="one_rating_per_instrument_per_session",
                violation_error_message=_("This measure is already recorded for that session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} on {self.administered_on}"

    @property
    def band(self) -> str:
        return self.instrument.band_of(self.total)


class AllianceAlert(models.Model):
    """Raised when an alliance rating falls below the cutoff or drops sharply."""

    class Reason(models.TextChoices):
        BELOW_CUTOFF = "below_cutoff", _("Below the cutoff")
        DROP = "drop", _("Dropped from the last session")
        BOTH = "both", _("Below the cutoff and dropped")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="alliance_alert")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="alliance_alerts"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    cutoff = models.DecimalField(max_digits=6, decimal_places=2)
    previous_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    repeated = models.BooleanField(
        default=False, help_text=_("The previous alliance rating raised an alert too.")
    )
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Alliance alert for {self.client}: {self.get_reason_display()}"
