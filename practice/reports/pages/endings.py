"""Report 1: how our endings go, planned against unplanned."""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from practice.policy.models import PracticePolicy
from practice.reports.charts import (
    PLANNED_COLOUR,
    UNPLANNED_COLOUR,
    Series,
    bar_chart,
    interval_chart,
)
from practice.reports.forms import ReportFilters
from practice.reports.pages.common import (
    SWIFT_GREENBERG_2012,
    ReportPage,
    Section,
    counselor_names,
    page_notes,
    share_conclusion,
    suppressor_for,
)
from practice.reports.selectors.endings import (
    DURATION_BUCKETS,
    FOLLOW_UP_GRACE_DAYS,
    EndingsFigures,
    KindCounts,
    endings_figures,
)
from practice.reports.statistics import proportion
from practice.reports.tables import INTERVAL_95, Cell, Suppressor, Table, share_cells
from termination.models import Initiator, Reason

# Lazy: the names are read when a page is drawn, in the viewer's language.
KIND_SERIES = [
    Series(_("Planned"), PLANNED_COLOUR),
    Series(_("Unplanned"), UNPLANNED_COLOUR),
]
KIND_COLUMNS = [_("Planned"), _("Unplanned"), _("Total")]


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _triple(counts: KindCounts) -> list[int]:
    return [counts.planned, counts.unplanned, counts.total]


def pooled_hidden(suppressor: Suppressor, pooled: KindCounts) -> list[bool]:
    """Which of the pooled planned, unplanned and total the viewer does not see."""
    return suppressor.grid([_triple(pooled)])[0]


def _kind_rows(
    table: Table,
    suppressor: Suppressor,
    rows: list[tuple[str, KindCounts]],
    totals_hidden: list[bool],
) -> list[tuple[str, list[float] | None]]:
    """Add planned / unplanned / total rows to the table; give the chart's rows (None if hidden).
    The rows add up to the pooled counts shown at the top of the page."""
    chart_rows = []
    hidden = suppressor.grid([_triple(counts) for _label, counts in rows], totals_hidden)
    for (label, counts), flags in zip(rows, hidden, strict=True):
        table.add(
            label,
            [
                suppressor.count(value, flag)
                for value, flag in zip(_triple(counts), flags, strict=True)
            ],
        )
        chart_rows.append((label, None if any(flags) else [counts.planned, counts.unplanned]))
    return chart_rows


def _month_label(month) -> str:
    # The pattern is translated: French spells the month out, where "juin" and "juil." would
    # otherwise both shorten to "Jui".
    return date_filter(month, pgettext("date format of a report's month row", "M Y"))


def endings_page(filters: ReportFilters, policy: PracticePolicy) -> ReportPage:
    figures = endings_figures(filters, policy)
    suppressor = suppressor_for(filters)
    totals_hidden = pooled_hidden(suppressor, figures.pooled)
    return ReportPage(
        key="endings",
        title=str(_("Endings: planned and unplanned")),
        intro=str(
            _(
                "How many clients leave without a planned ending, against the published dropout "
                "rate, by month, initiator and reason; how long counseling lasted; and whether "
                "each ending's steps met their deadlines."
            )
        ),
        filters=filters,
        sections=[
            _share_section(figures, filters, suppressor),
            _grouped_section(
                "months",
                _("Endings by month"),
                _("Month"),
                [
                    (_month_label(month), figures.by_month.get(month, KindCounts()))
                    for month in months_between(filters.start, filters.end)
                ],
                suppressor,
                totals_hidden,
            ),
            _grouped_section(
                "initiators",
                _("Who initiated the ending"),
                _("Initiated by"),
                [
                    (label, figures.by_initiator.get(value, KindCounts()))
                    for value, label in Initiator.choices
                    # For the admin every row stands, so a row's presence says nothing.
                    if value in figures.by_initiator or suppressor.active
                ],
                suppressor,
                totals_hidden,
            ),
            _grouped_section(
                "reasons",
                _("Reasons"),
                _("Reason"),
                [
                    (label, figures.by_reason.get(value, KindCounts()))
                    for value, label in [*Reason.choices, ("", str(_("Not recorded")))]
                    if value in figures.by_reason or (suppressor.active and value)
                ],
                suppressor,
                totals_hidden,
            ),
            _grouped_section(
                "durations",
                _("Time from intake to the ending"),
                _("Time"),
                [
                    (str(label), figures.by_duration.get(key, KindCounts()))
                    for key, label, _first, _last in DURATION_BUCKETS
                ],
                suppressor,
                totals_hidden,
            ),
            _steps_section(figures, policy, suppressor),
        ],
        benchmarks=[SWIFT_GREENBERG_2012],
        notes=page_notes(filters),
    )


def _share_section(figures: EndingsFigures, filters: ReportFilters, suppressor: Suppressor):
    pooled = figures.pooled
    names = counselor_names(figures.by_counselor)
    table = Table(
        "share",
        str(_("Planned and unplanned endings, with the share of unplanned endings")),
        [_("Counselor"), *KIND_COLUMNS, _("Unplanned share"), INTERVAL_95],
    )
    chart_rows = []
    groups = [(str(_("All counted endings")), pooled)]
    if filters.scope.view != "own" or len(figures.by_counselor) > 1:
        groups += sorted(
            (
                (names.get(pk, str(_("Unknown"))), counts)
                for pk, counts in figures.by_counselor.items()
            ),
            key=lambda item: item[0],
        )
    pooled_flags = pooled_hidden(suppressor, pooled)
    flags_by_row = [
        pooled_flags,
        *suppressor.grid([_triple(counts) for _label, counts in groups[1:]], pooled_flags),
    ]
    for (label, counts), flags in zip(groups, flags_by_row, strict=True):
        share = proportion(counts.unplanned, counts.total)
        hidden = flags[0] or flags[1]
        table.add(
            label,
            [
                *(
                    suppressor.count(value, flag)
                    for value, flag in zip(_triple(counts), flags, strict=True)
                ),
                *share_cells(share, hidden),
            ],
        )
        colour = UNPLANNED_COLOUR if label == groups[0][0] else "#6c757d"
        chart_rows.append(
            (label, None, None, None, colour, str(_("hidden")))
            if hidden
            else (
                label,
                share.share,
                share.low,
                share.high,
                colour,
                f"{counts.unplanned}/{counts.total}",
            )
        )
    pooled_share = proportion(pooled.unplanned, pooled.total)
    if pooled_flags[0] or pooled_flags[1]:
        conclusion = str(
            _("Too few endings in this selection to show the share without pointing at clients.")
        )
    else:
        conclusion = share_conclusion(
            pooled_share, SWIFT_GREENBERG_2012, str(_("Unplanned endings"))
        )
    return Section(
        key="share",
        heading=str(_("Unplanned endings against the published dropout rate")),
        paragraphs=[conclusion],
        chart=interval_chart(
            # xgettext:no-python-format
            title=str(_("Share of unplanned endings with 95% intervals")),
            description=conclusion,
            rows=chart_rows,
            benchmark=SWIFT_GREENBERG_2012.rate,
            benchmark_label=str(_("19.7% published dropout")),
        ),
        table=table,
        notes=[
            str(
                _(
                    "Each bar is the 95% Wilson interval: with few endings it is wide, so that "
                    "noise is not read as a trend. The dashed line is the published 19.7%."
                )
            )
        ],
    )


def _grouped_section(key, heading, first_column, rows, suppressor, totals_hidden) -> Section:
    table = Table(key, str(heading), [first_column, *KIND_COLUMNS])
    chart_rows = _kind_rows(table, suppressor, rows, totals_hidden)
    hidden_rows = sum(1 for _label, values in chart_rows if values is None)
    notes = (
        [
            ngettext(
                "%(count)s hidden row is left out of the chart.",
                "%(count)s hidden rows are left out of the chart.",
                hidden_rows,
            )
            % {"count": hidden_rows}
        ]
        if hidden_rows
        else []
    )
    total = sum(sum(values) for _label, values in chart_rows if values is not None)
    return Section(
        key=key,
        heading=str(heading),
        chart=bar_chart(
            title=str(heading),
            description=str(
                _("%(total)s endings shown in %(rows)s rows, planned and unplanned stacked.")
                % {"total": f"{total:g}", "rows": len(chart_rows) - hidden_rows}
            ),
            series=KIND_SERIES,
            rows=chart_rows,
        )
        if chart_rows
        else None,
        table=table,
        notes=notes,
    )


def _steps_section(figures: EndingsFigures, policy: PracticePolicy, suppressor: Suppressor):
    steps = figures.steps
    table = Table(
        "steps",
        str(_("Steps that met their deadline")),
        [
            _("Step"),
            _("On time"),
            _("Late, with a recorded reason"),
            _("Late or missing"),
            _("Counted"),
        ],
    )
    # (table label, chart label, on time, late with a reason or None where none applies, late)
    rows = [
        (
            str(
                _(
                    "Notice (planned endings: final session %(days)s days or more after it was "
                    "raised)"
                )
                % {"days": policy.minimum_notice_days}
            ),
            str(_("Notice")),
            [
                steps.notice_on_time,
                steps.notice_short_with_reason,
                steps.notice_short_without_reason + steps.notice_not_recorded,
            ],
        ),
        (
            str(_("Closing summary signed by its due date")),
            str(_("Closing summary")),
            [steps.summaries_on_time, None, steps.summaries_late],
        ),
        (
            str(
                _("Follow-ups recorded within %(days)s days of their due date")
                % {"days": FOLLOW_UP_GRACE_DAYS}
            ),
            str(_("Follow-ups")),
            [steps.follow_ups_on_time, None, steps.follow_ups_late + steps.follow_ups_not_done],
        ),
    ]
    chart_rows = []
    for label, chart_label, values in rows:
        present = [value for value in values if value is not None]
        counted = sum(present)
        total_hidden = suppressor.hides(counted)
        hidden = iter([True] * len(present) if total_hidden else suppressor.group(present))
        parts = [next(hidden) if value is not None else False for value in values]
        table.add(
            label,
            [
                *(
                    suppressor.count(value, hide) if value is not None else Cell("–")
                    for value, hide in zip(values, parts, strict=True)
                ),
                suppressor.count(counted, total_hidden),
            ],
        )
        chart_rows.append((chart_label, None if any(parts) else [value or 0 for value in values]))
    return Section(
        key="steps",
        heading=str(_("Steps on time: notice, summary, follow-ups")),
        chart=bar_chart(
            title=str(_("Steps on time, as a share of those counted")),
            description=str(_("On time, late with a reason, and late or missing, per step.")),
            series=[
                Series(str(_("On time")), "#009E73"),
                Series(str(_("Late, with a recorded reason")), "#E69F00"),
                Series(str(_("Late or missing")), UNPLANNED_COLOUR),
            ],
            rows=chart_rows,
            as_percent=True,
        ),
        table=table,
        notes=[
            str(
                _(
                    "Follow-ups count once their week of grace has passed; a follow-up not "
                    "recorded by then counts as missing."
                )
            )
        ],
    )
