"""Recording and revoking consents, the consents list and the disclosure check."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Consent, ConsentKind, InformationCategory
from practice.audit.models import AuditEvent
from tests.factories import ClientFactory, ConsentFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def days_ago(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


def consent_url(own_client, kind: str = "") -> str:
    url = reverse("consent_create", args=[own_client.pk])
    return f"{url}?kind={kind}" if kind else url


def release_data(**overrides) -> dict:
    data = {
        "recipient_name": "Dr Jane Smith",
        "recipient_organisation": "City Clinic",
        "information": [InformationCategory.ATTENDANCE, InformationCategory.REFERRAL],
        "purpose": "Referral for continued care",
        "signed_on": days_ago(1),
        "expires_on": (today() + dt.timedelta(days=180)).isoformat(),
        "expiry_event": "",
        "notes": "",
    }
    return {**data, **overrides}


def test_without_a_kind_the_page_asks_which_consent(client, owner, own_client):
    client.force_login(owner)
    response = client.get(consent_url(own_client, "nonsense"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "?kind=release" in content and "?kind=treatment" in content


def test_each_kind_asks_for_its_own_fields(client, owner, own_client):
    client.force_login(owner)
    release_form = client.get(consent_url(own_client, "release")).context["form"]
    treatment_form = client.get(consent_url(own_client, "treatment")).context["form"]
    assert {"recipient_name", "information", "purpose", "expiry_event"} <= set(release_form.fields)
    assert set(treatment_form.fields) == {"signed_on", "expires_on", "notes"}


def test_it_records_a_release_of_information(client, owner, own_client):
    client.force_login(owner)
    response = client.post(consent_url(own_client, "release"), release_data())
    assert response["Location"] == reverse("client_detail", args=[own_client.pk]) + "#consents"
    consent = Consent.objects.get(client=own_client)
    assert consent.kind == ConsentKind.RELEASE
    assert consent.information == ["attendance", "referral"]
    assert consent.recipient_label == "Dr Jane Smith, City Clinic"
    assert AuditEvent.objects.filter(
        client_id=own_client.pk, action=AuditEvent.Action.CREATE, object_type="clients.consent"
    ).exists()


def test_an_expiry_before_the_signature_shows_beside_the_expiry_with_the_typed_values(
    client, owner, own_client
):
    client.force_login(owner)
    response = client.post(
        consent_url(own_client, "release"),
        release_data(signed_on=days_ago(1), expires_on=days_ago(3), recipient_name="Dr Jäne"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["expires_on"] == ["A consent cannot expire before it was signed."]
    assert form["recipient_name"].value() == "Dr Jäne"
    assert form["information"].value() == ["attendance", "referral"]
    content = response.content.decode()
    assert 'value="Dr Jäne"' in content
    assert re.search(r'value="referral"\s+id="[^"]+" checked', content)
    assert re.search(r'id="id_expires_on_error".*?cannot expire before', content, re.S)
    assert not Consent.objects.exists()


def test_a_release_without_recipient_or_information_says_what_is_missing(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        consent_url(own_client, "release"),
        release_data(recipient_name="  ", information=[], purpose="", expires_on=""),
    )
    errors = response.context["form"].errors
    assert errors["recipient_name"] == ["Name who may receive the information."]
    assert errors["information"] == ["Choose what information may be shared."]
    assert "expires_on" in errors and "purpose" in errors


def test_it_revokes_a_consent_with_a_date(client, owner, own_client):
    consent = ConsentFactory(client=own_client)
    client.force_login(owner)
    url = reverse("consent_revoke", args=[own_client.pk, consent.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"revoked_on": today().isoformat()})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == today()
    again = client.post(url, {"revoked_on": today().isoformat()})
    assert "already revoked" in again.content.decode()


def test_a_consent_is_found_only_through_its_own_client(client, owner, own_client, colleague):
    other = ConsentFactory(client=ClientFactory(primary_counselor=colleague))
    client.force_login(owner)
    url = reverse("consent_revoke", args=[own_client.pk, other.pk])
    assert client.post(url, {"revoked_on": today().isoformat()}).status_code == 404


def test_the_client_page_lists_consents_with_their_state_today(client, owner, own_client):
    ConsentFactory(client=own_client, kind=ConsentKind.TREATMENT)
    ConsentFactory(
        client=own_client,
        kind=ConsentKind.RELEASE,
        recipient_name="Dr Old",
        information=["attendance"],
        purpose="x",
        signed_on=today() - dt.timedelta(days=400),
        expires_on=today() - dt.timedelta(days=30),
    )
    ConsentFactory(
        client=own_client, kind=ConsentKind.ELECTRONIC, revoked_on=today() - dt.timedelta(days=2)
    )
    client.force_login(owner)
    response = client.get(reverse("client_detail", args=[own_client.pk]))
    content = response.content.decode()
    for state in ("Valid", "Expired", "Revoked"):
        assert f">{state}</span>" in content
    assert "Release to Dr Old" in content
    assert "Attendance and dates of service" in content


def test_the_disclosure_check_gives_the_answer_and_the_reason(client, supervisor, own_client):
    ConsentFactory(
        client=own_client,
        kind=ConsentKind.RELEASE,
        recipient_name="Dr Jane Smith",
        information=["attendance"],
        purpose="Care",
    )
    client.force_login(supervisor)
    url = reverse("disclosure_check", args=[own_client.pk])
    yes = client.get(url, {"recipient": "dr jane  smith", "information": "attendance"})
    assert yes.context["answer"].allowed
    assert "Yes, you may disclose this." in yes.content.decode()
    no = client.get(url, {"recipient": "Dr Jane Smith", "information": "measures"})
    assert not no.context["answer"].allowed
    assert "does not cover measure scores" in no.content.decode()
    assert AuditEvent.objects.filter(
        client_id=own_client.pk, actor=supervisor, summary="Viewed a disclosure check"
    ).exists()


def test_the_disclosure_check_without_a_question_just_shows_the_form(client, owner, own_client):
    client.force_login(owner)
    response = client.get(reverse("disclosure_check", args=[own_client.pk]))
    assert response.status_code == 200 and response.context["answer"] is None
