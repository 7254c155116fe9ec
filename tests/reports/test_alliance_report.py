"""Report 3 against the hand-built practice: the alliance over the last six sessions and alerts
in the last three, planned against unplanned."""

from decimal import Decimal

import pytest

from practice.reports.pages.alliance import alliance_page
from practice.reports.selectors.alliance import alliance_figures
from tests.reports.conftest import cells, filters_for, section

pytestmark = pytest.mark.django_db


def means(points) -> dict[int, tuple[int, Decimal]]:
    return {point.position: (point.ratings, point.mean) for point in points}


def test_the_trajectory_averages_each_position_before_the_end(practice, owner):
    (trajectory,) = alliance_figures(filters_for(owner)).trajectories.values()
    # Planned, last first: O1 36 35 34 32, O2 34 28 33, O3 36 35 34 33 32 31 (its 20 is 7th).
    assert means(trajectory["planned"]) == {
        1: (3, Decimal("35.33")),
        2: (3, Decimal("32.67")),
        3: (3, Decimal("33.67")),
        4: (2, Decimal("32.50")),
        5: (1, Decimal("32.00")),
        6: (1, Decimal("31.00")),
    }
    # Unplanned: O7 27 29 34, O8 32 31. O1's rating of 10 after its close is left out.
    assert means(trajectory["unplanned"]) == {
        1: (2, Decimal("29.50")),
        2: (2, Decimal("30.00")),
        3: (1, Decimal("34.00")),
    }


def test_it_counts_alerts_in_the_last_three_sessions(practice, owner):
    figures = alliance_figures(filters_for(owner))
    planned, unplanned = figures.alerts_pooled("planned"), figures.alerts_pooled("unplanned")
    # Planned: 6 endings, 3 rated (O1, O2, O3), 1 alert (O2's 28; O3's 20 was 7 sessions back).
    assert (planned.endings, planned.measured, planned.alerted) == (6, 3, 1)
    # Unplanned: O7 (29 and 27) alerted, O8 not.
    assert (unplanned.endings, unplanned.measured, unplanned.alerted) == (2, 2, 1)


def test_it_shows_the_counts_and_says_there_are_too_few(practice, owner):
    page = alliance_page(filters_for(owner))
    alerts = section(page, "alerts")
    rows = cells(alerts.table)
    # 1 of 3: Wilson 6.1% to 79.2%; 1 of 2: 9.5% to 90.5%.
    assert rows["Planned"] == ["6", "3", "1", "33.3%", "6.1% – 79.2%"]
    assert rows["Unplanned"] == ["2", "2", "1", "50.0%", "9.5% – 90.5%"]
    assert alerts.paragraphs[0].startswith("Too few endings to conclude anything")
    assert "2 unplanned and 3 planned" in alerts.paragraphs[0]


def test_the_supervisor_sees_per_counselor_rows(practice, supervisor, owner):
    rows = cells(section(alliance_page(filters_for(supervisor)), "alerts").table)
    assert rows[f"{owner}: Planned"] == ["6", "3", "1", "33.3%", "6.1% – 79.2%"]


def test_the_admin_never_sees_a_small_count(practice, practice_admin):
    page = alliance_page(filters_for(practice_admin))
    rows = cells(section(page, "alerts").table)
    # Planned: 9 endings shown, only 3 rated: hidden with everything built on it.
    assert rows["Planned"] == ["9", "hidden", "hidden", "hidden", "hidden"]
    assert rows["Unplanned"] == ["hidden"] * 5
    trajectory = next(s for s in page.sections if s.key.startswith("trajectory"))
    # Every mean rests on 1 to 3 ratings: all hidden; positions without ratings say 0.
    assert all(
        cell.hidden or cell.text in ("–", "0") for row in trajectory.table.rows for cell in row[1:]
    )
    assert all(not line.points for line in trajectory.chart.lines)
