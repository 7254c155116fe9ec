"""Every URL in the project, from the resolver, checked for every kind of visitor.

A URL must be listed in exactly one of PUBLIC, ROLE_PAGES or OBJECT_URLS, so a new page cannot
be added without saying who may open it. Records a user may not see answer 404, never 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import ObjectUrl
from tests.access_matrix import checkins as checkins_matrix
from tests.access_matrix import clients as clients_matrix
from tests.access_matrix import documents as documents_matrix
from tests.access_matrix import groups_measures as groups_measures_matrix
from tests.access_matrix import practice_admin as practice_admin_matrix
from tests.access_matrix import reminders as reminders_matrix
from tests.access_matrix import reports as reports_matrix
from tests.access_matrix import sessions as sessions_matrix
from tests.access_matrix import supervision as supervision_matrix
from tests.access_matrix import termination as termination_matrix

VISITORS = ("anonymous", "owner", "colleague", "supervisor", "practice_admin")

# Pages anyone may open (sign-in and password reset).
PUBLIC = {
    "login",
    "logout",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The language switch: a cookie before sign-in, the profile after (POST only).
    "language_switch",
    # The client's check-in pages: the link's token is the permission (sessions_app/checkins).
    "checkin_start",
    "checkin_public",
    "checkin_stop",
}

# Pages without a record in the URL: who gets 200 (everyone signed in gets a non-500 answer).
ROLE_PAGES: dict[str, set[str]] = {
    "home": {"owner", "colleague", "supervisor", "practice_admin"},
    "counselor_home": {"owner", "colleague"},
    "supervisor_home": {"supervisor"},
    "admin_home": {"practice_admin"},
    "password_change": {"owner", "colleague", "supervisor", "practice_admin"},
    "password_change_done": {"owner", "colleague", "supervisor", "practice_admin"},
    "mfa_setup": {"owner", "colleague", "supervisor", "practice_admin"},
    "profile": {"owner", "colleague", "supervisor", "practice_admin"},
    "mfa_verify": {"owner", "colleague", "supervisor", "practice_admin"},
    "mfa_disable": {"owner", "colleague", "supervisor", "practice_admin"},
}


OBJECT_URLS: list[ObjectUrl] = []
for area in (
    clients_matrix,
    sessions_matrix,
    groups_measures_matrix,
    termination_matrix,
    supervision_matrix,
    practice_admin_matrix,
    documents_matrix,
    reminders_matrix,
    checkins_matrix,
    reports_matrix,
):
    ROLE_PAGES.update(area.ROLE_PAGES)
    OBJECT_URLS.extend(area.OBJECT_URLS)


def iter_url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


SAMPLE_BY_CONVERTER = {
    "int": 987654,
    "string": "sample",
    "slug": "sample",
    "path": "sample",
    "uuid": uuid.UUID(int=1),
}


def sample_url(name: str) -> str:
    """A URL for the pattern with made-up arguments (which match no record)."""
    for *_, converters in get_resolver().reverse_dict.getlist(name.split(":")[-1]):
        kwargs = {
            key: SAMPLE_BY_CONVERTER.get(type(converter).__name__.removesuffix("Converter").lower())
            for key, converter in converters.items()
        }
        return reverse(name, kwargs=kwargs)
    return reverse(name)


ALL_NAMES = sorted(set(iter_url_names()))


def test_every_url_says_who_may_open_it():
    listed = PUBLIC | set(ROLE_PAGES) | {entry.name for entry in OBJECT_URLS}
    assert sorted(set(ALL_NAMES) - listed) == [], "add these URLs to the access matrix"
    assert sorted(listed - set(ALL_NAMES)) == [], "these listed URLs no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in ALL_NAMES if n not in PUBLIC])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(sample_url(name))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code in (404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_NAMES)
def test_no_page_fails_for_any_visitor(client, visitors, name):
    url = sample_url(name)
    for visitor in VISITORS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(visitors[visitor])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code < 500, f"{visitor} {method.__name__} {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROLE_PAGES))
def test_role_pages_open_only_for_their_roles(client, visitors, name):
    for visitor, user in visitors.items():
        client.force_login(user)
        response = client.get(reverse(name), follow=False)
        if visitor in ROLE_PAGES[name]:
            assert response.status_code in (200, 302, 405), f"{visitor} should open {name}"
        else:
            assert response.status_code == 404, f"{visitor} must get 404 on {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("entry", OBJECT_URLS, ids=lambda entry: entry.name)
def test_records_open_only_for_those_allowed(client, visitors, entry):
    kwargs = entry.build(**visitors)
    url = reverse(entry.name, kwargs=kwargs)
    anonymous = getattr(client, entry.method)(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    for visitor, user in visitors.items():
        client.force_login(user)
        status = getattr(client, entry.method)(url).status_code
        if visitor in entry.allowed:
            assert status in (200, 302), f"{visitor} should be able to use {url} ({status})"
        else:
            assert status == 404, f"{visitor} must get 404 on {url}, got {status}"
