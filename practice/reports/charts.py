"""Report charts as plain data for inline SVG templates (templates/reports/_*.html), drawn on the
server like the trend charts: no JavaScript, and a table under each says the same in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from practice.reports.tables import number
from sessions_app.charts import tidy_step

WIDTH = 560
LABEL_WIDTH = 170
PLOT_LEFT = LABEL_WIDTH + 8
PLOT_RIGHT = WIDTH - 24
# Interval charts write "k/n" to the right of the plot.
INTERVAL_PLOT_RIGHT = WIDTH - 52
ROW_HEIGHT = 24
BAR_HEIGHT = 15
TOP = 8
AXIS_SPACE = 26

# Colour-blind-safe pairs and quartets (Okabe–Ito), also told apart by the key's order.
PLANNED_COLOUR = "#0072B2"
UNPLANNED_COLOUR = "#D55E00"
CLASS_COLOURS = ("#009E73", "#56B4E9", "#999999", "#D55E00")
NEUTRAL_COLOUR = "#2f5d62"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    value: float


@dataclass(frozen=True)
class BarRow:
    label: str
    y: float
    segments: list[Segment]
    total_text: str
    hidden: bool
    empty: bool = False


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row per category, each stacked from its series."""

    title: str
    description: str
    series: list[Series]
    rows: list[BarRow]
    ticks: list[Tick]
    height: int
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    label_right: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def axis_y(self) -> float:
        return self.height - AXIS_SPACE + 4


def bar_chart(
    *,
    title: str,
    description: str,
    series: list[Series],
    rows: list[tuple[str, list[float] | None]],
    as_percent: bool = False,
) -> BarChart:
    """rows: (label, one value per series) or (label, None) for a row hidden from the viewer.
    As percentages each row is scaled to 100."""
    shown = [values for _label, values in rows if values is not None]
    if as_percent:
        highest = Decimal(100)
    else:
        highest = Decimal(str(max((sum(values) for values in shown), default=0) or 1))
    # Counts step by whole numbers: an axis of 0, 0.25, 0.5 endings means nothing.
    step = tidy_step(highest) if as_percent else max(tidy_step(highest), Decimal(1))
    top = step * -(-highest // step)  # round the scale up to a whole step
    inner = PLOT_RIGHT - PLOT_LEFT

    def scale(value: float) -> float:
        return float(value) / float(top) * inner

    bar_rows = []
    for index, (label, values) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        segments: list[Segment] = []
        row_total = sum(values) if values is not None else 0
        if values is not None:
            x = float(PLOT_LEFT)
            for value, one in zip(values, series, strict=True):
                shown_value = value / row_total * 100 if as_percent and row_total else value
                width = scale(shown_value)
                if width > 0:
                    segments.append(Segment(x=x, width=width, colour=one.colour, value=value))
                x += width
            total_text = f"{row_total:g}" if not as_percent else f"n = {row_total:g}"
        else:
            total_text = ""
        bar_rows.append(
            BarRow(
                label=label,
                y=y,
                segments=segments,
                total_text=total_text,
                hidden=values is None,
                empty=values is not None and not row_total,
            )
        )
    ticks = []
    value = Decimal(0)
    while value <= top:
        label = number(f"{value.normalize():f}")
        if as_percent:
            label = gettext("%(number)s%%") % {"number": label}
        ticks.append(Tick(PLOT_LEFT + scale(float(value)), label))
        value += step
    return BarChart(
        title=title,
        description=description,
        series=series,
        rows=bar_rows,
        ticks=ticks,
        height=TOP + len(rows) * ROW_HEIGHT + AXIS_SPACE,
    )


@dataclass(frozen=True)
class IntervalRow:
    label: str
    y: float
    point_x: float | None
    low_x: float | None
    high_x: float | None
    colour: str
    text: str


@dataclass(frozen=True)
class IntervalChart:
    """Shares with their 95% intervals on a 0–100% axis, and a published benchmark line."""

    title: str
    description: str
    rows: list[IntervalRow]
    ticks: list[Tick]
    benchmark_x: float | None
    benchmark_label: str
    height: int
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = INTERVAL_PLOT_RIGHT
    label_right: int = LABEL_WIDTH
    top: int = TOP

    @property
    def axis_y(self) -> float:
        return self.height - AXIS_SPACE + 4


def interval_chart(
    *,
    title: str,
    description: str,
    rows: list[tuple[str, float | None, float | None, float | None, str, str]],
    benchmark: float | None = None,
    benchmark_label: str = "",
) -> IntervalChart:
    """rows: (label, share, low, high, colour, text) with shares from 0 to 1; None when hidden
    or without cases."""
    inner = INTERVAL_PLOT_RIGHT - PLOT_LEFT

    def x(share: float | None) -> float | None:
        return None if share is None else PLOT_LEFT + share * inner

    interval_rows = [
        IntervalRow(
            label=label,
            y=TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2,
            point_x=x(share),
            low_x=x(low),
            high_x=x(high),
            colour=colour,
            text=text,
        )
        for index, (label, share, low, high, colour, text) in enumerate(rows)
    ]
    ticks = [
        Tick(PLOT_LEFT + step / 100 * inner, gettext("%(number)s%%") % {"number": step})
        for step in range(0, 101, 20)
    ]
    return IntervalChart(
        title=title,
        description=description,
        rows=interval_rows,
        ticks=ticks,
        benchmark_x=x(benchmark),
        benchmark_label=benchmark_label,
        height=TOP + len(rows) * ROW_HEIGHT + AXIS_SPACE,
    )


LINE_WIDTH, LINE_HEIGHT = 560, 230
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 44, 24, 16, 40


@dataclass(frozen=True)
class LinePoint:
    x: float
    y: float
    value: Decimal


@dataclass(frozen=True)
class Line:
    series: Series
    points: list[LinePoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    @property
    def dot_path(self) -> str:
        return " ".join(f"M{point.x:.1f} {point.y:.1f}h0.01" for point in self.points)


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT
    plot_left: int = LINE_LEFT
    plot_right: int = LINE_WIDTH - LINE_RIGHT
    plot_top: int = LINE_TOP
    plot_bottom: int = LINE_HEIGHT - LINE_BOTTOM

    @property
    def grid_path(self) -> str:
        return " ".join(
            f"M{self.plot_left} {tick.position:.1f}H{self.plot_right}" for tick in self.y_ticks
        )


def line_chart(
    *,
    title: str,
    description: str,
    x_labels: list[str],
    lines: list[tuple[Series, list[Decimal | None]]],
    low: Decimal,
    high: Decimal,
) -> LineChart:
    """One value per x label for each line (None leaves the position out)."""
    inner = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    step_x = inner / max(len(x_labels) - 1, 1)
    span = float(high - low) or 1.0

    def y(value: Decimal) -> float:
        plot = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
        return LINE_HEIGHT - LINE_BOTTOM - (float(value) - float(low)) / span * plot

    drawn = [
        Line(
            series=series,
            points=[
                LinePoint(x=LINE_LEFT + index * step_x, y=y(value), value=value)
                for index, value in enumerate(values)
                if value is not None
            ],
        )
        for series, values in lines
    ]
    step = tidy_step(high - low)
    y_ticks = []
    value = low
    while value <= high:
        y_ticks.append(Tick(y(value), number(f"{value.normalize():f}")))
        value += step
    return LineChart(
        title=title,
        description=description,
        lines=drawn,
        x_ticks=[Tick(LINE_LEFT + index * step_x, label) for index, label in enumerate(x_labels)],
        y_ticks=y_ticks,
    )
