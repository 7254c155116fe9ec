"""Every token rule: random and hashed, single use, expiring at the boundary, revocable, the same
neutral page for unknown, used, expired and revoked links, the rate limit per address, and a
token that reaches nothing but its own check-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from sessions_app.checkins.models import CheckIn, CheckInState, CheckInToken
from sessions_app.checkins.public_views import FAILURE_LIMIT
from sessions_app.checkins.services import checkin_expire, checkin_revoke
from sessions_app.checkins.tokens import hash_token
from sessions_app.models import Rating
from tests.checkins.helpers import alliance, emailed_token, phq9, post_step, room_token, send
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_the_token_is_random_long_and_only_its_hash_is_stored(owner, own_client):
    checkin = send(owner, own_client)
    raw, _code = room_token(owner, checkin)
    other, _ = room_token(owner, checkin)
    assert raw != other
    assert len(raw) >= 43  # 32 bytes of secrets.token_urlsafe: 256 bits
    stored = list(CheckInToken.objects.values_list("token_hash", flat=True))
    assert hash_token(raw) in stored
    assert all(raw not in value and other not in value for value in stored)


def test_it_opens_its_own_check_in_with_the_first_name_and_practice_only(
    client, owner, own_client, policy
):
    checkin = send(owner, own_client)
    raw, _ = room_token(owner, checkin)
    page = client.get(f"/c/{raw}/").content.decode()
    assert "Hello Ada," in page
    assert policy.practice_name in page
    assert "Lovelace" not in page
    assert str(own_client.date_of_birth.year) not in page
    assert "1 of 2" in page


def test_a_used_token_gets_the_neutral_page(client, owner, own_client):
    checkin = send(owner, own_client)
    raw, _ = room_token(owner, checkin)
    post_step(client, raw, alliance())
    done = post_step(client, raw, phq9())
    assert "Thank you, Ada" in done.content.decode()
    again = client.get(f"/c/{raw}/")
    assert again.status_code == 404
    assert "This link cannot be used" in again.content.decode()
    assert Rating.objects.filter(client=own_client).count() == 2


def test_a_token_stops_working_exactly_at_its_expiry(client, owner, own_client, policy):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        checkin = send(owner, own_client)
        raw, _ = room_token(owner, checkin)
        assert checkin.expires_at == start + dt.timedelta(hours=policy.checkin_expiry_hours)
        traveller.move_to(checkin.expires_at - dt.timedelta(seconds=1))
        assert client.get(f"/c/{raw}/").status_code == 200
        traveller.move_to(checkin.expires_at)
        assert client.get(f"/c/{raw}/").status_code == 404
        assert checkin_expire(checkin_id=checkin.pk)
    assert CheckIn.objects.get(pk=checkin.pk).state == CheckInState.EXPIRED


def test_a_revoked_token_gets_the_neutral_page(client, owner, own_client):
    checkin = send(owner, own_client)
    raw, _ = room_token(owner, checkin)
    checkin_revoke(actor=owner, checkin=checkin)
    assert client.get(f"/c/{raw}/").status_code == 404
    assert client.post(f"/c/{raw}/", {"item": "1", **alliance()}).status_code == 404


def neutral(client, url: str) -> tuple[int, bytes, tuple]:
    response = client.get(url)
    headers = tuple(response.get(key) for key in ("Cache-Control", "Content-Type"))
    return response.status_code, response.content, headers


def test_unknown_used_expired_and_revoked_links_get_the_very_same_page(client, owner, own_client):
    used = send(owner, own_client, "Alliance")
    used_raw, _ = room_token(owner, used)
    post_step(client, used_raw, alliance())
    revoked = send(owner, own_client, "Alliance")
    revoked_raw, _ = room_token(owner, revoked)
    checkin_revoke(actor=owner, checkin=revoked)
    with time_machine.travel(timezone.now() - dt.timedelta(days=30), tick=False):
        expired = send(owner, own_client, "Alliance")
        expired_raw, _ = room_token(owner, expired)
    unknown_raw = "A" * 43
    answers = {
        neutral(client, f"/c/{raw}/") for raw in (unknown_raw, used_raw, revoked_raw, expired_raw)
    }
    assert len(answers) == 1
    status, body, _ = answers.pop()
    assert status == 404
    assert b"csrfmiddlewaretoken" not in body


def test_wrong_links_are_limited_per_address(client, owner, own_client):
    checkin = send(owner, own_client)
    raw, _ = room_token(owner, checkin)
    for attempt in range(FAILURE_LIMIT):
        assert client.get(f"/c/guess{attempt:040d}/").status_code == 404
    # Past the limit even a good link waits, from that address...
    assert client.get(f"/c/{raw}/").status_code == 429
    assert client.post("/c/", {"code": "ABCDEF"}).status_code == 429
    # ...but not from another one.
    assert client.get(f"/c/{raw}/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_wrong_short_codes_count_towards_the_limit(client):
    for _ in range(FAILURE_LIMIT):
        response = client.post("/c/", {"code": "ZZZZZZ"})
        assert "That code does not work" in response.content.decode()
    assert client.post("/c/", {"code": "ZZZZZZ"}).status_code == 429


def test_a_short_code_works_once_and_only_for_minutes(client, owner, own_client):
    checkin = send(owner, own_client)
    _raw, code = room_token(owner, checkin)
    response = client.post("/c/", {"code": code.lower()})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    again = client.post("/c/", {"code": code})
    assert "That code does not work" in again.content.decode()
    _raw, late_code = room_token(owner, checkin)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=1)):
        assert client.post("/c/", {"code": late_code}).status_code == 200  # the form again


def test_a_token_reaches_nothing_of_another_client(client, owner, own_client):
    other = ClientFactory(primary_counselor=owner, legal_first_name="Grace")
    mine = send(owner, own_client, "Alliance")
    theirs = send(owner, other, "Alliance")
    raw, _ = room_token(owner, mine)
    other_item = theirs.items.get().pk
    # Posting the other check-in's item with my token answers nothing of theirs.
    response = client.post(f"/c/{raw}/", {"item": str(other_item), **alliance()})
    assert response.status_code == 302
    assert not Rating.objects.filter(client=other).exists()
    page = client.get(f"/c/{raw}/").content.decode()
    assert "Grace" not in page
    # The token opens no staff page either.
    assert client.get(f"/checkins/{mine.pk}/").status_code == 302
    assert client.get(f"/clients/{own_client.pk}/").status_code == 302


def test_an_emailed_link_works_like_the_room_one(client, owner, emailable_client):
    checkin = send(owner, emailable_client, "Alliance", channel="email")
    raw = emailed_token(checkin)
    assert client.get(f"/c/{raw}/").status_code == 200
    post_step(client, raw, alliance())
    assert CheckIn.objects.get(pk=checkin.pk).state == CheckInState.COMPLETED
