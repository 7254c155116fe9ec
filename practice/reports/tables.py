"""Report tables: the accessible table under each chart, the CSV export, and the admin's
small-cell rule, from one structure so the three never disagree."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.formats import get_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from practice.reports.statistics import Proportion

HIDDEN = _("hidden")
# A column heading, not a format string ("% i" would read as one).
# xgettext:no-python-format
INTERVAL_95 = _("95% interval")


@dataclass(frozen=True)
class Cell:
    text: str
    hidden: bool = False
    heading: bool = False


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def add(self, heading: str, cells: list[Cell]) -> None:
        self.rows.append([Cell(str(heading), heading=True), *cells])

    @property
    def has_hidden(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in row)


class Suppressor:
    """The admin's rule: no count from 1 to under the minimum cell size is shown. Where one hidden
    count of a sum could be worked out from the others, the next smallest is hidden as well."""

    def __init__(self, min_size: int | None):
        self.min_size = min_size

    @property
    def active(self) -> bool:
        return self.min_size is not None

    def hides(self, count: int) -> bool:
        # A zero points at nobody, so it stands (as in the CMS cell-size rule: values from 1 to
        # the threshold are withheld); a small positive count is what could point at a client.
        return self.min_size is not None and 0 < count < self.min_size

    def group(self, counts: list[int], total_shown: bool = True) -> list[bool]:
        """Which counts of a group (parts of one total) to hide."""
        hidden = [self.hides(count) for count in counts]
        if total_shown and hidden.count(True) == 1 and len(counts) > 1:
            rest = [(count, index) for index, count in enumerate(counts) if not hidden[index]]
            _count, index = min(rest)
            hidden[index] = True
        return hidden

    def grid(
        self, rows: list[list[int]], column_totals_hidden: list[bool] | None = None
    ) -> list[list[bool]]:
        """Which cells of a table to hide, each row being its parts and then their total.

        A row adds up to its last cell, and where the column totals are shown elsewhere (the
        pooled row) each column adds up to its total too. One hidden cell in such a sum could be
        worked out from the others, so while any sum has exactly one hidden cell, the smallest
        shown cell of that sum is hidden as well. `column_totals_hidden` says, per column,
        whether that shown-elsewhere total is itself hidden (None: no column totals are shown).
        """
        hidden = [[self.hides(value) for value in row] for row in rows]
        if not self.active or not rows:
            return hidden
        sums: list[tuple[list[tuple[int, int]], bool]] = [
            ([(i, j) for j in range(len(row))], False) for i, row in enumerate(rows)
        ]
        if column_totals_hidden is not None:
            sums += [
                ([(i, j) for i in range(len(rows))], total_hidden)
                for j, total_hidden in enumerate(column_totals_hidden)
            ]
        changed = True
        while changed:
            changed = False
            for cells, outside_hidden in sums:
                hidden_count = sum(hidden[i][j] for i, j in cells) + outside_hidden
                shown = [(rows[i][j], i, j) for i, j in cells if not hidden[i][j]]
                if hidden_count == 1 and shown:
                    _value, i, j = min(shown)
                    hidden[i][j] = True
                    changed = True
        return hidden

    def count(self, value: int, hidden: bool | None = None) -> Cell:
        if self.hides(value) if hidden is None else hidden:
            return Cell(str(HIDDEN), hidden=True)
        return Cell(str(value))

    def counts(self, values: list[int], total_shown: bool = True) -> list[Cell]:
        hidden = self.group(values, total_shown=total_shown)
        return [self.count(value, hide) for value, hide in zip(values, hidden, strict=True)]


def number(text: object) -> str:
    """A number already written with a point ("33.3", "+2.5") as the active language writes it
    (a comma in French)."""
    return str(text).replace(".", get_format("DECIMAL_SEPARATOR"))


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return gettext("%(number)s%%") % {"number": number(f"{value * 100:.1f}")}


def share_cells(part: Proportion, hidden: bool) -> list[Cell]:
    """The share and its 95% interval, hidden with the counts behind them."""
    if hidden:
        return [Cell(str(HIDDEN), hidden=True), Cell(str(HIDDEN), hidden=True)]
    if not part.total:
        return [Cell("–"), Cell("–")]
    return [Cell(percent(part.share)), Cell(f"{percent(part.low)} – {percent(part.high)}")]


def tables_csv(*, title: str, described: str, tables: list[Table], notes: list[str]) -> str:
    """One CSV for a report: a title line, then each table with its caption and header."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    writer.writerow([described])
    for note in notes:
        writer.writerow([note])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerow([str(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_safe(cell.text) for cell in row])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula; figures never start so, but a
    # counselor's name could.
    return f"'{text}" if text[:1] in ("=", "+", "@") else text
