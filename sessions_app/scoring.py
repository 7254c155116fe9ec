"""Scoring ratings and reading them: pure functions, no database.

Outcome classification follows Jacobson and Truax: a change counts as reliable when it is at least
the instrument's reliable-change threshold; "recovered" means a reliable improvement that also
crosses from the clinical to the non-clinical side of the cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.models.measures import Instrument, Scoring


class Outcome(StrEnum):
    RECOVERED = "recovered"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"
    NOT_ENOUGH_DATA = "not_enough_data"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.value]


# Lazy: some pages build their legends from these labels when the module is imported.
OUTCOME_LABELS = {
    "recovered": gettext_lazy("Recovered"),
    "improved": gettext_lazy("Improved"),
    "unchanged": gettext_lazy("Unchanged"),
    "deteriorated": gettext_lazy("Deteriorated"),
    "not_enough_data": gettext_lazy("Not enough data"),
}


@dataclass(frozen=True)
class Score:
    total: Decimal
    subscales: dict[str, Decimal]


def _combine(values: list[int], scoring: str) -> Decimal:
    total = Decimal(sum(values))
    if scoring == Scoring.MEAN:
        total = (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def score(instrument: Instrument, answers: dict[str, object]) -> Score:
    """Check every item is answered within the scale, then total and subscale scores."""
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for key in instrument.item_keys:
        raw = answers.get(key)
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            errors[key] = _("Answer this question.")
            continue
        if not instrument.scale_min <= value <= instrument.scale_max:
            errors[key] = _("Use a whole number from %(low)s to %(high)s.") % {
                "low": instrument.scale_min,
                "high": instrument.scale_max,
            }
            continue
        values[key] = value
    if errors:
        raise ValidationError(errors)
    subscales = {
        name: _combine([values[key] for key in keys], instrument.scoring)
        for name, keys in instrument.subscales.items()
    }
    return Score(total=_combine(list(values.values()), instrument.scoring), subscales=subscales)


def is_clinical(instrument: Instrument, total: Decimal) -> bool:
    """On the clinical side of the cutoff (at or above it when higher is worse)."""
    cutoff = instrument.clinical_cutoff
    if cutoff is None:
        return False
    return total < cutoff if instrument.higher_is_better else total >= cutoff


def classify_outcome(
    instrument: Instrument, first: Decimal | None, latest: Decimal | None, ratings_count: int = 2
) -> Outcome:
    """First against latest. Needs two ratings and a reliable-change threshold."""
    if first is None or latest is None or ratings_count < 2 or instrument.reliable_change is None:
        return Outcome.NOT_ENOUGH_DATA
    improvement = (latest - first) if instrument.higher_is_better else (first - latest)
    threshold = instrument.reliable_change
    if improvement <= -threshold:
        return Outcome.DETERIORATED
    if improvement >= threshold:
        crossed = (
            instrument.clinical_cutoff is not None
            and is_clinical(instrument, first)
            and not is_clinical(instrument, latest)
        )
        return Outcome.RECOVERED if crossed else Outcome.IMPROVED
    return Outcome.UNCHANGED


def alliance_alert_reason(
    *, total: Decimal, previous_total: Decimal | None, cutoff: Decimal, drop_points: int
) -> str | None:
    """'below_cutoff', 'drop', 'both' or None. A drop is `drop_points` or more below the last."""
    below = total < cutoff
    dropped = previous_total is not None and previous_total - total >= drop_points
    if below and dropped:
        return "both"
    if below:
        return "below_cutoff"
    if dropped:
        return "drop"
    return None
