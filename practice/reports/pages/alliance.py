"""Report 3: the alliance before planned and unplanned endings: our own data testing the claim
the product is built on (a weak alliance predicts dropout)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from practice.reports.charts import (
    PLANNED_COLOUR,
    UNPLANNED_COLOUR,
    Series,
    interval_chart,
    line_chart,
)
from practice.reports.forms import ReportFilters
from practice.reports.pages.common import (
    ReportPage,
    Section,
    counselor_names,
    difference_conclusion,
    page_notes,
    suppressor_for,
)
from practice.reports.selectors.alliance import (
    ALERT_WINDOW_SESSIONS,
    TRAJECTORY_SESSIONS,
    AlertCounts,
    AllianceFigures,
    alliance_figures,
)
from practice.reports.statistics import difference, proportion
from practice.reports.tables import (
    HIDDEN,
    INTERVAL_95,
    Cell,
    Suppressor,
    Table,
    number,
    share_cells,
)
from sessions_app.models import Instrument
from termination.models import EndingKind

KINDS = [
    (EndingKind.PLANNED, _("Planned"), PLANNED_COLOUR),
    (EndingKind.UNPLANNED, _("Unplanned"), UNPLANNED_COLOUR),
]


def position_label(position: int) -> str:
    if position == 1:
        return str(_("Last"))
    return str(_("Last − %(n)s") % {"n": position - 1})


def alliance_page(filters: ReportFilters) -> ReportPage:
    figures = alliance_figures(filters)
    suppressor = suppressor_for(filters)
    sections = [_alerts_section(figures, filters, suppressor)]
    sections += [
        _trajectory_section(instrument, by_kind, suppressor)
        for instrument, by_kind in sorted(
            figures.trajectories.items(), key=lambda item: item[0].name
        )
    ]
    return ReportPage(
        key="alliance",
        title=str(_("The alliance and dropout")),
        intro=str(
            _(
                "Whether a weakening alliance comes before an unplanned ending in our own "
                "practice: the alliance over the last %(sessions)s attended sessions before "
                "planned and unplanned endings, and how many endings had an alliance alert in "
                "their last %(window)s sessions."
            )
            % {"sessions": TRAJECTORY_SESSIONS, "window": ALERT_WINDOW_SESSIONS}
        ),
        filters=filters,
        sections=sections,
        notes=page_notes(filters),
    )


def alert_flags(suppressor: Suppressor, counts: AlertCounts) -> list[bool]:
    """Hidden flags for (endings, measured, alerted) of one row. Two sums hold in a row: the
    endings are the rated plus the unrated, the rated are those alerted plus the rest; the cells
    not shown (unrated, not alerted) still count, so a small one cannot be worked out."""
    rated = suppressor.grid([[counts.measured, counts.endings - counts.measured, counts.endings]])
    alerted = suppressor.grid([[counts.alerted, counts.measured - counts.alerted, counts.measured]])
    return [rated[0][2], rated[0][0] or alerted[0][2], alerted[0][0]]


def column_flags(
    suppressor: Suppressor, rows: list[AlertCounts], pooled: list[bool]
) -> list[list[bool]]:
    """Hide a second counselor's cell in any column where one hidden cell could be worked out
    from the pooled row (shown above them)."""
    flags = [alert_flags(suppressor, counts) for counts in rows]
    for column, name in enumerate(("endings", "measured", "alerted")):
        values = [[getattr(counts, name)] for counts in rows]
        for index, (hidden,) in enumerate(suppressor.grid(values, [pooled[column]])):
            flags[index][column] = flags[index][column] or hidden
    return flags


def _alert_row(
    table: Table, label: str, counts: AlertCounts, suppressor: Suppressor, flags: list[bool]
):
    endings_hidden, measured_hidden, alerted_hidden = flags
    alerted_hidden = alerted_hidden or measured_hidden
    share = proportion(counts.alerted, counts.measured)
    table.add(
        label,
        [
            suppressor.count(counts.endings, endings_hidden),
            suppressor.count(counts.measured, measured_hidden),
            suppressor.count(counts.alerted, alerted_hidden),
            *share_cells(share, alerted_hidden),
        ],
    )
    return share, alerted_hidden


def _alerts_section(
    figures: AllianceFigures, filters: ReportFilters, suppressor: Suppressor
) -> Section:
    table = Table(
        "alerts",
        str(
            _("Endings with an alliance alert in their last %(n)s sessions")
            % {"n": ALERT_WINDOW_SESSIONS}
        ),
        [
            _("Endings"),
            _("Counted"),
            _("With alliance ratings"),
            _("With an alert"),
            _("Share with an alert"),
            INTERVAL_95,
        ],
    )
    shares = {}
    pooled_flags = {}
    chart_rows = []
    for kind, label, colour in KINDS:
        counts = figures.alerts_pooled(kind)
        pooled_flags[kind] = alert_flags(suppressor, counts)
        share, hidden = _alert_row(table, str(label), counts, suppressor, pooled_flags[kind])
        shares[kind] = (share, hidden)
        chart_rows.append(
            (str(label), None, None, None, colour, str(HIDDEN))
            if hidden
            else (
                str(label),
                share.share,
                share.low,
                share.high,
                colour,
                f"{counts.alerted}/{counts.measured}",
            )
        )
    if filters.scope.view != "own":
        names = counselor_names({pk for pk, _kind in figures.alerts})
        rows = sorted(
            figures.alerts.items(), key=lambda item: (names.get(item[0][0], ""), item[0][1])
        )
        flags = {}
        for kind, _label, _colour in KINDS:
            of_kind = [(key, counts) for key, counts in rows if key[1] == kind]
            hidden = column_flags(suppressor, [c for _k, c in of_kind], pooled_flags[kind])
            flags.update({key: row for (key, _c), row in zip(of_kind, hidden, strict=True)})
        for (pk, kind), counts in rows:
            kind_label = {key: name for key, name, _colour in KINDS}[kind]
            _alert_row(
                table, f"{names.get(pk, '?')}: {kind_label}", counts, suppressor, flags[(pk, kind)]
            )
    unplanned, unplanned_hidden = shares[EndingKind.UNPLANNED]
    planned, planned_hidden = shares[EndingKind.PLANNED]
    if unplanned_hidden or planned_hidden:
        conclusion = str(_("Too few endings to compare without pointing at clients."))
    else:
        conclusion = difference_conclusion(
            unplanned,
            planned,
            difference(unplanned, planned),
            str(_("unplanned")),
            str(_("planned")),
        )
    return Section(
        key="alerts",
        heading=str(_("Alliance alerts before the end")),
        paragraphs=[conclusion],
        chart=interval_chart(
            title=str(_("Share of endings with an alliance alert in the last 3 sessions")),
            description=conclusion,
            rows=chart_rows,
        ),
        table=table,
        notes=[
            str(
                _(
                    "The share is of endings with at least one alliance rating in their last "
                    "%(n)s attended sessions: an ending never rated could not raise an alert."
                )
                % {"n": ALERT_WINDOW_SESSIONS}
            )
        ],
    )


def _trajectory_section(instrument: Instrument, by_kind: dict, suppressor: Suppressor) -> Section:
    positions = list(range(TRAJECTORY_SESSIONS, 0, -1))
    table = Table(
        f"trajectory-{instrument.pk}",
        str(
            _("Mean %(measure)s over the last %(n)s sessions")
            % {"measure": instrument.short_name, "n": TRAJECTORY_SESSIONS}
        ),
        [
            _("Session"),
            _("Planned: mean"),
            _("Planned: ratings"),
            _("Unplanned: mean"),
            _("Unplanned: ratings"),
        ],
    )
    lines = {kind: [] for kind, _label, _colour in KINDS}
    for position in positions:
        cells = []
        for kind, _label, _colour in KINDS:
            point = next((p for p in by_kind.get(kind, []) if p.position == position), None)
            count = point.ratings if point else 0
            hidden = suppressor.hides(count)
            mean = point.mean if point and not hidden else None
            lines[kind].append(mean)
            cells += [
                Cell(str(HIDDEN), hidden=True)
                if hidden
                else Cell(number(mean) if mean is not None else "–"),
                suppressor.count(count, hidden),
            ]
        table.add(position_label(position), cells)
    low, high = instrument.total_min, instrument.total_max
    return Section(
        key=f"trajectory-{instrument.pk}",
        heading=str(
            _("%(measure)s over the last %(n)s sessions")
            % {"measure": instrument.name, "n": TRAJECTORY_SESSIONS}
        ),
        chart=line_chart(
            title=str(_("Mean %(measure)s before the end") % {"measure": instrument.short_name}),
            description=str(
                _("Mean alliance total at each of the last sessions, planned against unplanned.")
            ),
            x_labels=[position_label(position) for position in positions],
            lines=[(Series(str(label), colour), lines[kind]) for kind, label, colour in KINDS],
            low=Decimal(low),
            high=Decimal(high),
        ),
        table=table,
        notes=[
            str(
                _(
                    "Sessions are counted back from the last attended session before the ending "
                    "closed; each point is the mean of the ratings recorded at that session."
                )
            )
        ],
    )
