"""Report 1 against the hand-built practice (tests/reports/handbuilt.py): every count below was
worked out from the table in that module's docstring."""

import datetime as dt

import pytest

from practice.policy.models import PracticePolicy
from practice.reports.pages.endings import endings_page
from practice.reports.selectors.endings import endings_figures
from tests.reports.conftest import cells, filters_for, section

pytestmark = pytest.mark.django_db


def figures(user, **data):
    return endings_figures(filters_for(user, **data), PracticePolicy.current())


def test_the_counselor_counts_their_own_closed_endings_in_the_last_12_months(practice, owner):
    counted = figures(owner)
    # O1–O8: six planned, two unplanned (O5, reopened since, still counts; O9 is too old; the
    # ending in preparation and the withdrawn one never closed).
    assert (counted.pooled.planned, counted.pooled.unplanned) == (6, 2)
    assert list(counted.by_counselor) == [owner.pk]


def test_it_counts_by_month(practice, owner):
    by_month = figures(owner).by_month
    assert {month: (c.planned, c.unplanned) for month, c in by_month.items()} == {
        dt.date(2026, 1, 1): (1, 0),
        dt.date(2026, 2, 1): (1, 0),
        dt.date(2026, 3, 1): (2, 0),
        dt.date(2026, 4, 1): (1, 1),
        dt.date(2026, 5, 1): (1, 1),
    }


def test_it_counts_by_initiator_and_reason(practice, owner):
    counted = figures(owner)
    assert {k: (c.planned, c.unplanned) for k, c in counted.by_initiator.items()} == {
        "both": (3, 0),
        "client": (2, 1),
        "counselor": (1, 0),
        "practice": (0, 1),
    }
    assert {k: (c.planned, c.unplanned) for k, c in counted.by_reason.items()} == {
        "goals_met": (4, 0),
        "relocation": (1, 0),
        "financial": (1, 0),
        "stopped_attending": (0, 2),
    }


def test_it_buckets_the_time_from_intake_to_the_ending(practice, owner):
    by_duration = figures(owner).by_duration
    # 19 days; 52, 80, 38; 106, 160, 120; 369.
    assert {k: (c.planned, c.unplanned) for k, c in by_duration.items()} == {
        "under_1m": (1, 0),
        "1_3m": (1, 2),
        "3_6m": (3, 0),
        "over_1y": (1, 0),
    }


def test_it_counts_the_steps_that_met_their_deadline(practice, owner):
    steps = figures(owner).steps
    # Notice (14 days): O1 26, O3 32, O5 21 on time; O2 9 days with a reason; O4 5 days without;
    # O6 never recorded.
    assert (
        steps.planned,
        steps.notice_on_time,
        steps.notice_short_with_reason,
        steps.notice_short_without_reason,
        steps.notice_not_recorded,
    ) == (6, 3, 1, 1, 1)
    # Summaries: O1 and O7 signed before their due date, O2 four days after.
    assert (steps.summaries_with_due_date, steps.summaries_on_time, steps.summaries_late) == (
        3,
        2,
        1,
    )
    # Follow-ups whose week of grace has passed by 30 June: O1 at 30 days (2 days after, on
    # time), O3 at 30 days (a day after), O1 at 90 days (15 days late), O7 at 30 days (never).
    # O8's is due 27 June, still within its week.
    assert (
        steps.follow_ups_due,
        steps.follow_ups_on_time,
        steps.follow_ups_late,
        steps.follow_ups_not_done,
    ) == (4, 2, 1, 1)


def test_the_unplanned_share_has_its_interval_and_says_it_is_too_few(practice, owner):
    page = endings_page(filters_for(owner), PracticePolicy.current())
    share = section(page, "share")
    # 2 of 8: 25.0%, Wilson 7.1% to 59.1% (tests/reports/test_statistics.py has the arithmetic).
    assert cells(share.table)["All counted endings"] == ["6", "2", "8", "25.0%", "7.1% – 59.1%"]
    assert "2 of 8" in share.paragraphs[0]
    assert "too few endings to conclude anything" in share.paragraphs[0]
    assert page.benchmarks[0].rate == 0.197 and "Swift" in page.benchmarks[0].citation


def test_the_interval_starts_at_zero_when_no_ending_was_unplanned(practice, owner):
    page = endings_page(filters_for(owner, kind="planned"), PracticePolicy.current())
    # 0 of 6: from 0 to z² / (6 + z²) = 3.8415 / 9.8415 = 39.0%.
    assert cells(section(page, "share").table)["All counted endings"] == [
        "6",
        "0",
        "6",
        "0.0%",
        "0.0% – 39.0%",
    ]


def test_filters_narrow_by_reason_and_period(practice, owner):
    assert figures(owner, reason="stopped_attending").pooled.total == 2
    first_quarter = figures(owner, period="quarter", quarter="2026-1")
    assert (first_quarter.pooled.planned, first_quarter.pooled.unplanned) == (4, 0)
    # 2025: O9 (June 2025, before the default period) and O1–O8 are 2026.
    assert figures(owner, period="year", year="2025").pooled.unplanned == 1
    assert figures(owner, period="year", year="2025").pooled.total == 1
    assert figures(owner, period="custom", start="2025-06-01", end="2025-06-30").pooled.total == 1


def test_the_supervisor_sees_their_supervisee_per_counselor_and_pooled(practice, supervisor, owner):
    page = endings_page(filters_for(supervisor), PracticePolicy.current())
    rows = cells(section(page, "share").table)
    assert rows["All counted endings"][:3] == ["6", "2", "8"]
    assert rows[str(owner)][:3] == ["6", "2", "8"]
    assert len(rows) == 2  # the colleague is not their supervisee


def test_the_admin_sees_pooled_counts_with_small_cells_hidden(
    practice, practice_admin, owner, colleague
):
    page = endings_page(filters_for(practice_admin), PracticePolicy.current())
    rows = cells(section(page, "share").table)
    # Pooled 9 planned, 3 unplanned of 12: the 3 is under 5, and the 9 would give it away.
    assert rows["All counted endings"] == ["hidden", "hidden", "12", "hidden", "hidden"]
    # Owner 6 + 2 of 8: same; colleague 4 in all: everything hidden, and then the owner's 8 too,
    # or 12 − 8 would give the colleague's 4 away.
    assert rows[str(owner)] == ["hidden"] * 5
    assert rows[str(colleague)] == ["hidden"] * 5
    assert page.has_hidden and any("from 1 to 4" in note for note in page.notes)
    assert "Too few endings" in section(page, "share").paragraphs[0]
    # Every month has fewer than 5 endings: no month with an ending is drawn; empty months are.
    months = section(page, "months")
    assert [row.label for row in months.chart.rows if row.hidden] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
    ]
    assert cells(months.table)["Dec 2025"] == ["0", "0", "0"]


def test_the_admin_sees_more_once_the_policy_allows_smaller_cells(practice, practice_admin):
    page = endings_page(filters_for(practice_admin, min_cell_size=3), PracticePolicy.current())
    rows = cells(section(page, "share").table)
    assert rows["All counted endings"] == ["9", "3", "12", "25.0%", "8.9% – 53.2%"]


def test_no_client_name_reaches_the_admins_page(practice, practice_admin, client):
    from django.urls import reverse

    client.force_login(practice_admin)
    html = client.get(reverse("report_endings")).content.decode()
    for item in practice.values():
        assert item.client.legal_last_name not in html


def test_the_steps_table_marks_what_does_not_apply(practice, owner):
    page = endings_page(filters_for(owner), PracticePolicy.current())
    rows = list(cells(section(page, "steps").table).values())
    assert rows == [["3", "1", "2", "6"], ["2", "–", "1", "3"], ["2", "–", "2", "4"]]
