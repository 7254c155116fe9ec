"""Every page of the access test (tests/test_access.py), opened with GET by each visitor allowed
to open it. Shared by the header test and the reads-never-write test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.test import Client as TestClient
from django.urls import reverse

from tests.test_access import OBJECT_URLS, PUBLIC, ROLE_PAGES, sample_url

# Public pages anonymous visitors open (logout is a POST; the reset-confirm link is made up).
PUBLIC_PAGES = sorted(PUBLIC - {"logout"})


@dataclass(frozen=True)
class Visit:
    name: str
    visitor: str
    url: str


def visits(visitors: dict) -> Iterator[tuple[Visit, TestClient]]:
    """Yields each visit before it is made, with a client signed in as its visitor (the caller
    GETs `visit.url`, so it may look at the database around it)."""
    browser = TestClient()
    for name in PUBLIC_PAGES:
        browser.logout()
        yield Visit(name, "anonymous", sample_url(name)), browser
    for name, allowed in sorted(ROLE_PAGES.items()):
        for visitor in sorted(allowed):
            browser.force_login(visitors[visitor])
            yield Visit(name, visitor, reverse(name)), browser
    for entry in OBJECT_URLS:
        if entry.method != "get":
            continue
        url = reverse(entry.name, kwargs=entry.build(**visitors))
        for visitor in sorted(entry.allowed):
            browser.force_login(visitors[visitor])
            yield Visit(entry.name, visitor, url), browser
