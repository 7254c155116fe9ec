"""MeasureSeries, the summed-up series the caseload, the board and the client page read: kept
true by rating_record, whatever order ratings arrive in, and equal to a rebuild from scratch."""

from decimal import Decimal

import pytest

from clients.models import Client
from sessions_app.models import MeasureSeries
from sessions_app.selectors import measure_flags, measure_summaries
from sessions_app.services.measures import measure_series_rebuild
from tests.factories import ClientFactory
from tests.sessions_app.test_ratings import alliance_answers, phq9_answers, record

pytestmark = pytest.mark.django_db


def series_rows():
    return sorted(
        MeasureSeries.objects.values_list(
            "client_id", "instrument_id", "count", "first_total", "latest_total",
            "previous_total", "latest_on", "latest_alerted",
        )
    )  # fmt: skip


def test_it_follows_each_rating_even_one_dated_in_the_past(owner, own_client, policy):
    record(owner, own_client, "Alliance", alliance_answers(36), days_ago=14)
    record(owner, own_client, "Alliance", alliance_answers(20), days_ago=0)  # below the cutoff
    record(owner, own_client, "Alliance", alliance_answers(32), days_ago=7)  # recorded late
    alliance = MeasureSeries.objects.get(client=own_client, instrument__short_name="Alliance")
    assert (alliance.count, alliance.first_total, alliance.latest_total) == (3, 36, 20)
    assert (alliance.previous_total, alliance.latest_alerted) == (32, True)
    summary = measure_summaries([own_client.pk])[own_client.pk]
    assert (summary.alliance_latest, summary.alliance_previous) == (Decimal(20), Decimal(32))
    assert summary.alliance_alert and summary.alliance_count == 3


def test_outcomes_are_first_against_latest(owner, own_client, policy):
    record(owner, own_client, "PHQ-9", phq9_answers(18), days_ago=60)
    record(owner, own_client, "PHQ-9", phq9_answers(12), days_ago=30)
    record(owner, own_client, "PHQ-9", phq9_answers(6), days_ago=1)
    (reading,) = measure_summaries([own_client.pk])[own_client.pk].outcomes
    assert (reading.first, reading.latest, reading.count) == (18, 6, 3)
    assert reading.outcome.value == "recovered"


def test_a_rebuild_from_the_ratings_gives_the_same_rows(owner, own_client, colleague, policy):
    for days_ago, total in ((20, 38), (10, 22), (3, 35)):
        record(owner, own_client, "Alliance", alliance_answers(total), days_ago=days_ago)
    record(owner, own_client, "PHQ-9", phq9_answers(9), days_ago=2)
    kept = series_rows()
    assert measure_series_rebuild() == 2
    assert series_rows() == kept


def test_the_flags_for_counting_pages_agree_with_the_summaries(owner, own_client, policy):
    record(owner, own_client, "Alliance", alliance_answers(36), days_ago=14)
    record(owner, own_client, "Alliance", alliance_answers(20), days_ago=0)  # below the cutoff
    record(owner, own_client, "PHQ-9", phq9_answers(8), days_ago=60)
    record(owner, own_client, "PHQ-9", phq9_answers(20), days_ago=1)  # deteriorated
    unrated = ClientFactory(primary_counselor=owner)
    flags = measure_flags(Client.objects.filter(pk__in=[own_client.pk, unrated.pk]).values("pk"))
    summary = measure_summaries([own_client.pk])[own_client.pk]
    assert flags[own_client.pk].alliance_alert is summary.alliance_alert is True
    assert flags[own_client.pk].outcomes == [reading.outcome for reading in summary.outcomes]
    assert [outcome.value for outcome in flags[own_client.pk].outcomes] == ["deteriorated"]
    assert not flags[unrated.pk].alliance_alert and flags[unrated.pk].outcomes == []
