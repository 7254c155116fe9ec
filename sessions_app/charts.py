"""Trend charts as plain data for an inline SVG template: no JavaScript, prints in a PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from practice.formats import when

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
# Beyond this many ratings the dots (8 px wide) would merge into a band along the line: the line
# alone reads better, and alliance alerts keep their red dots.
MOST_DOTS = 60


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: Decimal
    day: dt.date
    flagged: bool


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    title: str
    instrument_name: str
    points: list[ChartPoint]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    cutoff_y: float | None
    cutoff_label: str
    higher_is_better: bool
    # The instrument's severity bands in one line, and the band of the first and latest value.
    bands_text: str = ""
    first_band: str = ""
    last_band: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    # Each of these is one SVG path rather than one element per line or point: PDF rendering
    # costs time per element, and a chart of 40 ratings would otherwise be over 100 elements.
    @property
    def grid_path(self) -> str:
        return " ".join(
            f"M{self.plot_left} {tick.position:.1f}H{self.plot_right}" for tick in self.y_ticks
        )

    @property
    def x_tick_path(self) -> str:
        return " ".join(f"M{tick.position:.1f} {self.plot_bottom}v4" for tick in self.x_ticks)

    def _dots(self, flagged: bool) -> str:
        # A tiny segment with round caps draws a dot of the stroke's width.
        return " ".join(
            f"M{point.x:.1f} {point.y:.1f}h0.01"
            for point in self.points
            if point.flagged == flagged
        )

    @property
    def dot_path(self) -> str:
        return self._dots(flagged=False) if len(self.points) <= MOST_DOTS else ""

    @property
    def flagged_dot_path(self) -> str:
        return self._dots(flagged=True)

    # The legend under the picture (HTML text, not SVG: a reader can select it, a screen reader
    # reads it, and a PDF lays it out as one line instead of letter by letter).
    @property
    def lowest(self) -> Decimal:
        return min(point.value for point in self.points)

    @property
    def highest(self) -> Decimal:
        return max(point.value for point in self.points)

    @property
    def flagged(self) -> list[ChartPoint]:
        return [point for point in self.points if point.flagged]


def tidy_step(span: Decimal, most_ticks: int = 4) -> Decimal:
    """The smallest round step (…, 0.5, 1, 2, 5, 10, 20, 25, 50, …) giving at most `most_ticks`
    intervals, so the axis reads 0, 5, 10 … rather than 6.75, 13.5."""
    for step in ("0.1", "0.2", "0.25", "0.5", "1", "2", "5", "10", "20", "25", "50", "100", "250"):
        if span / Decimal(step) <= most_ticks:
            return Decimal(step)
    return (span / most_ticks).quantize(Decimal("1"))


def _y(value: Decimal | float, low: Decimal, high: Decimal) -> float:
    span = float(high - low) or 1.0
    return HEIGHT - BOTTOM - (float(value) - float(low)) / span * (HEIGHT - TOP - BOTTOM)


def trend_chart(
    *,
    title: str,
    instrument_name: str,
    values: list[tuple[dt.date, Decimal, bool]],
    low: Decimal,
    high: Decimal,
    cutoff: Decimal | None,
    higher_is_better: bool,
    band_of=None,
    bands_text: str = "",
) -> TrendChart:
    """values: (day, total, flagged) in time order; one point per rating, evenly spaced."""
    count = len(values)
    inner = WIDTH - LEFT - RIGHT
    step = inner / max(count - 1, 1)
    points = [
        ChartPoint(
            x=LEFT + (index * step if count > 1 else inner / 2),
            y=_y(total, low, high),
            value=total,
            day=day,
            flagged=flagged,
        )
        for index, (day, total, flagged) in enumerate(values)
    ]
    step = tidy_step(high - low)
    y_ticks = []
    value = low
    while value <= high:
        y_ticks.append(Tick(_y(value, low, high), f"{value.normalize():f}"))
        value += step
    every = max(1, -(-count // 4))  # at most four date labels: each label costs a text layout
    # Day and month while the series fits in a year; month and year once it spans longer.
    long_span = count > 1 and (points[-1].day - points[0].day).days > 330
    x_ticks = [
        Tick(point.x, date_format(point.day, "M Y") if long_span else when(point.day, "day_month"))
        for point in points[::every]
    ]
    return TrendChart(
        title=title,
        instrument_name=instrument_name,
        points=points,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        cutoff_y=_y(cutoff, low, high) if cutoff is not None else None,
        cutoff_label=_("cutoff %(value)s") % {"value": f"{cutoff.normalize():f}"}
        if cutoff is not None
        else "",
        higher_is_better=higher_is_better,
        bands_text=bands_text,
        first_band=band_of(values[0][1]) if band_of and values else "",
        last_band=band_of(values[-1][1]) if band_of and values else "",
    )
