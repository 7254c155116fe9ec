"""Confidence intervals for proportions: pure functions, no database.

Wilson's score interval is used rather than the textbook (Wald) one because it stays inside 0–1
and behaves at 0 of n and n of n, which is where a small practice lives. Newcombe's hybrid score
interval (his method 10) compares two proportions from the two Wilson intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The 97.5th percentile of the standard normal distribution: a two-sided 95% interval.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Proportion:
    """k of n, with its 95% Wilson interval. n = 0 has no share and no interval."""

    count: int
    total: int
    low: float | None
    high: float | None

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    def contains(self, value: float) -> bool:
        return self.low is not None and self.high is not None and self.low <= value <= self.high


def wilson_interval(count: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for count successes out of total; None when total is 0."""
    if total < 0 or count < 0 or count > total:
        raise ValueError(f"Not a proportion: {count} of {total}.")
    if total == 0:
        return None
    share = count / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (share + z2 / (2 * total)) / denominator
    half = z / denominator * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total))
    # At 0 of n and n of n the formula gives the bound exactly in theory; rounding must not push
    # it a hair past 0 or 1.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == total else min(1.0, centre + half)
    return low, high


def proportion(count: int, total: int) -> Proportion:
    interval = wilson_interval(count, total)
    low, high = interval if interval else (None, None)
    return Proportion(count=count, total=total, low=low, high=high)


@dataclass(frozen=True)
class Difference:
    """first.share − second.share with its 95% interval (Newcombe's method 10)."""

    value: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def difference(first: Proportion, second: Proportion) -> Difference | None:
    """None when either proportion has no cases."""
    if not first.total or not second.total:
        return None
    p1, p2 = first.share, second.share
    l1, u1, l2, u2 = first.low, first.high, second.low, second.high
    assert None not in (p1, p2, l1, u1, l2, u2)
    value = p1 - p2
    low = value - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = value + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(value=value, low=max(-1.0, low), high=min(1.0, high))
