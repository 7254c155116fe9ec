"""practice/input.py: the limits every form gets, the GET search through a form, and `next`."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from clients.forms import ClientForm, ConsentForm
from clients.models import ConsentKind
from practice.administration.forms import PolicyForm
from practice.forms import SearchQueryForm
from practice.input import safe_next
from termination.forms import TaperingForm

pytestmark = pytest.mark.django_db


def consent(**values) -> ConsentForm:
    data = {"signed_on": "2026-01-05", "recipient_name": "Dr Rivera", **values}
    return ConsentForm(data, kind=ConsentKind.RELEASE)


@pytest.mark.parametrize(
    ("field", "value"), [("signed_on", "0001-01-01"), ("expires_on", "9999-12-31")]
)
def test_a_date_far_outside_a_life_is_refused_beside_its_field(field, value):
    form = consent(**{field: value})
    assert not form.is_valid()
    assert form.errors[field] == ["Enter a date between 1900 and 2200."]


def test_a_year_9999_date_time_is_refused_not_overflowed():
    form = TaperingForm(
        {
            "first_starts_at": "9999-12-31T23:59",
            "spacing": "2-4",
            "duration_minutes": "50",
            "modality": "video",
        }
    )
    assert not form.is_valid() and "first_starts_at" in form.errors


def test_free_text_has_a_maximum_that_fits_its_use():
    assert ClientForm().fields["address"].max_length == 500
    assert PolicyForm().fields["address"].max_length == 500
    assert PolicyForm().fields["crisis_resources"].max_length == 5_000
    form = ClientForm({"address": "x" * 100_000})
    assert not form.is_valid() and "address" in form.errors
    assert 'maxlength="500"' in str(ClientForm()["address"])


def test_a_search_goes_through_a_form():
    assert SearchQueryForm({"q": " Ada "}).values["q"] == "Ada"
    assert SearchQueryForm({}).values["q"] == ""
    for refused in ("Ada\x00", "a" * 500):
        form = SearchQueryForm({"q": refused})
        assert form.values["q"] == ""
        assert form.refusals[0].startswith("Search in the address was not used")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/caseload/", "/caseload/"),
        ("caseload", "/home/"),  # redirect() would take a bare word for a URL name
        ("//evil.example/", "/home/"),
        ("https://evil.example/", "/home/"),
        ("/a\x00b", "/home/"),
        ("", "/home/"),
    ],
)
def test_next_is_a_path_on_this_site_or_the_default(target, expected):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/home/") == expected


def test_the_audit_search_refuses_year_9999_kindly(client, practice_admin):
    client.force_login(practice_admin)
    response = client.get(reverse("admin_audit"), {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2200." in response.content.decode()
