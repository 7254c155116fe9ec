"""Scoring and classification against cases worked by hand, with their boundaries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sessions_app.models import Instrument
from sessions_app.scoring import Outcome, alliance_alert_reason, classify_outcome, score
from tests.factories import instrument


def ors_like() -> Instrument:
    """A made-up higher-is-better instrument on a 0–40 total, like the ORS in shape only."""
    return Instrument(
        name="Made-up wellbeing scale",
        short_name="WB",
        kind="outcome",
        items=[{"key": f"w{n}", "text": f"Made-up area {n}"} for n in range(1, 5)],
        scale_min=0,
        scale_max=10,
        clinical_cutoff=Decimal(25),
        reliable_change=Decimal(5),
        higher_is_better=True,
    )


@pytest.fixture
def phq9(db) -> Instrument:
    return instrument("PHQ-9")


def test_it_ships_phq9_as_higher_is_worse_with_cutoff_10_and_reliable_change_6(phq9):
    assert (phq9.higher_is_better, phq9.clinical_cutoff, phq9.reliable_change) == (
        False,
        Decimal(10),
        Decimal(6),
    )


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        (16, 9, Outcome.RECOVERED),  # improves by 7 ≥ 6 and crosses below 10
        (16, 10, Outcome.IMPROVED),  # improves by exactly 6, but 10 is still clinical
        (16, 11, Outcome.UNCHANGED),  # improves by 5 < 6
        (8, 14, Outcome.DETERIORATED),  # worsens by 6
        (8, 2, Outcome.IMPROVED),  # improves by 6, but was never clinical
        (10, 16, Outcome.DETERIORATED),  # exactly −6
        (10, 15, Outcome.UNCHANGED),  # −5 is not reliable
        (10, 4, Outcome.RECOVERED),  # 10 is clinical (at the cutoff), 4 is not
    ],
)
def test_it_classifies_phq9_first_against_latest(phq9, first, latest, expected):
    assert classify_outcome(phq9, Decimal(first), Decimal(latest), 2) == expected


def test_it_needs_two_ratings_to_classify(phq9):
    assert classify_outcome(phq9, Decimal(16), Decimal(16), 1) == Outcome.NOT_ENOUGH_DATA
    assert classify_outcome(phq9, None, None, 0) == Outcome.NOT_ENOUGH_DATA
    assert Outcome.NOT_ENOUGH_DATA.label == "Not enough data"


def test_it_cannot_classify_without_a_reliable_change_threshold(phq9):
    phq9.reliable_change = None
    assert classify_outcome(phq9, Decimal(20), Decimal(2), 5) == Outcome.NOT_ENOUGH_DATA


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        (20, 26, Outcome.RECOVERED),  # +6 ≥ 5 and crosses up over 25
        (20, 24, Outcome.UNCHANGED),  # +4
        (20, 25, Outcome.RECOVERED),  # +5 exactly, and 25 is no longer below the cutoff
        (10, 20, Outcome.IMPROVED),  # +10 but still below 25
        (30, 24, Outcome.DETERIORATED),  # −6
        (30, 25, Outcome.DETERIORATED),  # −5 exactly
        (30, 26, Outcome.UNCHANGED),  # −4
    ],
)
def test_it_classifies_a_higher_is_better_instrument(first, latest, expected):
    assert classify_outcome(ors_like(), Decimal(first), Decimal(latest), 2) == expected


def test_it_sums_items_and_subscales():
    scale = ors_like()
    scale.subscales = {"Front": ["w1", "w2"], "Back": ["w3", "w4"]}
    result = score(scale, {"w1": 1, "w2": "2", "w3": " 10 ", "w4": 0})
    assert result.total == Decimal(13)
    assert result.subscales == {"Front": Decimal(3), "Back": Decimal(10)}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((1, 2, 2), "1.67"),  # 5 / 3 = 1.666… rounds up
        ((1, 1, 2), "1.33"),  # 4 / 3 = 1.333… rounds down
        ((1, 2), "1.50"),
        ((0, 0, 1, 0, 0, 0, 0, 0), "0.13"),  # 0.125 rounds half up, not to even
    ],
)
def test_it_rounds_mean_scoring_half_up_to_two_places(answers, expected):
    mean_scale = Instrument(
        items=[{"key": f"k{n}", "text": f"Item {n}"} for n in range(len(answers))],
        scale_min=0,
        scale_max=4,
        scoring="mean",
        higher_is_better=False,
    )
    result = score(mean_scale, {f"k{n}": value for n, value in enumerate(answers)})
    assert result.total == Decimal(expected)
    assert mean_scale.total_max == Decimal(4)


def test_it_names_every_missing_and_out_of_range_answer():
    with pytest.raises(ValidationError) as caught:
        score(ors_like(), {"w1": 3, "w2": "", "w3": 11, "w4": "-1"})
    assert caught.value.message_dict == {
        "w2": ["Answer this question."],
        "w3": ["Use a whole number from 0 to 10."],
        "w4": ["Use a whole number from 0 to 10."],
    }


@pytest.mark.parametrize("bad", [None, "abc", "2.5", [], {"x": 1}])
def test_it_rejects_answers_that_are_not_whole_numbers(bad):
    with pytest.raises(ValidationError) as caught:
        score(ors_like(), {"w1": bad, "w2": 1, "w3": 1, "w4": 1})
    assert list(caught.value.message_dict) == ["w1"]


@pytest.mark.parametrize(
    ("total", "previous", "expected"),
    [
        (29, None, "below_cutoff"),
        (30, None, None),  # at the cutoff is not below it
        (33, 38, "drop"),  # a drop of exactly 5
        (34, 38, None),  # a drop of 4
        (25, 38, "both"),
        (29, 30, "below_cutoff"),  # below, but dropped only 1
        (40, 34, None),  # a rise is never an alert
    ],
)
def test_it_raises_an_alliance_alert_below_the_cutoff_or_on_a_drop(total, previous, expected):
    reason = alliance_alert_reason(
        total=Decimal(total),
        previous_total=Decimal(previous) if previous is not None else None,
        cutoff=Decimal(30),
        drop_points=5,
    )
    assert reason == expected
