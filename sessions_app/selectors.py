"""Reads of a client's measures: the latest alliance and outcome per client, and the trend
charts. Each takes a fixed number of queries however many ratings there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from clients.models import Client
from practice.policy.models import PracticePolicy
from sessions_app.charts import TrendChart, trend_chart
from sessions_app.models import (
    AllianceAlert,
    Instrument,
    InstrumentKind,
    Rating,
)
from sessions_app.scoring import Outcome, classify_outcome
from sessions_app.services.measures import alliance_cutoff


@dataclass(frozen=True)
class OutcomeReading:
    instrument: str
    first: Decimal
    latest: Decimal
    count: int
    outcome: Outcome
    first_band: str = ""
    latest_band: str = ""

    def in_words(self) -> str:
        """ "PHQ-9: 20 (severe) at first, 8 (mild) latest (6 ratings) — improved"."""
        first = _with_band(self.first, self.first_band)
        latest = _with_band(self.latest, self.latest_band)
        return (
            f"{self.instrument}: {first} at first, {latest} latest ({self.count} ratings) — "
            f"{self.outcome.label.lower()}"
        )


def _with_band(value: Decimal, band: str) -> str:
    return f"{value.normalize():f} ({band})" if band else f"{value.normalize():f}"


@dataclass
class MeasureSummary:
    alliance_latest: Decimal | None = None
    alliance_previous: Decimal | None = None
    alliance_alert: bool = False
    alliance_count: int = 0
    outcomes: list[OutcomeReading] = field(default_factory=list)

    @property
    def alliance_direction(self) -> str:
        if self.alliance_latest is None or self.alliance_previous is None:
            return ""
        if self.alliance_latest > self.alliance_previous:
            return "up"
        return "down" if self.alliance_latest < self.alliance_previous else "same"


def measure_summaries(client_ids: list[int]) -> dict[int, MeasureSummary]:
    """Latest alliance and outcome classification per client, from one query."""
    ratings = (
        Rating.objects.filter(client_id__in=client_ids)
        .select_related("instrument")
        .annotate(alerted=Exists(AllianceAlert.objects.filter(rating=OuterRef("pk"))))
        .order_by("client_id", "instrument_id", "administered_on", "created_at")
    )
    by_client: dict[int, dict[Instrument, list[Rating]]] = defaultdict(lambda: defaultdict(list))
    for rating in ratings:
        by_client[rating.client_id][rating.instrument].append(rating)
    summaries = {}
    for client_id in client_ids:
        summary = MeasureSummary()
        alliance_series = []
        for instrument, series in by_client.get(client_id, {}).items():
            if instrument.kind == InstrumentKind.ALLIANCE:
                alliance_series.extend(series)
            else:
                summary.outcomes.append(
                    OutcomeReading(
                        instrument=instrument.short_name,
                        first=series[0].total,
                        latest=series[-1].total,
                        count=len(series),
                        outcome=classify_outcome(
                            instrument, series[0].total, series[-1].total, len(series)
                        ),
                        first_band=instrument.band_of(series[0].total),
                        latest_band=instrument.band_of(series[-1].total),
                    )
                )
        if alliance_series:
            alliance_series.sort(key=lambda rating: (rating.administered_on, rating.created_at))
            summary.alliance_latest = alliance_series[-1].total
            summary.alliance_count = len(alliance_series)
            summary.alliance_alert = alliance_series[-1].alerted
            if len(alliance_series) > 1:
                summary.alliance_previous = alliance_series[-2].total
        summaries[client_id] = summary
    return summaries


# The client record --------------------------------------------------------------------------


def client_charts(client: Client, policy: PracticePolicy) -> list[TrendChart]:
    """One trend chart per instrument the client has ratings on, alliance first."""
    ratings = (
        Rating.objects.filter(client=client)
        .select_related("instrument")
        .annotate(alerted=Exists(AllianceAlert.objects.filter(rating=OuterRef("pk"))))
        .order_by("administered_on", "created_at")
    )
    series: dict[Instrument, list[Rating]] = defaultdict(list)
    for rating in ratings:
        series[rating.instrument].append(rating)
    charts = []
    for instrument, items in sorted(series.items(), key=lambda pair: (pair[0].kind, pair[0].name)):
        alliance = instrument.kind == InstrumentKind.ALLIANCE
        cutoff = alliance_cutoff(instrument, policy) if alliance else instrument.clinical_cutoff
        charts.append(
            trend_chart(
                title=f"{'Alliance' if alliance else 'Outcome'}: {instrument.name}",
                instrument_name=instrument.short_name,
                values=[
                    (rating.administered_on, rating.total, rating.alerted if alliance else False)
                    for rating in items
                ],
                low=instrument.total_min,
                high=instrument.total_max,
                cutoff=cutoff,
                higher_is_better=instrument.higher_is_better,
                band_of=instrument.band_of,
                bands_text=instrument.bands_text,
            )
        )
    return charts
