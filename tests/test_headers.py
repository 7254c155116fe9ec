"""Every page in the access test, opened by everyone allowed to: nothing a signed-in person sees
may be cached, and every HTML page carries the Content-Security-Policy."""

import pytest

from practice.headers import PERMISSIONS_POLICY
from tests.access_walk import visits

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "object-src 'none'",
)


def test_every_page_is_private_and_under_the_strict_policy(visitors):
    html_pages = 0
    for visit, browser in visits(visitors):
        response = browser.get(visit.url)
        where = f"{visit.visitor} GET {visit.url} ({response.status_code})"
        assert response.status_code < 500, where
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, where
        assert response.get("Permissions-Policy") == PERMISSIONS_POLICY, where
        if response.get("Content-Type", "").startswith("text/html"):
            html_pages += 1
            policy = response.get("Content-Security-Policy", "")
            assert all(directive in policy for directive in STRICT), where
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
            assert b"<script>" not in response.content, where
            assert b" style=" not in response.content, where
    assert html_pages > 100
