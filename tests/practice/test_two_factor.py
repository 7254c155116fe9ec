import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice.audit.models import AuditEvent
from practice.policy.models import PracticePolicy
from practice.signin.mfa import mfa_offer

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def require_mfa(required: bool = True) -> None:
    PracticePolicy.objects.filter(pk=1).update(mfa_required=required)


def test_when_the_policy_requires_it_staff_are_sent_to_enrol_first(client, owner):
    require_mfa()
    client.force_login(owner)
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_setup"))


def test_enrolling_with_a_valid_code_turns_it_on_and_returns_to_the_page(client, owner):
    require_mfa()
    client.force_login(owner)
    page = client.get(reverse("mfa_setup") + "?next=/caseload/")
    assert "<svg" in page.content.decode()
    assert not TOTPDevice.objects.exists()  # a GET writes nothing
    offered = page.context["enrolment"]
    device = mfa_offer(user=owner, signed_key=offered)
    response = client.post(
        reverse("mfa_setup"),
        {"token": code_for(device), "next": "/caseload/", "enrolment": offered},
    )
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200
    assert TOTPDevice.objects.get(user=owner).confirmed
    assert AuditEvent.objects.filter(actor=owner, action="mfa").exists()


def test_a_wrong_code_is_explained_beside_the_field(client, owner):
    client.force_login(owner)
    client.get(reverse("mfa_setup"))
    response = client.post(reverse("mfa_setup"), {"token": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    response = client.post(reverse("mfa_setup"), {"token": "12ab56"})
    assert "Enter the six digits only" in response.content.decode()


def test_an_enrolled_user_must_give_a_code_after_signing_in(client, owner):
    device = TOTPDevice.objects.create(user=owner, confirmed=True, name="app")
    client.post(reverse("login"), {"username": "owner", "password": "password"})
    response = client.get("/caseload/")
    assert response["Location"].startswith(reverse("mfa_verify"))
    response = client.post(
        reverse("mfa_verify") + "?next=/caseload/",
        {"token": code_for(device), "next": "/caseload/"},
    )
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200


def test_it_does_not_follow_a_next_link_to_another_site(client, owner):
    device = TOTPDevice.objects.create(user=owner, confirmed=True, name="app")
    client.post(reverse("login"), {"username": "owner", "password": "password"})
    response = client.post(
        reverse("mfa_verify"), {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_it_can_be_turned_off_only_when_the_policy_allows(client, owner):
    TOTPDevice.objects.create(user=owner, confirmed=True, name="app")
    client.force_login(owner)
    require_mfa()
    session = client.session
    # Simulate a verified session.
    from django_otp import DEVICE_ID_SESSION_KEY

    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=owner).persistent_id
    session.save()
    assert client.post(reverse("mfa_disable")).status_code == 404
    require_mfa(False)
    client.post(reverse("mfa_disable"))
    assert not TOTPDevice.objects.filter(user=owner).exists()


def test_the_key_is_shown_as_base32_for_manual_entry(client, owner):
    client.force_login(owner)
    response = client.get(reverse("mfa_setup"))
    device = mfa_offer(user=owner, signed_key=response.context["enrolment"])
    assert base64.b32encode(device.bin_key).decode() in response.content.decode()


def test_a_key_signed_for_someone_else_is_not_taken(client, owner, colleague):
    client.force_login(colleague)
    theirs = client.get(reverse("mfa_setup")).context["enrolment"]
    assert (
        mfa_offer(user=owner, signed_key=theirs).key
        != mfa_offer(user=colleague, signed_key=theirs).key
    )
    assert (
        mfa_offer(user=colleague, signed_key=theirs).key
        == mfa_offer(user=colleague, signed_key=theirs).key
    )
