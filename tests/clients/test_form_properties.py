"""Whatever is typed into the client and consent forms, the page answers (never a 500), and a
refused form shows back exactly what was typed."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.models import InformationCategory

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

any_text = st.text(max_size=120)
date_text = st.one_of(st.dates().map(lambda day: day.isoformat()), st.text(max_size=12))

CLIENT_TEXT_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "address",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "presenting_concerns",
)

client_data = st.fixed_dictionaries(
    {
        **dict.fromkeys(CLIENT_TEXT_FIELDS, any_text),
        "date_of_birth": date_text,
        "intake_date": date_text,
        "may_write": st.sampled_from(["", "on", "nonsense"]),
        "may_email": st.sampled_from(["", "on"]),
        "language": st.sampled_from(["en", "fr"]),
    }
)

consent_data = st.fixed_dictionaries(
    {
        "recipient_name": any_text,
        "recipient_organisation": any_text,
        "purpose": any_text,
        "expiry_event": any_text,
        "notes": any_text,
        "signed_on": date_text,
        "expires_on": date_text,
        "information": st.lists(
            st.one_of(st.sampled_from(InformationCategory.values), st.text(max_size=10)),
            max_size=4,
        ),
    }
)


def assert_typed_values_kept(response, data: dict, fields) -> None:
    form = response.context["form"]
    assert form.errors, "a refused form says why"
    for name in fields:
        assert form[name].value() == data[name], name


@FAST
@given(data=client_data)
def test_the_client_form_survives_any_input(client, owner, data):
    client.force_login(owner)
    response = client.post(reverse("client_create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_typed_values_kept(
            response, data, (*CLIENT_TEXT_FIELDS, "date_of_birth", "intake_date")
        )


@FAST
@given(data=consent_data)
def test_the_release_form_survives_any_input(client, owner, own_client, data):
    client.force_login(owner)
    url = reverse("consent_create", args=[own_client.pk]) + "?kind=release"
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_typed_values_kept(
            response,
            data,
            ("recipient_name", "recipient_organisation", "purpose", "signed_on", "expires_on"),
        )
        assert response.context["form"]["information"].value() == data["information"]
