"""Every GET filter goes through a form (issue 12): a value a page cannot use falls back to the
page's default and the page says so, naming what it did not use."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import timezone

from practice.forms import PageForm, QueryForm
from tests.test_hostile_input import PAGES

pytestmark = pytest.mark.django_db


class ColourForm(QueryForm):
    colour = forms.ChoiceField(choices=[("red", "red"), ("blue", "blue")], initial="red")
    size = forms.IntegerField(min_value=1, max_value=10, initial=5, label="Size")


def test_a_refused_value_falls_back_to_its_default_and_is_named():
    form = ColourForm({"colour": "x" * 5000 + "\x00", "size": "11"})
    assert form.values == {"colour": "red", "size": 5}
    assert form.refusals == [
        "Colour in the address was not used (Choose one of the values offered); the page shows "
        "its default.",
        "Size in the address was not used (Ensure this value is less than or equal to 10); the "
        "page shows its default.",
    ]


def test_missing_and_empty_values_are_the_defaults_without_a_word():
    assert ColourForm({}).values == {"colour": "red", "size": 5}
    assert ColourForm({"colour": "", "size": ""}).refusals == []
    assert ColourForm({"colour": "blue", "size": "7", "other": "x"}).values == {
        "colour": "blue",
        "size": 7,
    }


@pytest.mark.parametrize("number", ["0", "-1", "1e308", "99999999999999999999", "a\x00b"])
def test_a_page_number_is_a_whole_number_within_reason(number):
    form = PageForm({"page": number})
    assert form.values["page"] == 1
    assert form.refusals[0].startswith("Page number in the address was not used")


# One bad value per form, on the page that reads it.
CASES = [
    ("counselor_home", {"sort": "nope"}, "Sort"),
    ("counselor_home", {"status": "nope"}, "Status"),
    ("supervision_caseload", {"flag": "nope"}, "Flag"),
    ("supervision_counselor", {"flag": "nope"}, "List"),
    ("supervision_cosign_queue", {"page": "0"}, "Page number"),
    ("notification_list", {"show": "nope"}, "Show"),
    ("notification_list", {"page": "99999999999999999999"}, "Page number"),
    ("admin_policy", {"page": "x"}, "Page number"),
    ("admin_clients", {"page": "-1"}, "Page number"),
    ("admin_audit", {"older": "not-a-cursor"}, "Older page"),
    ("admin_audit", {"newer": "2026-01-01T00:00:00+00:00_x"}, "Newer page"),
    ("agenda", {"week": "9999-12-31"}, "Week"),
    ("agenda", {"week": "1950-01-02"}, "Week"),
    ("provider_list", {"q": "a\x00b"}, "Search"),
    ("consent_create", {"kind": "nope"}, "Kind of consent"),
    ("termination_open", {"kind": "nope"}, "Kind of ending"),
    ("rating_create", {"mode": "nope"}, "Who fills it in"),
    ("rating_create", {"instrument": "99999999999999999999"}, "Instrument"),
    ("session_new", {"client": "-1"}, "Client"),
    ("checkin_create", {"session": "a\x00b"}, "Session"),
]
PAGE_OF = {page.name: page for page in PAGES if page.visitor != "anonymous"}


@pytest.mark.parametrize(
    "name, params, label", CASES, ids=[f"{name}-{next(iter(p))}" for name, p, _l in CASES]
)
def test_the_page_names_the_value_it_did_not_use(client, visitors, name, params, label):
    page = PAGE_OF[name]
    client.force_login(visitors[page.visitor])
    response = client.get(page.url(visitors), params)
    assert response.status_code == 200
    assert f"{label} in the address was not used" in response.content.decode()


def test_the_agenda_shows_this_week_for_a_week_it_cannot_show(client, owner):
    client.force_login(owner)
    today = timezone.localdate()
    for week, why in (
        ("9999-12-31", "Enter a date between 1900 and 2200"),
        ("1950-01-02", "Choose a week between 1970 and 2199"),
    ):
        response = client.get("/agenda/", {"week": week})
        assert response.context["monday"] == today - dt.timedelta(days=today.weekday())
        assert why in response.content.decode()


def test_an_ending_kind_not_offered_presets_a_planned_ending(client, visitors):
    page = PAGE_OF["termination_open"]
    client.force_login(visitors[page.visitor])
    response = client.get(page.url(visitors), {"kind": "nope"})
    assert response.context["form"].initial["kind"] == "planned"
