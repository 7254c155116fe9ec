"""A client who corresponds in French gets their check-ins in French, whatever language their
phone or their counselor works in: the email, the page, the validated French PHQ-9 and the
practice's French crisis lines; the rating keeps the language it was given in."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from sessions_app.models import Rating
from tests.checkins.helpers import emailed_token, phq9, post_step, room_token, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def test_a_french_clients_check_in_is_in_french_whatever_the_phone_says(
    client, owner, emailable_client
):
    emailable_client.language = "fr"
    emailable_client.save(update_fields=["language"])
    checkin = send(owner, emailable_client, "PHQ-9")
    raw, _ = room_token(owner, checkin)
    page = client.get(f"/c/{raw}/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="fr"' in page
    assert "Se sentir triste, déprimé(e) ou désespéré(e)" in page  # the validated French
    assert "Plus de sept jours" in page
    assert "Little interest" not in page
    done = post_step(client, raw, phq9(item_nine=1)).content.decode()
    assert "Info-Social" in done  # the practice's French crisis lines, at once
    rating = Rating.objects.get()
    assert (rating.language, rating.total) == ("fr", 9)


def test_the_check_in_email_is_in_the_clients_language(owner, emailable_client):
    emailable_client.language = "fr"
    emailable_client.save(update_fields=["language"])
    checkin = send(owner, emailable_client, "Alliance", channel="email")
    emailed_token(checkin)
    message = mail.outbox[-1]
    assert "questionnaire" in message.subject.lower() or "questionnaire" in message.body
    assert "check-in" not in message.body.lower()
