"""Whatever is typed or uploaded into the document forms, the page answers (never a 500), and a
refused form shows back what was typed."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termination.documents import REFERRAL_SECTIONS
from termination.models import EndingKind

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
any_text = st.text(max_size=60)
date_text = st.one_of(st.dates().map(lambda day: day.isoformat()), st.text(max_size=12))


# Function-scoped fixtures are made once per test and shared by its examples.
@pytest.fixture
def planned(flow):
    """An ending with a referral but no release: a valid form is still refused by the service."""
    termination = flow.open()
    flow.referral(termination, flow.provider("Dr Rosa Rivera"))
    return termination


@pytest.fixture
def unplanned(flow):
    return flow.open(kind=EndingKind.UNPLANNED)


@FAST
@given(
    referral=st.one_of(any_text, st.integers(-(2**70), 2**70).map(str)),
    sections=st.lists(st.one_of(st.sampled_from(list(REFERRAL_SECTIONS)), any_text), max_size=5),
)
def test_the_referral_letter_form_survives_any_input(client, owner, planned, referral, sections):
    client.force_login(owner)

    response = client.post(
        reverse("document_new", args=[planned.pk, "referral-letter"]),
        {"referral": referral, "sections": sections},
    )

    assert response.status_code == 200, "without a release the form always comes back"
    form = response.context["form"]
    assert form.errors
    assert form["referral"].value() == referral
    assert form["sections"].value() == sections


@FAST
@given(
    close_on=date_text,
    providers=st.lists(st.one_of(any_text, st.integers(-(2**70), 2**70).map(str)), max_size=4),
)
def test_the_closing_letter_form_survives_any_input(client, owner, unplanned, close_on, providers):
    client.force_login(owner)

    response = client.post(
        reverse("document_new", args=[unplanned.pk, "closing-letter"]),
        {"close_on": close_on, "providers": providers},
    )

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        form = response.context["form"]
        assert form.errors
        assert form["close_on"].value() == close_on
        assert form["providers"].value() == providers


@FAST
@given(content=st.binary(max_size=2048), name=any_text, remove=st.sampled_from(["", "on", "x"]))
def test_the_letterhead_form_survives_any_upload(client, practice_admin, content, name, remove):
    client.force_login(practice_admin)
    file_name = os.path.basename(name.replace("\x00", ""))[:50]
    upload = SimpleUploadedFile(file_name if file_name not in ("", ".", "..") else "logo", content)

    response = client.post(reverse("letterhead"), {"logo": upload, "remove": remove})

    assert response.status_code in (200, 302)
