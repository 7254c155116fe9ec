"""Report 2: outcomes at the end, first against latest, for each outcome measure."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from practice.reports.charts import CLASS_COLOURS, Series, bar_chart
from practice.reports.forms import ReportFilters
from practice.reports.pages.common import (
    FEWEST_TO_CONCLUDE,
    ReportPage,
    Section,
    counselor_names,
    page_notes,
    suppressor_for,
)
from practice.reports.selectors.outcomes import (
    CLASSES,
    ClassCounts,
    MeasureOutcomes,
    outcome_figures,
)
from practice.reports.tables import Cell, Suppressor, Table, number, percent
from termination.models import EndingKind

CLASS_SERIES = [
    Series(outcome.label, colour) for outcome, colour in zip(CLASSES, CLASS_COLOURS, strict=True)
]


def outcomes_page(filters: ReportFilters) -> ReportPage:
    measures = outcome_figures(filters)
    suppressor = suppressor_for(filters)
    names = counselor_names({pk for m in measures for pk, _kind in m.cells})
    sections = [_measure_section(m, filters, suppressor, names) for m in measures]
    if not sections:
        sections = [
            Section(
                key="none",
                heading=str(_("No outcome measures")),
                paragraphs=[str(_("No counted ending has an outcome rating in this period."))],
            )
        ]
    return ReportPage(
        key="outcomes",
        title=str(_("Outcomes at the end")),
        intro=str(
            _(
                "For each outcome measure, each ending's first rating against its latest rating "
                "up to the ending: recovered (a reliable improvement that crosses the clinical "
                "cutoff), improved, unchanged or deteriorated. Unplanned endings are counted, not "
                "dropped: their latest score stands."
            )
        ),
        filters=filters,
        sections=sections,
        notes=page_notes(filters),
    )


def _measure_section(
    measure: MeasureOutcomes, filters: ReportFilters, suppressor: Suppressor, names: dict
) -> Section:
    instrument = measure.instrument
    groups: list[tuple[str, ClassCounts]] = [
        (str(_("All endings")), measure.pooled()),
        (str(_("Planned endings")), measure.pooled(EndingKind.PLANNED)),
        (str(_("Unplanned endings")), measure.pooled(EndingKind.UNPLANNED)),
    ]
    counselors = sorted({pk for pk, _kind in measure.cells}, key=lambda pk: names.get(pk, ""))
    if filters.scope.view != "own" and len(counselors) > 1:
        groups += [(names.get(pk, "?"), measure.for_counselor(pk)) for pk in counselors]
    table = Table(
        f"outcomes-{instrument.pk}",
        str(_("%(measure)s at the end, first against latest") % {"measure": instrument.short_name}),
        [
            _("Endings"),
            *[outcome.label for outcome in CLASSES],
            _("Classified"),
            _("Not enough data"),
        ],
    )
    chart_rows = []
    # Each row: the four classes, their total, then "not enough data" (outside the total). Planned
    # and unplanned add up to all endings, and so do the counselors.
    matrix = [
        [*(counts.of(outcome) for outcome in CLASSES), counts.classified, counts.not_enough_data]
        for _label, counts in groups
    ]
    flags = suppressor.grid([row[:5] for row in matrix[:1]])
    others = suppressor.grid([[row[5]] for row in matrix[:1]])
    for start, end in ((1, 3), (3, len(groups))):
        flags += suppressor.grid([row[:5] for row in matrix[start:end]], flags[0])
        others += suppressor.grid([[row[5]] for row in matrix[start:end]], others[0])
    for (label, counts), row, hidden, other in zip(groups, matrix, flags, others, strict=True):
        values, total = row[:4], row[4]
        cells = [
            Cell(str(_("hidden")), hidden=True)
            if hide
            else Cell(f"{value} ({percent(value / total if total else None)})")
            for value, hide in zip(values, hidden[:4], strict=True)
        ]
        table.add(
            label,
            [
                *cells,
                suppressor.count(total, hidden[4]),
                suppressor.count(counts.not_enough_data, other[0]),
            ],
        )
        if total:
            chart_rows.append((label, None if any(hidden) else values))
    pooled = measure.pooled()
    paragraphs = []
    if pooled.classified < FEWEST_TO_CONCLUDE:
        paragraphs.append(
            ngettext(
                "Only %(count)s ending could be classified on the %(measure)s: too few to "
                "conclude anything about how endings turn out.",
                "Only %(count)s endings could be classified on the %(measure)s: too few to "
                "conclude anything about how endings turn out.",
                pooled.classified,
            )
            % {"count": pooled.classified, "measure": instrument.short_name}
        )
    threshold = instrument.reliable_change
    cutoff = instrument.clinical_cutoff
    notes = [
        str(
            _(
                "Reliable change: %(threshold)s points; clinical cutoff: %(cutoff)s; "
                "%(direction)s. “Not enough data”: fewer than two ratings before the end, or no "
                "reliable-change threshold for this measure."
            )
            % {
                "threshold": number(f"{threshold.normalize():f}") if threshold is not None else "–",
                "cutoff": number(f"{cutoff.normalize():f}") if cutoff is not None else "–",
                "direction": _("higher is better")
                if instrument.higher_is_better
                else _("higher is worse"),
            }
        )
    ]
    return Section(
        key=f"measure-{instrument.pk}",
        heading=instrument.name
        if instrument.short_name in instrument.name
        else f"{instrument.name} ({instrument.short_name})",
        paragraphs=paragraphs,
        chart=bar_chart(
            title=str(_("%(measure)s: outcome at the end") % {"measure": instrument.short_name}),
            description=str(
                _("Shares recovered, improved, unchanged and deteriorated, per group.")
            ),
            series=CLASS_SERIES,
            rows=chart_rows,
            as_percent=True,
        )
        if chart_rows
        else None,
        table=table,
        notes=notes,
    )
