"""Reads of a client's measures: the latest alliance and outcome per client, and the trend
charts. Each takes a fixed number of queries however many ratings there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

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
    """Latest alliance and outcome classification per client, in four queries.

    The database numbers each client's ratings per instrument from both ends (window functions)
    and returns only the first, the latest two and the count: the cost follows the clients
    asked for, never how many ratings they have."""
    instruments = {instrument.pk: instrument for instrument in Instrument.objects.all()}
    alliance_ids = [pk for pk, one in instruments.items() if one.kind == InstrumentKind.ALLIANCE]
    summaries = {client_id: MeasureSummary() for client_id in client_ids}
    if not client_ids:
        return summaries
    ratings = Rating.objects.filter(client_id__in=client_ids)
    newest_first = [F("administered_on").desc(), F("created_at").desc(), F("pk").desc()]
    oldest_first = [F("administered_on").asc(), F("created_at").asc(), F("pk").asc()]

    per_client = [F("client_id")]
    alliance = (
        ratings.filter(instrument_id__in=alliance_ids)
        .annotate(
            newest=Window(RowNumber(), partition_by=per_client, order_by=newest_first),
            count=Window(Count("pk"), partition_by=per_client),
        )
        .filter(newest__lte=2)
        .values_list("client_id", "newest", "total", "count", "pk")
    )
    latest = {}
    for client_id, newest, total, count, rating_id in alliance:
        summary = summaries[client_id]
        summary.alliance_count = count
        if newest == 1:
            summary.alliance_latest = total
            latest[rating_id] = summary
        else:
            summary.alliance_previous = total
    # Asked apart, for just the latest ratings: inside the windowed query PostgreSQL hashes the
    # whole alert table, a cost that grows with the practice's history.
    for rating_id in AllianceAlert.objects.filter(rating_id__in=latest).values_list(
        "rating_id", flat=True
    ):
        latest[rating_id].alliance_alert = True

    per_series = [F("client_id"), F("instrument_id")]
    outcomes = (
        ratings.exclude(instrument_id__in=alliance_ids)
        .annotate(
            newest=Window(RowNumber(), partition_by=per_series, order_by=newest_first),
            oldest=Window(RowNumber(), partition_by=per_series, order_by=oldest_first),
            count=Window(Count("pk"), partition_by=per_series),
        )
        .filter(Q(newest=1) | Q(oldest=1))
        .order_by("client_id", "instrument_id")
        .values_list("client_id", "instrument_id", "oldest", "newest", "total", "count")
    )
    ends: dict[tuple[int, int], dict[str, Decimal | int]] = {}
    for client_id, instrument_id, oldest, newest, total, count in outcomes:
        series = ends.setdefault((client_id, instrument_id), {"count": count})
        if oldest == 1:
            series["first"] = total
        if newest == 1:
            series["latest"] = total
    for (client_id, instrument_id), series in ends.items():
        instrument = instruments[instrument_id]
        summaries[client_id].outcomes.append(
            OutcomeReading(
                instrument=instrument.short_name,
                first=series["first"],
                latest=series["latest"],
                count=series["count"],
                outcome=classify_outcome(
                    instrument, series["first"], series["latest"], series["count"]
                ),
            )
        )
    return summaries


# The client record --------------------------------------------------------------------------


def client_charts(client: Client, policy: PracticePolicy) -> list[TrendChart]:
    """One trend chart per instrument the client has ratings on, alliance first."""
    alerted = set(AllianceAlert.objects.filter(client=client).values_list("rating_id", flat=True))
    ratings = (
        Rating.objects.filter(client=client)
        .select_related("instrument")
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
                    (rating.administered_on, rating.total, alliance and rating.pk in alerted)
                    for rating in items
                ],
                low=instrument.total_min,
                high=instrument.total_max,
                cutoff=cutoff,
                higher_is_better=instrument.higher_is_better,
            )
        )
    return charts
