"""MeasureSeries, the summed-up series the caseload, the board and the client page read: kept
true by rating_record, whatever order ratings arrive in, and equal to a rebuild from scratch."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db.models import Q

from clients.models import Client
from sessions_app.models import Instrument, MeasureSeries
from sessions_app.scoring import Outcome, classify_outcome
from sessions_app.selectors import alliance_alert_condition, has_outcome, measure_summaries
from sessions_app.services.measures import measure_series_rebuild
from tests.factories import ClientFactory
from tests.sessions_app.test_ratings import alliance_answers, phq9_answers, record

pytestmark = pytest.mark.django_db


def series_rows():
    return sorted(
        MeasureSeries.objects.values_list(
            "client_id", "instrument_id", "count", "first_total", "latest_total",
            "previous_total", "latest_on", "latest_alerted", "outcome",
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


def counted(condition) -> set[int]:
    return set(Client.objects.filter(condition).values_list("pk", flat=True))


def test_the_conditions_for_counting_pages_agree_with_the_summaries(owner, own_client, policy):
    record(owner, own_client, "Alliance", alliance_answers(36), days_ago=14)
    record(owner, own_client, "Alliance", alliance_answers(20), days_ago=0)  # below the cutoff
    record(owner, own_client, "PHQ-9", phq9_answers(8), days_ago=60)
    record(owner, own_client, "PHQ-9", phq9_answers(20), days_ago=1)  # deteriorated
    recovered = ClientFactory(primary_counselor=owner)
    record(owner, recovered, "Alliance", alliance_answers(20), days_ago=9)  # alerted, then
    record(owner, recovered, "Alliance", alliance_answers(38), days_ago=2)  # well again
    record(owner, recovered, "PHQ-9", phq9_answers(18), days_ago=40)
    record(owner, recovered, "PHQ-9", phq9_answers(4), days_ago=2)
    ClientFactory(primary_counselor=owner)  # nothing rated
    summaries = measure_summaries([own_client.pk, recovered.pk])
    assert summaries[own_client.pk].alliance_alert and not summaries[recovered.pk].alliance_alert
    assert counted(Q(alliance_alert_condition())) == {own_client.pk}
    assert [r.outcome for r in summaries[own_client.pk].outcomes] == [Outcome.DETERIORATED]
    assert [r.outcome for r in summaries[recovered.pk].outcomes] == [Outcome.RECOVERED]
    assert counted(Q(has_outcome(Outcome.DETERIORATED))) == {own_client.pk}
    assert counted(Q(has_outcome(Outcome.RECOVERED, Outcome.IMPROVED))) == {recovered.pk}
    assert counted(Q(has_outcome(Outcome.UNCHANGED))) == set()


def test_each_series_keeps_the_outcome_its_ratings_give(owner, own_client, policy):
    """The stored class is classify_outcome's, after each rating and after a rebuild."""
    phq9 = Instrument.objects.get(short_name="PHQ-9")
    for days_ago, total, expected in (
        (60, 18, Outcome.NOT_ENOUGH_DATA),
        (30, 15, Outcome.UNCHANGED),
        (9, 25, Outcome.DETERIORATED),
        (1, 4, Outcome.RECOVERED),
    ):
        record(owner, own_client, "PHQ-9", phq9_answers(total), days_ago=days_ago)
        series = MeasureSeries.objects.get(client=own_client, instrument=phq9)
        assert series.outcome == expected.value
        assert series.outcome == classify_outcome(
            phq9, series.first_total, series.latest_total, series.count
        )
    measure_series_rebuild()
    assert MeasureSeries.objects.get(client=own_client, instrument=phq9).outcome == "recovered"


def test_the_migration_classifies_the_series_there_were(owner, own_client, policy):
    """0014 gives every existing series the outcome rating_record now stores."""
    migration = importlib.import_module("sessions_app.migrations.0014_measure_series_outcome")
    record(owner, own_client, "PHQ-9", phq9_answers(20), days_ago=30)
    record(owner, own_client, "PHQ-9", phq9_answers(5), days_ago=2)
    record(owner, own_client, "Alliance", alliance_answers(36), days_ago=2)
    kept = dict(MeasureSeries.objects.values_list("instrument__short_name", "outcome"))
    MeasureSeries.objects.update(outcome="not_enough_data")  # as the new column starts
    migration.classify_series(django_apps, None)
    assert dict(MeasureSeries.objects.values_list("instrument__short_name", "outcome")) == kept
    assert kept["PHQ-9"] == "recovered"
