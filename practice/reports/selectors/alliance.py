"""Report 3, the alliance and dropout: the alliance over each ending's last six attended sessions,
planned against unplanned, and how many endings had an alliance alert in their last three.

Sessions count up to the moment the ending closed, so sessions after a reopening stay out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from practice.reports.forms import ReportFilters
from practice.reports.selectors.base import column, endings_sql, run, table
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    InstrumentKind,
    Rating,
    SessionStatus,
)

TRAJECTORY_SESSIONS = 6
ALERT_WINDOW_SESSIONS = 3


@dataclass(frozen=True)
class TrajectoryPoint:
    position: int  # 1 = the last session before the end, 6 = six sessions before it
    ratings: int
    mean: Decimal | None


@dataclass
class AlertCounts:
    endings: int = 0
    measured: int = 0  # an alliance rating in at least one of the last three sessions
    alerted: int = 0

    def add(self, other: AlertCounts) -> None:
        self.endings += other.endings
        self.measured += other.measured
        self.alerted += other.alerted


@dataclass
class AllianceFigures:
    # instrument -> ending kind -> points (positions 6 … 1, missing positions left out)
    trajectories: dict[Instrument, dict[str, list[TrajectoryPoint]]] = field(default_factory=dict)
    # (counselor id, ending kind) -> counts
    alerts: dict[tuple[int, str], AlertCounts] = field(default_factory=dict)

    def alerts_pooled(self, kind: str) -> AlertCounts:
        total = AlertCounts()
        for (_counselor, cell_kind), counts in self.alerts.items():
            if cell_kind == kind:
                total.add(counts)
        return total


def _last_sessions_cte(endings: str) -> str:
    session = table(CounselingSession)
    s_client = f"s.{column(CounselingSession, 'client')}"
    s_status = f"s.{column(CounselingSession, 'status')}"
    s_start = f"s.{column(CounselingSession, 'starts_at')}"
    return f"""
    WITH endings (id, client_id, kind, ended_on, closed_at, counselor_id) AS ({endings}),
    last_sessions AS (
        SELECT e.id AS ending_id, e.kind AS kind, e.counselor_id AS counselor_id,
               s.id AS session_id,
               ROW_NUMBER() OVER (PARTITION BY e.id ORDER BY {s_start} DESC, s.id DESC) AS position
        FROM endings e
        JOIN {session} s ON {s_client} = e.client_id AND {s_status} = %s
            AND {s_start} <= e.closed_at
    )"""


def alliance_figures(filters: ReportFilters) -> AllianceFigures:
    endings, params = endings_sql(filters)
    rating, instrument, alert = table(Rating), table(Instrument), table(AllianceAlert)
    r_session = f"r.{column(Rating, 'session')}"
    r_instrument = f"r.{column(Rating, 'instrument')}"
    r_total = f"r.{column(Rating, 'total')}"
    r_client = f"r.{column(Rating, 'client')}"
    # One pass: the last sessions are numbered once, their alliance ratings joined once, and
    # both the trajectory and the alert counts read from that (UNION ALL, told apart by a tag).
    # The ratings are found by client and instrument (an index) before they meet the sessions:
    # joined on the session alone, PostgreSQL reads the whole ratings table.
    rows = run(
        f"""{_last_sessions_cte(endings)},
        alliance_ratings AS (
            SELECT r.id AS id, {r_session} AS session_id, {r_instrument} AS instrument_id,
                   {r_total} AS total
            FROM (SELECT DISTINCT client_id FROM endings) ended
            JOIN {instrument} i ON i.{column(Instrument, "kind")} = %s
            JOIN {rating} r ON {r_client} = ended.client_id AND {r_instrument} = i.id
        ),
        rated AS (
            SELECT ls.ending_id, ls.kind, ls.position, r.instrument_id, r.total,
                   CASE WHEN a.id IS NOT NULL THEN 1 ELSE 0 END AS alerted
            FROM last_sessions ls
            JOIN alliance_ratings r ON r.session_id = ls.session_id
            LEFT JOIN {alert} a ON a.{column(AllianceAlert, "rating")} = r.id
            WHERE ls.position <= %s
        ),
        recent AS (
            SELECT ending_id, MAX(alerted) AS alerted FROM rated WHERE position <= %s
            GROUP BY ending_id
        )
        SELECT 'trajectory', instrument_id, kind, position, COUNT(*), AVG(total), 0
        FROM rated
        GROUP BY instrument_id, kind, position
        UNION ALL
        SELECT 'alerts', e.counselor_id, e.kind, 0, COUNT(*), COUNT(recent.ending_id),
               COALESCE(SUM(recent.alerted), 0)
        FROM endings e LEFT JOIN recent ON recent.ending_id = e.id
        GROUP BY e.counselor_id, e.kind
        """,
        [
            *params,
            SessionStatus.ATTENDED,
            InstrumentKind.ALLIANCE,
            TRAJECTORY_SESSIONS,
            ALERT_WINDOW_SESSIONS,
        ],
    )
    trajectory_rows = [row[1:6] for row in rows if row[0] == "trajectory"]
    alert_rows = [row[1:] for row in rows if row[0] == "alerts"]
    instruments = Instrument.objects.in_bulk({row[0] for row in trajectory_rows})
    trajectories: dict[Instrument, dict[str, list[TrajectoryPoint]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for instrument_id, kind, position, count, mean in sorted(
        trajectory_rows, key=lambda row: (row[0], row[1], -row[2])
    ):
        trajectories[instruments[instrument_id]][kind].append(
            TrajectoryPoint(
                position=position,
                ratings=count,
                mean=Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None,
            )
        )
    figures = AllianceFigures(
        trajectories={key: dict(value) for key, value in trajectories.items()}
    )
    for counselor_id, kind, _position, count, measured, alerted in alert_rows:
        figures.alerts[(counselor_id, kind)] = AlertCounts(
            endings=int(count), measured=int(measured), alerted=int(alerted)
        )
    return figures
