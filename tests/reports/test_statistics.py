"""Wilson and Newcombe intervals at their boundaries, and the admin's small-cell rule.

By hand, with z = 1.959964 (z² = 3.841459):
- 0 of n: the lower bound is 0 and the upper z² / (n + z²); 0 of 10 gives 3.841459 / 13.841459
  = 0.277533.
- n of n: the lower bound is n / (n + z²); 10 of 10 gives 10 / 13.841459 = 0.722467.
- 2 of 8: centre (0.25 + z²/16) / (1 + z²/8) = 0.490091 / 1.480182 = 0.331102; half-width
  z / 1.480182 × √(0.25 × 0.75 / 8 + z²/256) = 1.324137 × 0.196069 = 0.259623;
  so 0.071479 to 0.590725.
"""

import pytest

from practice.reports.statistics import difference, proportion, wilson_interval
from practice.reports.tables import Suppressor


def test_it_has_no_interval_without_cases():
    assert wilson_interval(0, 0) is None
    assert proportion(0, 0).share is None
    assert not proportion(0, 0).contains(0.2)


def test_it_starts_at_zero_for_none_of_n():
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.277533, abs=1e-6)


def test_it_ends_at_one_for_all_of_n():
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    assert low == pytest.approx(0.722467, abs=1e-6)


def test_it_matches_the_hand_computed_interval_for_two_of_eight():
    low, high = wilson_interval(2, 8)
    assert low == pytest.approx(0.071479, abs=1e-6)
    assert high == pytest.approx(0.590725, abs=1e-6)


def test_one_case_gives_the_widest_sensible_interval():
    low, high = wilson_interval(1, 1)
    assert (low, high) == (pytest.approx(1 / (1 + 3.841459), abs=1e-6), 1.0)


@pytest.mark.parametrize("count,total", [(-1, 5), (6, 5), (0, -1)])
def test_it_refuses_what_is_not_a_proportion(count, total):
    with pytest.raises(ValueError):
        wilson_interval(count, total)


def test_the_interval_narrows_as_cases_grow_around_the_same_share():
    small, large = proportion(2, 10), proportion(200, 1000)
    assert small.high - small.low > large.high - large.low
    assert small.contains(0.197) and large.contains(0.197)


def test_the_difference_of_equal_shares_straddles_zero():
    gap = difference(proportion(1, 2), proportion(1, 2))
    assert gap.value == 0 and gap.low < 0 < gap.high and not gap.excludes_zero


def test_the_difference_of_far_apart_shares_excludes_zero():
    # Newcombe's method 10 for 40/50 against 10/50: 0.6 with both Wilson intervals well apart.
    gap = difference(proportion(40, 50), proportion(10, 50))
    assert gap.value == pytest.approx(0.6)
    assert gap.excludes_zero and 0.4 < gap.low < 0.6 < gap.high < 0.8


def test_the_difference_needs_cases_on_both_sides():
    assert difference(proportion(1, 2), proportion(0, 0)) is None


def test_the_suppressor_hides_counts_under_the_minimum_only():
    rule = Suppressor(5)
    assert [rule.hides(n) for n in (0, 1, 4, 5, 12)] == [False, True, True, False, False]
    assert not Suppressor(None).hides(0)


def test_a_lone_hidden_count_takes_the_next_smallest_with_it():
    # 9 planned and 3 unplanned of a shown 12: hiding only the 3 would leave it as 12 − 9.
    assert Suppressor(5).group([9, 3]) == [True, True]
    assert Suppressor(5).group([9, 3, 20]) == [True, True, False]
    assert Suppressor(5).group([9, 3, 2, 20]) == [False, True, True, False]
    assert Suppressor(5).group([9, 7]) == [False, False]
    assert Suppressor(None).group([9, 1]) == [False, False]


def test_the_grid_hides_a_second_cell_in_every_row_and_column_that_would_give_one_away():
    rule = Suppressor(5)
    # Rows are planned, unplanned, total; the pooled column totals (20, 9, 29) are shown.
    rows = [[12, 3, 15], [8, 6, 14]]
    hidden = rule.grid(rows, column_totals_hidden=[False, False, False])
    # The 3 is hidden; its row then hides the 12; the unplanned column (3 hidden, 6 shown,
    # total 9) hides the 6; the planned column hides the 8; row two then has 14 alone shown,
    # which is fine: two of its three cells are hidden.
    assert hidden == [[True, True, False], [True, True, False]]
    # Without column totals anywhere, only the rows matter.
    assert rule.grid(rows) == [[True, True, False], [False, False, False]]
    assert Suppressor(None).grid(rows) == [[False] * 3, [False] * 3]
