"""The check-in email: only with consent and an address; names the practice, never the client,
no clinical word, no score; and a new link per message (the raw token is in nothing stored)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import Consent, ConsentKind
from practice.reminders.models import Notification
from sessions_app.checkins.models import CheckIn, CheckInToken
from sessions_app.checkins.services import checkin_deliver_email
from sessions_app.checkins.tokens import hash_token
from tests.checkins.helpers import emailed_token, send

pytestmark = pytest.mark.django_db

CLINICAL_WORDS = re.compile(
    r"depress|anxi|phq|gad|alliance|score|symptom|suicid|self-harm|harm|mental|therap|"
    r"diagnos|relapse|risk|mood|counsel(?:l)?ing|psych|treatment|session",
    re.IGNORECASE,
)


def message_text(message) -> list[str]:
    return [message.subject, message.body, message.alternatives[0][0]]


@pytest.mark.parametrize("reminder", [False, True])
def test_the_email_names_the_practice_and_nothing_of_the_client(
    owner, emailable_client, policy, reminder
):
    policy.practice_name = "Riverside Practice"
    policy.save()
    checkin = send(owner, emailable_client, "PHQ-9", "GAD-7", channel="email")
    emailed_token(checkin)
    if reminder:
        emailed_token(checkin, reminder=True)
    message = mail.outbox[-1]
    assert message.to == ["ada@example.org"]
    assert "Riverside Practice" in message.subject
    for part in message_text(message):
        assert "Ada" not in part and "Lovelace" not in part
        assert not CLINICAL_WORDS.search(part.replace("Riverside Practice", "")), part
        assert not re.search(r"\b(?:1[0-9]|2[0-7])\b\s*(?:points|/)", part)
    assert "asked you for a short check-in" in message.body


def test_no_email_without_a_valid_electronic_consent(owner, emailable_client):
    Consent.objects.filter(client=emailable_client, kind=ConsentKind.ELECTRONIC).update(
        revoked_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="electronic communication"):
        send(owner, emailable_client, "Alliance", channel="email")


def test_no_email_without_an_address(owner, emailable_client):
    emailable_client.email = ""
    emailable_client.save()
    with pytest.raises(ValidationError, match="no email address"):
        send(owner, emailable_client, "Alliance", channel="email")


def test_consent_revoked_after_sending_stops_the_message(owner, emailable_client):
    checkin = send(owner, emailable_client, "Alliance", channel="email")
    Consent.objects.filter(client=emailable_client).update(
        revoked_on=timezone.localdate() - dt.timedelta(days=0)
    )
    assert checkin_deliver_email(checkin_id=checkin.pk) is False
    assert mail.outbox == []


def test_each_message_carries_its_own_link_and_none_is_stored(owner, emailable_client):
    checkin = send(owner, emailable_client, "Alliance", channel="email")
    first = emailed_token(checkin)
    second = emailed_token(checkin, reminder=True)
    assert first != second
    assert set(CheckInToken.objects.values_list("token_hash", flat=True)) == {
        hash_token(first),
        hash_token(second),
    }
    assert not Notification.objects.filter(context__icontains=first).exists()
    # Nobody is chased twice: a second first-send and a second reminder do nothing.
    assert checkin_deliver_email(checkin_id=checkin.pk) is False
    assert checkin_deliver_email(checkin_id=checkin.pk, reminder=True) is False
    assert CheckIn.objects.get(pk=checkin.pk).reminded_at is not None
