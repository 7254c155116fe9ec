"""The instrument library: the list for all staff, adding and switching for the practice admin."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app.models import Instrument
from tests.factories import instrument

pytestmark = pytest.mark.django_db


def made_up_instrument(**overrides) -> dict:
    """Form data for an invented instrument (no licensed wording is ever typed here)."""
    data = {
        "name": "Made-up session check",
        "short_name": "MSC",
        "kind": "alliance",
        "description": "",
        "items": "fit | The made-up first question\nThe made-up second question\n",
        "scale_min": "0",
        "scale_max": "10",
        "scale_labels": "0: Low\n10: High",
        "scoring": "sum",
        "subscales": "Fit: fit\nRest: item2",
        "clinical_cutoff": "15",
        "reliable_change": "4",
        "higher_is_better": "true",
        "licence_reference": "Licence 2026-001 held by the practice",
    }
    data.update(overrides)
    return data


def test_every_member_of_staff_sees_the_library(client, owner, supervisor, practice_admin, policy):
    for visitor in (owner, supervisor, practice_admin):
        client.force_login(visitor)
        page = client.get(reverse("instrument_list")).content.decode()
        for name in ("Alliance check-in", "PHQ-9", "GAD-7"):
            assert name in page
        assert page.count(">shipped</span>") == 3
        assert "Pfizer" in page
        assert ("Add a licensed instrument" in page) == (visitor == practice_admin)
        assert ("Switch off" in page) == (visitor == practice_admin)


def test_the_library_shows_items_scale_cutoff_and_direction(client, owner):
    client.force_login(owner)
    response = client.get(reverse("instrument_list"))
    phq9 = next(i for i in response.context["instruments"] if i.short_name == "PHQ-9")
    assert len(phq9.items) == 9
    page = response.content.decode()
    assert "0–3" in page and "Higher is worse" in page and "Higher is better" in page


def test_the_admin_adds_an_instrument_with_typed_items_and_subscales(client, practice_admin):
    client.force_login(practice_admin)
    response = client.post(reverse("instrument_create"), made_up_instrument())
    assert response.status_code == 302
    added = Instrument.objects.get(short_name="MSC")
    assert added.items == [
        {"key": "fit", "text": "The made-up first question"},
        {"key": "item2", "text": "The made-up second question"},
    ]
    assert added.subscales == {"Fit": ["fit"], "Rest": ["item2"]}
    assert added.scale_labels == {"0": "Low", "10": "High"}
    assert (added.clinical_cutoff, added.reliable_change) == (Decimal(15), Decimal(4))
    assert added.higher_is_better is True
    assert added.is_shipped is False and added.created_by == practice_admin


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"items": "  \n "}, "items", "Type at least one item"),
        ({"items": "a | one\na | two"}, "items", "Each item needs its own key."),
        ({"items": "1bad | text"}, "items", "Line 1: a key starts with a letter"),
        ({"items": "key |"}, "items", "Line 1: type the item's text"),
        (
            {"scale_max": "0", "scale_labels": ""},
            "scale_max",
            "The top of the scale must be above the bottom.",
        ),
        ({"scale_max": "500"}, "scale_max", "at most 101 points"),
        ({"subscales": "Fit: fit, nowhere"}, "subscales", "unknown items: nowhere"),
        ({"subscales": "no colon here"}, "subscales", "Line 1: write each subscale"),
        ({"scale_labels": "11: Too high"}, "scale_labels", "outside the scale"),
        ({"reliable_change": "0"}, "reliable_change", "must be above zero"),
        ({"licence_reference": "  "}, "licence_reference", "Record the licence"),
        ({"higher_is_better": ""}, "higher_is_better", "This field is required."),
    ],
)
def test_it_shows_each_problem_beside_its_field(client, practice_admin, overrides, field, message):
    client.force_login(practice_admin)
    data = made_up_instrument(**overrides)
    response = client.post(reverse("instrument_create"), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert f'id="id_{field}' in response.content.decode()
    assert data["name"] in response.content.decode()
    assert not Instrument.objects.filter(short_name="MSC").exists()


def test_only_the_practice_admin_adds_or_switches(client, owner, supervisor):
    gad7 = instrument("GAD-7")
    for visitor in (owner, supervisor):
        client.force_login(visitor)
        assert client.get(reverse("instrument_create")).status_code == 404
        assert client.post(reverse("instrument_create"), made_up_instrument()).status_code == 404
        toggle = reverse("instrument_toggle", kwargs={"pk": gad7.pk})
        assert client.post(toggle, {"enabled": "false"}).status_code == 404
    gad7.refresh_from_db()
    assert gad7.is_enabled and not Instrument.objects.filter(short_name="MSC").exists()


def test_the_admin_switches_an_instrument_off_and_on(client, practice_admin):
    gad7 = instrument("GAD-7")
    toggle = reverse("instrument_toggle", kwargs={"pk": gad7.pk})
    client.force_login(practice_admin)
    assert client.post(toggle, {"enabled": "false"}).status_code == 302
    # A repeated click keeps it off instead of flipping it back.
    client.post(toggle, {"enabled": "false"})
    gad7.refresh_from_db()
    assert gad7.is_enabled is False
    assert client.get(toggle).status_code == 405
    client.post(toggle, {"enabled": "true"})
    gad7.refresh_from_db()
    assert gad7.is_enabled is True


def test_there_is_no_page_to_edit_an_instrument():
    for name in ("instrument_edit", "instrument_update", "instrument_detail"):
        with pytest.raises(NoReverseMatch):
            reverse(name, kwargs={"pk": 1})


def test_the_library_takes_the_same_queries_for_3_or_25_instruments(client, practice_admin):
    client.force_login(practice_admin)
    client.get(reverse("instrument_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("instrument_list"))
    for number in range(22):
        Instrument.objects.create(
            name=f"Made-up {number}",
            short_name=f"M{number}",
            kind="outcome",
            items=[{"key": "a", "text": "Made-up"}],
            scale_max=4,
            higher_is_better=False,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("instrument_list"))
    assert len(response.context["instruments"]) == 25
    assert len(many) == len(few)


FIELDS = list(made_up_instrument())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(field=st.sampled_from(FIELDS), text=st.text(max_size=60))
def test_any_text_in_any_field_never_fails(client, practice_admin, field, text):
    client.force_login(practice_admin)
    data = made_up_instrument(short_name="HYP")
    data[field] = text
    response = client.post(reverse("instrument_create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].data[field] == text
        if field == "name" and text and text.isprintable() and text.strip() == text:
            assert f'value="{escape(text)}"' in response.content.decode()
    Instrument.objects.filter(is_shipped=False).delete()
