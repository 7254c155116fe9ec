"""Report 2, outcomes at the end: for each outcome measure, each ending's first rating against its
latest up to the ending, classified in the database exactly as sessions_app.scoring does
(Jacobson and Truax), then counted by measure, counselor, ending kind and class.

An unplanned ending is counted like any other: its latest score before the end stands.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from practice.reports.forms import ReportFilters
from practice.reports.selectors.base import column, endings_sql, run, table
from sessions_app.models import Instrument, InstrumentKind, Rating
from sessions_app.scoring import Outcome

CLASSES = (Outcome.RECOVERED, Outcome.IMPROVED, Outcome.UNCHANGED, Outcome.DETERIORATED)


def classification_sql(first: str, latest: str, ratings: str, instrument: str = "i") -> str:
    """SQL for sessions_app.scoring.classify_outcome; tests hold the two to the same answers."""
    is_better = f"{instrument}.{column(Instrument, 'higher_is_better')}"
    cutoff = f"{instrument}.{column(Instrument, 'clinical_cutoff')}"
    threshold = f"{instrument}.{column(Instrument, 'reliable_change')}"
    # Means are stored to two decimals; rounding keeps SQLite's floating point from turning
    # 5.00 - 0.70 into 4.2999… at the threshold.
    improvement = (
        f"ROUND(CASE WHEN {is_better} THEN {latest} - {first} ELSE {first} - {latest} END, 2)"
    )

    def clinical(score: str) -> str:
        return f"(CASE WHEN {is_better} THEN {score} < {cutoff} ELSE {score} >= {cutoff} END)"

    return f"""CASE
        WHEN {ratings} < 2 OR {threshold} IS NULL OR {first} IS NULL OR {latest} IS NULL
            THEN '{Outcome.NOT_ENOUGH_DATA}'
        WHEN {improvement} <= -{threshold} THEN '{Outcome.DETERIORATED}'
        WHEN {improvement} >= {threshold} THEN
            CASE WHEN {cutoff} IS NOT NULL AND {clinical(first)} AND NOT {clinical(latest)}
                THEN '{Outcome.RECOVERED}' ELSE '{Outcome.IMPROVED}' END
        ELSE '{Outcome.UNCHANGED}'
    END"""


@dataclass
class ClassCounts:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def classified(self) -> int:
        return sum(self.counts[outcome] for outcome in CLASSES)

    @property
    def not_enough_data(self) -> int:
        return self.counts[Outcome.NOT_ENOUGH_DATA]

    def of(self, outcome: str) -> int:
        return self.counts[outcome]

    def add(self, other: ClassCounts) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value


@dataclass
class MeasureOutcomes:
    instrument: Instrument
    # (counselor id, ending kind) -> counts
    cells: dict[tuple[int, str], ClassCounts] = field(default_factory=dict)

    def pooled(self, kind: str | None = None) -> ClassCounts:
        total = ClassCounts()
        for (_counselor, cell_kind), counts in self.cells.items():
            if kind is None or cell_kind == kind:
                total.add(counts)
        return total

    def for_counselor(self, counselor_id: int) -> ClassCounts:
        total = ClassCounts()
        for (counselor, _kind), counts in self.cells.items():
            if counselor == counselor_id:
                total.add(counts)
        return total


def outcome_figures(filters: ReportFilters) -> list[MeasureOutcomes]:
    """One entry per outcome measure rated in any counted ending, in the library's order."""
    endings, params = endings_sql(filters)
    rating, instrument = table(Rating), table(Instrument)
    r = {name: f"r.{column(Rating, name)}" for name in ("client", "instrument", "total", "id")}
    r_day = f"r.{column(Rating, 'administered_on')}"
    r_created = f"r.{column(Rating, 'created_at')}"
    window = f"PARTITION BY e.id, {r['instrument']}"
    sql = f"""
    WITH endings (id, client_id, kind, ended_on, closed_at, counselor_id) AS ({endings}),
    scored AS (
        SELECT e.id AS ending_id, e.kind AS kind, e.counselor_id AS counselor_id,
               {r["instrument"]} AS instrument_id, {r["total"]} AS total,
               ROW_NUMBER() OVER ({window} ORDER BY {r_day}, {r_created}, {r["id"]}) AS from_first,
               ROW_NUMBER() OVER (
                   {window} ORDER BY {r_day} DESC, {r_created} DESC, {r["id"]} DESC
               ) AS from_last,
               COUNT(*) OVER ({window}) AS ratings
        FROM endings e
        JOIN {rating} r ON {r["client"]} = e.client_id AND {r_day} <= e.ended_on
        JOIN {instrument} i ON i.id = {r["instrument"]} AND i.{column(Instrument, "kind")} = %s
    ),
    pairs AS (
        SELECT ending_id, kind, counselor_id, instrument_id,
               MAX(CASE WHEN from_first = 1 THEN total END) AS first_total,
               MAX(CASE WHEN from_last = 1 THEN total END) AS latest_total,
               MAX(ratings) AS ratings
        FROM scored
        GROUP BY ending_id, kind, counselor_id, instrument_id
    ),
    classified AS (
        SELECT p.instrument_id, p.kind, p.counselor_id,
               {classification_sql("p.first_total", "p.latest_total", "p.ratings")} AS outcome
        FROM pairs p JOIN {instrument} i ON i.id = p.instrument_id
    )
    SELECT instrument_id, counselor_id, kind, outcome, COUNT(*)
    FROM classified
    GROUP BY instrument_id, counselor_id, kind, outcome
    """
    rows = run(sql, [*params, InstrumentKind.OUTCOME])
    instruments = Instrument.objects.in_bulk({row[0] for row in rows})
    measures: dict[int, MeasureOutcomes] = {}
    for instrument_id, counselor_id, kind, outcome, count in rows:
        measure = measures.setdefault(
            instrument_id, MeasureOutcomes(instrument=instruments[instrument_id])
        )
        measure.cells.setdefault((counselor_id, kind), ClassCounts()).counts[outcome] += count
    return sorted(measures.values(), key=lambda m: (m.instrument.name, m.instrument.pk))
