"""Report 4: after the end. Follow-ups and returns, and from the relapse watch's follow-up
check-ins, how many former clients are still well at each offset and the relapse signals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
    ALI_2017,
    FEWEST_TO_CONCLUDE,
    ReportPage,
    Section,
    page_notes,
    suppressor_for,
)
from practice.reports.selectors.after import AfterFigures, after_figures
from practice.reports.statistics import proportion
from practice.reports.tables import (
    HIDDEN,
    INTERVAL_95,
    Cell,
    Suppressor,
    Table,
    percent,
    share_cells,
)
from termination.models import EndingKind

KINDS = [
    (EndingKind.PLANNED, _("Planned"), PLANNED_COLOUR),
    (EndingKind.UNPLANNED, _("Unplanned"), UNPLANNED_COLOUR),
]


def after_page(filters: ReportFilters, policy: PracticePolicy | None = None) -> ReportPage:
    figures = after_figures(filters, policy)
    suppressor = suppressor_for(filters)
    return ReportPage(
        key="after",
        title=str(_("After the end")),
        intro=str(
            _(
                "What happens to former clients: the follow-ups after the close, who returned "
                "(a reopened record, a booster session, or a follow-up that found them back in "
                "care), and who did not answer."
            )
        ),
        filters=filters,
        sections=[
            _follow_up_section(figures, suppressor),
            _returns_section(figures, suppressor),
            _wellness_section(figures, suppressor),
            _relapse_section(figures, suppressor),
        ],
        benchmarks=[ALI_2017],
        notes=page_notes(filters),
    )


def _follow_up_section(figures: AfterFigures, suppressor: Suppressor) -> Section:
    table = Table(
        "follow-ups",
        str(_("Follow-ups after the close, by days after the last contact")),
        [
            _("Follow-up"),
            _("Reached"),
            _("Returned to care"),
            _("Not reached"),
            _("Answered the check-in, not recorded"),
            _("Due, not recorded"),
            _("Due so far"),
            _("No response (share of due)"),
            _("Not yet due"),
        ],
    )
    chart_rows = []
    for offset in figures.offsets():
        counts = figures.follow_ups_at(offset)
        values = [
            counts.reached,
            counts.returned,
            counts.not_reached,
            counts.answered,
            counts.pending,
        ]
        (flags,) = suppressor.grid([[*values, counts.due]])
        hidden, due_hidden = flags[:5], flags[5]
        no_response_hidden = due_hidden or hidden[2] or hidden[4]
        label = str(_("%(days)s days") % {"days": offset})
        table.add(
            label,
            [
                *(suppressor.count(v, h) for v, h in zip(values, hidden, strict=True)),
                suppressor.count(counts.due, due_hidden),
                Cell(str(HIDDEN), hidden=True)
                if no_response_hidden
                else Cell(
                    f"{counts.no_response} ({percent(_share(counts.no_response, counts.due))})"
                ),
                suppressor.count(counts.not_yet_due),
            ],
        )
        if counts.due:
            chart_rows.append((label, None if any(hidden) else values))
    return Section(
        key="follow-ups",
        heading=str(_("Follow-ups and non-responses")),
        paragraphs=[] if chart_rows else [str(_("No follow-up of these endings is due yet."))],
        chart=bar_chart(
            title=str(_("Follow-ups due so far, by what happened")),
            description=str(
                _(
                    "Reached, returned to care, not reached, answered the follow-up check-in "
                    "and not yet recorded."
                )
            ),
            series=[
                Series(str(_("Reached")), "#009E73"),
                Series(str(_("Returned to care")), "#0072B2"),
                Series(str(_("Not reached")), "#D55E00"),
                Series(str(_("Answered the check-in, not recorded")), "#56B4E9"),
                Series(str(_("Due, not recorded")), "#999999"),
            ],
            rows=chart_rows,
            as_percent=True,
        )
        if chart_rows
        else None,
        table=table,
        notes=[
            str(
                _(
                    "A non-response is a follow-up recorded as not reached, or due and not yet "
                    "recorded. A follow-up the counselor has not recorded but whose check-in "
                    "the former client answered on their phone counts as a response."
                )
            )
        ],
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _returns_section(figures: AfterFigures, suppressor: Suppressor) -> Section:
    table = Table(
        "returns",
        str(_("Returns after the end")),
        [
            _("Endings"),
            _("Counted"),
            _("Record reopened"),
            _("Booster session"),
            _("Follow-up: returned to care"),
            _("Any return"),
            _("Share returning"),
            INTERVAL_95,
        ],
    )
    chart_rows = []
    for kind, label, colour in KINDS:
        counts = figures.returns.get(kind)
        if counts is None:
            continue
        endings_hidden = suppressor.hides(counts.endings)
        any_hidden = endings_hidden or any(
            suppressor.group([counts.any_return, counts.endings - counts.any_return])
        )
        share = proportion(counts.any_return, counts.endings)
        table.add(
            str(label),
            [
                suppressor.count(counts.endings, endings_hidden),
                suppressor.count(counts.reopened, endings_hidden or None),
                suppressor.count(counts.booster, endings_hidden or None),
                suppressor.count(counts.follow_up_returned, endings_hidden or None),
                suppressor.count(counts.any_return, any_hidden),
                *share_cells(share, any_hidden),
            ],
        )
        chart_rows.append(
            (str(label), None, None, None, colour, str(HIDDEN))
            if any_hidden
            else (
                str(label),
                share.share,
                share.low,
                share.high,
                colour,
                f"{counts.any_return}/{counts.endings}",
            )
        )
    return Section(
        key="returns",
        heading=str(_("Returns: reopened records and booster sessions")),
        chart=interval_chart(
            # xgettext:no-python-format
            title=str(_("Share of endings followed by a return, with 95% intervals")),
            description=str(_("Planned and unplanned endings.")),
            rows=chart_rows,
        )
        if chart_rows
        else None,
        table=table,
        notes=[
            str(
                _(
                    "A return is a reopened record, a booster session booked or held after the "
                    "close, or a follow-up recorded as “returned to care”; an ending with several "
                    "counts once under “any return”. A return is not a relapse: some clients come "
                    "back for other reasons."
                )
            )
        ],
    )


def _wellness_section(figures: AfterFigures, suppressor: Suppressor) -> Section:
    if not figures.wellness:
        return Section(
            key="wellness",
            heading=wellness_heading(figures),
            paragraphs=[
                str(
                    _(
                        "Not measured yet: no former client of these endings has answered a "
                        "follow-up check-in of the relapse watch. Follow-ups recorded by "
                        "counselors say whether the client was reached, not how they are."
                    )
                )
            ],
        )
    table = Table(
        "wellness",
        str(_("Former clients below the clinical cutoff at each follow-up")),
        [_("Follow-up"), _("Answered"), _("Below the cutoff"), _("Share"), INTERVAL_95],
    )
    for row in figures.wellness:
        hidden = suppressor.hides(row.answered) or any(
            suppressor.group([row.below_cutoff, row.answered - row.below_cutoff])
        )
        table.add(
            str(_("%(days)s days") % {"days": row.offset_days}),
            [
                suppressor.count(row.answered),
                suppressor.count(row.below_cutoff, hidden),
                *share_cells(proportion(row.below_cutoff, row.answered), hidden),
            ],
        )
    return Section(key="wellness", heading=wellness_heading(figures), table=table)


def wellness_heading(figures: AfterFigures) -> str:
    """The heading names the policy's offsets: "Still well at the follow-ups (30, 90, 180 days)"."""
    days = ", ".join(str(day) for day in figures.follow_up_offsets)
    return str(_("Still well at the follow-ups (%(days)s days)") % {"days": days})


def _relapse_section(figures: AfterFigures, suppressor: Suppressor) -> Section:
    paragraphs = [
        str(
            _(
                "Published rate for routine care: %(says)s The comparison is rough: that cohort "
                "had low-intensity CBT and a research follow-up; our clients, treatments and "
                "ways of asking differ."
            )
            % {"says": ALI_2017.says}
        )
    ]
    if not figures.relapse or not any(row.watched for row in figures.relapse.values()):
        paragraphs.append(
            str(
                _(
                    "Relapse signals are not recorded yet: none of these endings is watched by "
                    "follow-up check-ins. Until then the returns above are the nearest figure, "
                    "and they are not the same thing."
                )
            )
        )
        return Section(key="relapse", heading=str(_("Relapse signals")), paragraphs=paragraphs)
    table = Table(
        "relapse",
        str(_("Endings with a relapse signal")),
        [
            _("Endings"),
            _("Watched"),
            _("With a signal"),
            _("Within 180 days"),
            _("Share"),
            INTERVAL_95,
        ],
    )
    for kind, label, _colour in KINDS:
        row = figures.relapse.get(kind)
        if row is None:
            continue
        hidden = suppressor.hides(row.watched) or any(
            suppressor.group([row.signalled, row.watched - row.signalled])
        )
        share = proportion(row.signalled, row.watched)
        table.add(
            str(label),
            [
                suppressor.count(row.watched),
                suppressor.count(row.signalled, hidden),
                suppressor.count(row.signalled_within_180_days, hidden or None),
                *share_cells(share, hidden),
            ],
        )
        if row.watched < FEWEST_TO_CONCLUDE:
            paragraphs.append(
                str(
                    _("%(label)s: too few watched endings to conclude anything.") % {"label": label}
                )
            )
    return Section(
        key="relapse", heading=str(_("Relapse signals")), paragraphs=paragraphs, table=table
    )
