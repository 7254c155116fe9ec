"""The pages of an ending as a counselor sees them on a 1366 px laptop, from the demo practice:
the caseload fits without scrolling sideways, the workspace shows the dates of the ending, and
the closed client page its no-relationship and retention dates. With SHOTS_DIR set, the pages
are saved there as PNGs to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from practice.management.commands.seed_demo import DEMO_PASSWORD
from termination.models import Termination, TerminationState
from tests.browser.test_accessibility import axe_violations, describe

pytestmark = pytest.mark.django_db(transaction=True)
LAPTOP = {"width": 1366, "height": 768}


def shot(page: Page, name: str) -> None:
    """Save the page (with SHOTS_DIR set) and check it with axe-core, on the demo's own data."""
    violations = axe_violations(page)
    assert not violations, describe([item | {"page": name} for item in violations])
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_ending_pages_on_a_laptop(page: Page, sign_in, transactional_db):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size(LAPTOP)
    sign_in(page, "counselor", DEMO_PASSWORD)

    page.goto("/caseload/")
    overflow = page.evaluate(
        """() => { const box = document.querySelector('.table-responsive');
                   return box.scrollWidth - box.clientWidth; }"""
    )
    shot(page, "caseload-1366")
    assert overflow <= 0, f"the caseload is {overflow} px wider than the screen"

    closed = Termination.objects.filter(
        state=TerminationState.CLOSED, client__primary_counselor__username="counselor"
    ).first()
    assert closed is not None
    page.goto(f"/endings/{closed.pk}/")
    expect(page.get_by_test_id("ending-dates")).to_be_visible()
    expect(page.get_by_test_id("relationship-barred")).to_be_visible()
    shot(page, "workspace-closed")

    page.goto(f"/clients/{closed.client_id}/")
    expect(page.get_by_test_id("closed-ending")).to_be_visible()
    expect(page.get_by_test_id("client-retain-until")).to_have_text(
        re.compile(r"\d{1,2} \w{3} \d{4}")
    )
    shot(page, "client-closed")

    open_ending = Termination.objects.filter(
        state=TerminationState.PREPARING, client__primary_counselor__username="counselor"
    ).first()
    page.goto(f"/endings/{open_ending.pk}/")
    expect(page.get_by_test_id("date-summary-due")).to_be_visible()
    shot(page, "workspace-open")
