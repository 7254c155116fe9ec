"""Pieces every report page uses: the page structure, the published benchmarks, plain-language
conclusions, and counselor names."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from practice.reports.charts import BarChart, IntervalChart, LineChart
from practice.reports.forms import ReportFilters
from practice.reports.statistics import Difference, Proportion
from practice.reports.tables import Suppressor, Table, number, percent
from practice.staff.models import User

# Below this many cases a share is not read as a finding, whatever its interval says.
FEWEST_TO_CONCLUDE = 10


@dataclass(frozen=True)
class Benchmark:
    rate: float
    says: str
    citation: str
    rough: bool = False


SWIFT_GREENBERG_2012 = Benchmark(
    rate=0.197,
    says=_("On average 19.7% of adult clients end psychotherapy prematurely (dropout)."),
    citation=(
        "Swift, J. K., & Greenberg, R. P. (2012). Premature discontinuation in adult "
        "psychotherapy: A meta-analysis. Journal of Consulting and Clinical Psychology, 80(4), "
        "547–559."
    ),
)
ALI_2017 = Benchmark(
    rate=0.53,
    says=_(
        "After low-intensity CBT for depression and anxiety in routine care, 53% of those who "
        "recovered relapsed within a year, most of them within the first 6 months."
    ),
    citation=(
        "Ali, S., Rhodes, L., Moreea, O., McMillan, D., Gilbody, S., Leach, C., Lucock, M., "
        "Lutz, W., & Delgadillo, J. (2017). How durable is the effect of low intensity CBT for "
        "depression and anxiety? Remission and relapse in a longitudinal cohort study. Behaviour "
        "Research and Therapy, 94, 1–8."
    ),
    rough=True,
)


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    chart: BarChart | IntervalChart | LineChart | None = None
    table: Table | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def chart_template(self) -> str:
        return {
            BarChart: "reports/_bar_chart.html",
            IntervalChart: "reports/_interval_chart.html",
            LineChart: "reports/_line_chart.html",
        }[type(self.chart)]


@dataclass
class ReportPage:
    key: str
    title: str
    intro: str
    filters: ReportFilters
    sections: list[Section]
    benchmarks: list[Benchmark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [section.table for section in self.sections if section.table is not None]

    @property
    def has_hidden(self) -> bool:
        return any(table.has_hidden for table in self.tables)


def suppressor_for(filters: ReportFilters) -> Suppressor:
    return Suppressor(filters.scope.min_cell_size)


def page_notes(filters: ReportFilters) -> list[str]:
    notes = [
        str(
            _(
                "Endings are counted once closed, by the date of the last contact, and belong to "
                "the client's primary counselor."
            )
        )
    ]
    if filters.scope.suppresses:
        notes.append(
            str(
                _(
                    "Pooled figures for the practice: no client's name or score is shown, and "
                    "any count from 1 to %(largest)s is hidden (marked “hidden”), together with "
                    "any count that could be worked out from the ones shown. Shares, intervals "
                    "and means built on a hidden count are hidden too."
                )
                % {"largest": filters.scope.min_cell_size - 1}
            )
        )
    return notes


def share_conclusion(part: Proportion, benchmark: Benchmark, what: str) -> str:
    """Say plainly what a share with its interval lets us conclude against a benchmark."""
    if part.total == 0:
        return str(_("No endings in this period: nothing to compare."))
    figures = _(
        "%(what)s: %(count)s of %(total)s (%(share)s; 95%% interval %(low)s to %(high)s)."
    ) % {
        "what": what,
        "count": part.count,
        "total": part.total,
        "share": percent(part.share),
        "low": percent(part.low),
        "high": percent(part.high),
    }
    if part.total < FEWEST_TO_CONCLUDE:
        verdict = _(
            "That is too few endings to conclude anything: the interval is wide enough to hold "
            "almost any rate."
        )
    elif part.contains(benchmark.rate):
        verdict = _(
            "The published %(rate)s lies inside the interval: these figures do not differ from it "
            "beyond what chance allows."
        ) % {"rate": percent(benchmark.rate)}
    elif part.low is not None and part.low > benchmark.rate:
        verdict = _("The whole interval lies above the published %(rate)s.") % {
            "rate": percent(benchmark.rate)
        }
    else:
        verdict = _("The whole interval lies below the published %(rate)s.") % {
            "rate": percent(benchmark.rate)
        }
    return f"{figures} {verdict}"


def difference_conclusion(
    first: Proportion, second: Proportion, gap: Difference | None, first_name: str, second_name: str
) -> str:
    if gap is None or min(first.total, second.total) < FEWEST_TO_CONCLUDE:
        return str(
            _(
                "Too few endings to conclude anything: each group needs at least %(fewest)s "
                "endings with alliance ratings (here %(first_n)s %(first)s and %(second_n)s "
                "%(second)s)."
            )
            % {
                "fewest": FEWEST_TO_CONCLUDE,
                "first_n": first.total,
                "first": first_name,
                "second_n": second.total,
                "second": second_name,
            }
        )
    figures = _("Difference %(value)s percentage points (95%% interval %(low)s to %(high)s).") % {
        "value": number(f"{gap.value * 100:+.1f}"),
        "low": number(f"{gap.low * 100:+.1f}"),
        "high": number(f"{gap.high * 100:+.1f}"),
    }
    if gap.excludes_zero:
        verdict = _("In our own data the difference is larger than chance would explain.")
    else:
        verdict = _(
            "The interval includes no difference at all: our data cannot tell the groups apart yet."
        )
    return f"{figures} {verdict}"


def counselor_names(ids) -> dict[int, str]:
    return {pk: str(user) for pk, user in User.objects.in_bulk([i for i in ids if i]).items()}
