"""Severity bands as data on each instrument: the shipped PHQ-9 and GAD-7 at their boundaries,
bands typed by the admin, and bands beside every score, in the charts' key and the summary."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Instrument
from sessions_app.selectors import client_charts, measure_summaries
from tests.factories import SessionFactory, instrument
from tests.sessions_app.test_measures import made_up_instrument
from tests.sessions_app.test_ratings import phq9_answers, record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_follow_kroenke_2001(total, band):
    assert instrument("PHQ-9").band_of(total) == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands_follow_spitzer_2006(total, band):
    assert instrument("GAD-7").band_of(total) == band


def test_the_shipped_cutoffs_and_reliable_change():
    phq9, gad7 = instrument("PHQ-9"), instrument("GAD-7")
    assert (phq9.clinical_cutoff, phq9.reliable_change) == (10, 6)
    assert (gad7.clinical_cutoff, gad7.reliable_change) == (8, 4)
    assert instrument("Alliance").band_of(30) == ""


def test_the_admin_types_bands_for_an_instrument(client, practice_admin):
    client.force_login(practice_admin)
    response = client.post(
        reverse("instrument_create"),
        made_up_instrument(severity_bands="0–5: low\n6 - 14: middle\n15 to 20: high"),
    )
    assert response.status_code == 302
    added = Instrument.objects.get(short_name="MSC")
    assert added.severity_bands == [
        {"from": 0, "to": 5, "label": "low"},
        {"from": 6, "to": 14, "label": "middle"},
        {"from": 15, "to": 20, "label": "high"},
    ]
    assert added.band_of(6) == "middle"
    page = client.get(reverse("instrument_list")).content.decode()
    assert "Bands: 0–5 low · 6–14 middle · 15–20 high" in page


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("low", "write each band as"),
        ("0–5: low\n7–20: high", "each starting just after the last"),
        ("0–5: low\n6–25: high", "within the totals the measure can give (0–20)"),
        ("5–2: odd", "ends before it starts"),
    ],
)
def test_it_refuses_bands_that_do_not_add_up(client, practice_admin, bands, message):
    client.force_login(practice_admin)
    response = client.post(reverse("instrument_create"), made_up_instrument(severity_bands=bands))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["severity_bands"])


def test_bands_show_beside_scores_and_in_the_charts_key(client, owner, own_client, policy):
    for days_ago, total in ((30, 21), (16, 12), (2, 6)):
        session = SessionFactory(
            client=own_client, starts_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        record(owner, own_client, "PHQ-9", phq9_answers(total), days_ago, session=session)
    (reading,) = measure_summaries([own_client.pk])[own_client.pk].outcomes
    assert (reading.first_band, reading.latest_band) == ("severe", "mild")
    assert reading.in_words().startswith("PHQ-9: 21 (severe) at first, 6 (mild) latest")
    (chart,) = client_charts(own_client, policy)
    assert (chart.first_band, chart.last_band) == ("severe", "mild")

    client.force_login(owner)
    page = client.get(reverse("client_detail", kwargs={"pk": own_client.pk})).content.decode()
    assert "bands: 0–4 minimal · 5–9 mild · 10–14 moderate" in page
    assert "first 21 severe" in page and "latest 6 mild" in page
    session_page = client.get(reverse("session_detail", kwargs={"pk": session.pk}))
    assert '6 <span class="text-body-secondary">mild</span>' in session_page.content.decode()
