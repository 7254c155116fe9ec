"""Reads of a client's measures: the latest alliance and outcome per client, and the trend
charts. Each takes a fixed number of queries however many ratings there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import Client
from clients.selectors import silent_threshold
from practice.policy.models import PracticePolicy
from sessions_app.charts import TrendChart, trend_chart
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    InstrumentKind,
    MeasureSeries,
    Rating,
    SessionStatus,
)
from sessions_app.scoring import Outcome
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
        return ngettext(
            "%(instrument)s: %(first)s at first, %(latest)s latest (%(count)s rating) — "
            "%(outcome)s",
            "%(instrument)s: %(first)s at first, %(latest)s latest (%(count)s ratings) — "
            "%(outcome)s",
            self.count,
        ) % {
            "instrument": self.instrument,
            "first": first,
            "latest": latest,
            "count": self.count,
            "outcome": self.outcome.label.lower(),
        }


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


def measure_summaries(
    client_ids: list[int], instruments: dict[int, Instrument] | None = None
) -> dict[int, MeasureSummary]:
    """Latest alliance and outcome classification per client, in two queries (one if given the
    instruments): one summed-up series per client and instrument (MeasureSeries, kept by
    rating_record), so the cost follows the clients asked for, never how many ratings they
    have. With two alliance instruments, the one rated last speaks for the alliance."""
    instruments = instruments if instruments is not None else Instrument.objects.by_pk()
    summaries = {client_id: MeasureSummary() for client_id in client_ids}
    series = (
        MeasureSeries.objects.filter(client_id__in=client_ids)
        .order_by("client_id", "latest_on", "instrument_id")
        .values_list(
            "client_id", "instrument_id", "count", "first_total", "latest_total",
            "previous_total", "latest_alerted", "outcome",
        )
    )  # fmt: skip
    for client_id, instrument_id, count, first, latest, previous, alerted, outcome in series:
        instrument, summary = instruments[instrument_id], summaries[client_id]
        if instrument.kind == InstrumentKind.ALLIANCE:
            summary.alliance_count += count
            summary.alliance_latest, summary.alliance_previous = latest, previous
            summary.alliance_alert = alerted
        else:
            summary.outcomes.append(
                OutcomeReading(
                    instrument=instrument.short_name,
                    first=first,
                    latest=latest,
                    count=count,
                    outcome=Outcome(outcome),
                    first_band=instrument.band_of(first),
                    latest_band=instrument.band_of(latest),
                )
            )
    for summary in summaries.values():
        summary.outcomes.sort(key=lambda reading: reading.instrument)
    return summaries


def silent_condition(policy: PracticePolicy, now: dt.datetime) -> Q:
    """clients.selectors.is_silent as a condition on clients (for pages that count them in the
    database): nothing scheduled from now on, and no attended session since the threshold or,
    for a client never seen, an intake before it."""
    threshold = silent_threshold(policy, now)
    sessions = CounselingSession.objects.filter(client=OuterRef("pk"))
    attended = sessions.filter(status=SessionStatus.ATTENDED)
    return (
        ~Exists(sessions.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now))
        & ~Exists(attended.filter(starts_at__gte=threshold))
        & (Exists(attended) | Q(intake_date__lt=threshold.date()))
    )


def alliance_alert_condition() -> Subquery:
    """measure_summaries' alliance_alert as a condition on clients (for pages that count them
    in the database): the alliance series of the client OuterRef("pk") rated last alerted."""
    return Subquery(
        MeasureSeries.objects.filter(
            client=OuterRef("pk"), instrument__kind=InstrumentKind.ALLIANCE
        )
        .order_by("-latest_on", "-instrument_id")
        .values("latest_alerted")[:1]
    )


def has_outcome(*outcomes: Outcome) -> Exists:
    """Whether an outcome measure of the client OuterRef("pk") is classified as one of these
    (measure_summaries' outcomes, as a condition)."""
    return Exists(
        MeasureSeries.objects.filter(
            client=OuterRef("pk"), outcome__in=[outcome.value for outcome in outcomes]
        ).exclude(instrument__kind=InstrumentKind.ALLIANCE)
    )


# The client record --------------------------------------------------------------------------


def client_charts(client: Client, policy: PracticePolicy) -> list[TrendChart]:
    """One trend chart per instrument the client has ratings on, alliance first."""
    alerted = set(AllianceAlert.objects.filter(client=client).values_list("rating_id", flat=True))
    return _charts(_ratings_of(client, Instrument.objects.by_pk()), alerted, policy)


@dataclass
class MeasuresPanel:
    """What the client page shows of the measures, from one read each of the instruments, the
    ratings, the alerts and the summed-up series."""

    summary: MeasureSummary
    charts: list[TrendChart]
    alerts: list[AllianceAlert]  # the latest few
    risk_ratings: list[Rating]  # a risk item endorsed within the recent days, the first few


def measures_panel(
    client: Client, policy: PracticePolicy, *, since: dt.date, alerts_shown: int = 5
) -> MeasuresPanel:
    instruments = Instrument.objects.by_pk()
    alerts = list(AllianceAlert.objects.filter(client=client).select_related("rating"))
    ratings = _ratings_of(client, instruments)
    return MeasuresPanel(
        summary=measure_summaries([client.pk], instruments)[client.pk],
        charts=_charts(ratings, {alert.rating_id for alert in alerts}, policy),
        alerts=alerts[:alerts_shown],
        risk_ratings=[
            rating for rating in ratings if rating.risk_endorsed and rating.administered_on >= since
        ][:3],
    )


def _ratings_of(client: Client, instruments: dict[int, Instrument]) -> list[Rating]:
    """The client's ratings, oldest first, as the charts read them: without the answers, and
    sharing one Instrument per instrument rather than building one per rating."""
    ratings = list(
        Rating.objects.filter(client=client)
        .defer("answers", "subscale_scores")
        .order_by("administered_on", "created_at", "pk")
    )
    for rating in ratings:
        rating.instrument = instruments[rating.instrument_id]
    return ratings


def _charts(ratings: list[Rating], alerted: set[int], policy: PracticePolicy) -> list[TrendChart]:
    series: dict[Instrument, list[Rating]] = defaultdict(list)
    for rating in ratings:
        series[rating.instrument].append(rating)
    charts = []
    for instrument, items in sorted(series.items(), key=lambda pair: (pair[0].kind, pair[0].name)):
        alliance = instrument.kind == InstrumentKind.ALLIANCE
        cutoff = alliance_cutoff(instrument, policy) if alliance else instrument.clinical_cutoff
        charts.append(
            trend_chart(
                title=(_("Alliance: %(name)s") if alliance else _("Outcome: %(name)s"))
                % {"name": instrument.in_language().name},
                instrument_name=instrument.short_name,
                values=[
                    (rating.administered_on, rating.total, alliance and rating.pk in alerted)
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
