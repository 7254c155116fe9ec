"""Report 4 against the hand-built practice: follow-ups, non-responses and returns. Wellness at
30/90/180 days and relapse signals wait for follow-up check-ins."""

import pytest

from practice.reports.pages.after import after_page
from practice.reports.selectors.after import after_figures
from tests.reports.conftest import cells, filters_for, section

pytestmark = pytest.mark.django_db


def test_it_counts_follow_ups_by_offset(practice, owner):
    figures = after_figures(filters_for(owner))
    at_30 = figures.follow_ups_at(30)
    # O1 reached, O3 returned to care, O7 and O8 due and not recorded.
    assert (at_30.reached, at_30.returned, at_30.not_reached, at_30.pending) == (1, 1, 0, 2)
    assert (at_30.due, at_30.no_response) == (4, 2)
    at_90 = figures.follow_ups_at(90)
    # O1 not reached; O7's is due in July.
    assert (at_90.not_reached, at_90.due, at_90.not_yet_due) == (1, 1, 1)
    assert figures.follow_ups_at(180).not_yet_due == 1


def test_it_counts_returns_once_per_ending(practice, owner):
    returns = after_figures(filters_for(owner)).returns
    planned = returns["planned"]
    # O5 reopened, O6 has a booster booked after its close, O3's follow-up found it back in care.
    assert (planned.endings, planned.reopened, planned.booster, planned.follow_up_returned) == (
        6,
        1,
        1,
        1,
    )
    assert planned.any_return == 3
    assert returns["unplanned"].any_return == 0


def test_the_page_says_what_is_not_measured_yet(practice, owner):
    page = after_page(filters_for(owner))
    assert cells(section(page, "returns").table)["Unplanned"] == [
        "2",
        "0",
        "0",
        "0",
        "0",
        "0.0%",
        "0.0% – 65.8%",
    ]
    assert "Not measured yet" in section(page, "wellness").paragraphs[0]
    relapse = section(page, "relapse").paragraphs
    assert "53%" in relapse[0] and "rough" in relapse[0]
    assert "not recorded yet" in relapse[1]
    assert page.benchmarks[0].rough and "Ali" in page.benchmarks[0].citation


def test_the_admin_sees_follow_ups_only_in_large_enough_cells(practice, practice_admin):
    rows = cells(section(after_page(filters_for(practice_admin)), "follow-ups").table)
    # 30 days: 1 reached, 1 returned, 0 not reached, 0 answered on the phone, 2 not recorded,
    # 4 due.
    assert rows["30 days"][:6] == ["hidden", "hidden", "0", "0", "hidden", "hidden"]
