"""Report 2 against the hand-built practice, and the database's classification held to
sessions_app.scoring.classify_outcome."""

from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.reports.pages.outcomes import outcomes_page
from practice.reports.selectors.base import table
from practice.reports.selectors.outcomes import classification_sql, outcome_figures
from sessions_app.models import Instrument
from sessions_app.scoring import classify_outcome
from tests.factories import instrument
from tests.reports.conftest import cells, filters_for

pytestmark = pytest.mark.django_db


def classes(measure, kind=None) -> dict[str, int]:
    counts = measure.pooled(kind)
    return {key: value for key, value in counts.counts.items() if value}


def test_it_classifies_each_ending_first_against_latest(practice, owner):
    measures = {m.instrument.short_name: m for m in outcome_figures(filters_for(owner))}
    assert set(measures) == {"PHQ-9", "GAD-7"}
    # PHQ-9 (cutoff 10, reliable change 6): O1 18→6 and O2 14→7 recovered; O4 20→14 improved by
    # exactly 6 but still clinical; O3 12→10 and O7 16→13 unchanged (O7's later 5 came after the
    # end); O5 9→15 and O8 11→18 deteriorated; O6 rated once.
    assert classes(measures["PHQ-9"]) == {
        "recovered": 2,
        "improved": 1,
        "unchanged": 2,
        "deteriorated": 2,
        "not_enough_data": 1,
    }
    assert classes(measures["PHQ-9"], "unplanned") == {"unchanged": 1, "deteriorated": 1}
    assert classes(measures["GAD-7"]) == {"recovered": 1}


def test_unplanned_endings_are_counted_with_their_latest_score(practice, owner):
    page = outcomes_page(filters_for(owner))
    phq = next(s for s in page.sections if "PHQ-9" in s.heading)
    rows = cells(phq.table)
    assert rows["Unplanned endings"] == [
        "0 (0.0%)",
        "0 (0.0%)",
        "1 (50.0%)",
        "1 (50.0%)",
        "2",
        "0",
    ]
    assert rows["All endings"][4:] == ["7", "1"]
    assert "too few to conclude" in phq.paragraphs[0]


def test_the_supervisor_sees_only_their_supervisees(practice, supervisor):
    measures = {m.instrument.short_name: m for m in outcome_figures(filters_for(supervisor))}
    assert measures["PHQ-9"].pooled().classified == 7


def test_the_admin_sees_pooled_classes_with_small_cells_hidden(practice, practice_admin):
    measures = {m.instrument.short_name: m for m in outcome_figures(filters_for(practice_admin))}
    # Adds C1 15→4 recovered and C4 12→12 unchanged.
    assert classes(measures["PHQ-9"]) == {
        "recovered": 3,
        "improved": 1,
        "unchanged": 3,
        "deteriorated": 2,
        "not_enough_data": 1,
    }
    page = outcomes_page(filters_for(practice_admin))
    rows = cells(next(s for s in page.sections if "PHQ-9" in s.heading).table)
    assert rows["All endings"] == ["hidden"] * 4 + ["9", "hidden"]
    # Unplanned: 0, 0, 2, 1 of 3; the zeros point at nobody and stand.
    assert rows["Unplanned endings"] == ["0 (0.0%)", "0 (0.0%)"] + ["hidden"] * 3 + ["0"]


def _sql_class(instrument_id: int, first: Decimal, latest: Decimal, ratings: int) -> str:
    sql = (
        "WITH v (a_first, a_latest, a_count) AS (SELECT %s, %s, %s) "
        f"SELECT {classification_sql('v.a_first', 'v.a_latest', 'v.a_count')} "
        f"FROM v, {table(Instrument)} i WHERE i.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, latest, ratings, instrument_id])
        return cursor.fetchone()[0]


@pytest.fixture
def higher_is_better(db) -> Instrument:
    """A licensed-style measure scored as a mean, where higher is better."""
    return Instrument.objects.create(
        name="Outcome rating (mean)",
        short_name="ORM",
        kind="outcome",
        items=[{"key": "a", "text": "A"}],
        scale_min=0,
        scale_max=10,
        scoring="mean",
        clinical_cutoff=Decimal("5.00"),
        reliable_change=Decimal("0.70"),
        higher_is_better=True,
    )


@pytest.mark.parametrize(
    "first,latest,expected",
    [
        (18, 6, "recovered"),
        (20, 14, "improved"),  # exactly the reliable change, still clinical
        (9, 15, "deteriorated"),  # exactly the reliable change the wrong way
        (12, 10, "unchanged"),
        (16, 10, "improved"),  # 10 is at the cutoff: still clinical
        (15, 9, "recovered"),  # 9 is below it
    ],
)
def test_the_database_classifies_the_phq9_boundaries_by_hand(first, latest, expected):
    phq = instrument("PHQ-9")
    assert _sql_class(phq.pk, Decimal(first), Decimal(latest), 2) == expected
    assert classify_outcome(phq, Decimal(first), Decimal(latest)) == expected


def test_one_rating_is_not_enough(db):
    assert _sql_class(instrument("PHQ-9").pk, Decimal(9), Decimal(9), 1) == "not_enough_data"
    assert _sql_class(instrument("Alliance").pk, Decimal(9), Decimal(30), 2) == "not_enough_data"


# The instrument fixture is read-only: sharing it across examples is safe.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.integers(min_value=0, max_value=1000),
    latest=st.integers(min_value=0, max_value=1000),
    which=st.sampled_from(["PHQ-9", "GAD-7", "ORM"]),
)
def test_the_database_agrees_with_classify_outcome(higher_is_better, first, latest, which):
    measure = higher_is_better if which == "ORM" else instrument(which)
    # Means in hundredths for the mean-scored measure, whole points for the sums.
    scale = Decimal("0.01") if which == "ORM" else Decimal(1)
    first_total = (Decimal(first) * scale).quantize(Decimal("0.01"))
    latest_total = (Decimal(latest) * scale).quantize(Decimal("0.01"))
    if which != "ORM":
        first_total, latest_total = first_total % 28, latest_total % 28
    expected = classify_outcome(measure, first_total, latest_total)
    assert _sql_class(measure.pk, first_total, latest_total, 2) == expected.value


def test_the_admins_hidden_cells_cannot_be_worked_out_from_rows_or_columns(
    practice, practice_admin, owner, colleague
):
    # With a minimum of 2 (worked by hand): all endings 3 recovered, 1 improved, 3 unchanged,
    # 2 deteriorated of 9, 1 without enough data. The 1 improved is hidden, and the smallest
    # other cell of its row (the 2 deteriorated) with it. Unplanned 0/0/2/1 of 3: its 1 hides the
    # first 0. Planned 3/1/1/1 of 6 and unplanned add up to all endings column by column: the
    # planned 3 recovered would give the hidden unplanned 0 away, and the unplanned 2 unchanged
    # the planned 1, so both go too.
    page = outcomes_page(filters_for(practice_admin, min_cell_size=2))
    rows = cells(next(s for s in page.sections if "PHQ-9" in s.heading).table)
    assert rows["All endings"] == ["3 (33.3%)", "hidden", "3 (33.3%)", "hidden", "9", "hidden"]
    assert rows["Planned endings"] == ["hidden"] * 4 + ["6", "hidden"]
    assert rows["Unplanned endings"] == ["hidden", "0 (0.0%)", "hidden", "hidden", "3", "0"]
    # Owner 2/1/2/2 of 7, colleague 1/0/1/0 of 2: the owner's 1 improved takes the 2 recovered
    # (the first smallest) along; the colleague's 1 unchanged would be 3 − 2, so the owner's 2
    # unchanged goes too; the hidden total of deteriorated would be 2 + 0, so the colleague's 0
    # goes as well.
    assert rows[str(owner)] == ["hidden", "hidden", "hidden", "2 (28.6%)", "7", "hidden"]
    assert rows[str(colleague)] == ["hidden", "0 (0.0%)", "hidden", "hidden", "2", "0"]
