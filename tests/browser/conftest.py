"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os

# Playwright's sync API keeps an event loop running in this thread; without this, Django
# refuses ORM calls from the test body as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from practice.management.commands.seed_demo import seed_staff
from practice.policy.models import PracticePolicy
from practice.staff.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


CSP_VIOLATION = re.compile(r"Content.Security.Policy", re.IGNORECASE)


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh page; the test fails if the browser reports any Content-Security-Policy
    violation in its console (the pages run under the production policy)."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(10_000)
    violations: list[str] = []
    context.on(
        "console",
        lambda message: (
            violations.append(f"{message.type}: {message.text} ({message.location})")
            if CSP_VIOLATION.search(message.text)
            else None
        ),
    )
    yield context.new_page()
    context.close()
    assert violations == [], "the Content-Security-Policy refused something on these pages"


@pytest.fixture
def demo_staff(transactional_db) -> dict[str, User]:
    """The demo practice's staff, with two-factor sign-in off unless a test turns it on."""
    policy = PracticePolicy.current()
    policy.mfa_required = False
    policy.save()
    return seed_staff()


def _sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.fixture
def sign_in() -> Callable[[Page, str, str], None]:
    """`sign_in(page, username, password)` submits the login form and waits for the next page."""
    return _sign_in


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[..., Path]:
    """`screenshot(name)` saves the page to test-artifacts/<name>.png (default: the test's name)."""
    folder = request.config.rootpath / "test-artifacts"

    def take(name: str | None = None) -> Path:
        folder.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "-", name or request.node.name).strip("-")
        path = folder / f"{stem}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
