"""The client's address behind the practice's own proxies: what the check-in limit, sign-in
lockouts and the audit log count by."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from practice.audit.models import AuditEvent
from practice.client_address import client_address
from sessions_app.checkins.public_views import FAILURE_LIMIT

PROXY = "10.0.0.2"


def address(rf, forwarded: str | None = None, remote: str = PROXY) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(rf.get("/", **extra))


def test_with_no_proxy_trusted_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address(rf, "198.51.100.7") == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # What the client wrote at the left is ignored: our proxy appends what it saw.
        ("1.2.3.4, 198.51.100.7", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        # Not what our proxy writes: the proxy's own address is the safe answer.
        ("", PROXY),
        ("not-an-address", PROXY),
        ("198.51.100.7, ", "198.51.100.7"),
    ],
)
def test_behind_one_proxy_the_last_entry_is_the_client(rf, settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address(rf, forwarded) == expected


def test_behind_two_proxies_the_second_entry_from_the_right(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert address(rf, "1.2.3.4, 198.51.100.7, 10.0.0.1") == "198.51.100.7"
    assert address(rf, "198.51.100.7") == PROXY  # fewer entries than proxies


@pytest.mark.django_db
def test_one_clients_wrong_links_do_not_make_the_others_wait(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    guesser = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for attempt in range(FAILURE_LIMIT):
        assert client.get(f"/c/guess{attempt:040d}/", **guesser).status_code == 404
    assert client.post("/c/", {"code": "ABCDEF"}, **guesser).status_code == 429
    # Another phone behind the same proxy is not held back.
    neighbour = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.post("/c/", {"code": "ABCDEF"}, **neighbour).status_code == 200
    cache.clear()


@pytest.mark.django_db
def test_the_audit_log_and_sign_in_lockouts_record_the_client(client, settings, owner):
    settings.TRUSTED_PROXY_COUNT = 1
    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    owner.set_password("a-long-enough-password")
    owner.save()
    client.post(reverse("login"), {"username": owner.username, "password": "wrong"}, **behind)
    assert AccessAttempt.objects.get(username=owner.username).ip_address == "198.51.100.7"
    client.post(
        reverse("login"),
        {"username": owner.username, "password": "a-long-enough-password"},
        **behind,
    )
    assert AuditEvent.objects.filter(ip_address="198.51.100.7").exists()
