"""axe-core (installed from npm, see package.json) on the main pages of each role, in Chromium:
no serious or critical violation. The script is injected from node_modules, never a CDN."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from practice.management.commands.seed_demo import DEMO_PASSWORD
from termination import services
from termination.models import EndingKind, Initiator
from tests.factories import ClientFactory, GoalFactory, SessionFactory
from tests.sessions_app.test_ratings import alliance_answers, phq9_answers, record

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does) to install it from npm.")
    # Evaluated through the browser's debugging protocol, not added as an inline <script>: the
    # pages run under the strict Content-Security-Policy, which would refuse it.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                             "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    return [item for item in result["violations"] if item["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """One line per page, rule and element, with axe's reason."""
    return "\n".join(
        f"{item['page']} {item['id']} ({item['impact']}) {node['target']}: "
        + " ".join(node.get("failureSummary", "").split())[:240]
        for item in violations
        for node in item["nodes"][:8]
    )


def check(page: Page, path: str, found: dict[str, list[dict]]) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    if violations:
        found[path] = violations


def a_client_with_an_ending(counselor):
    person = ClientFactory(
        primary_counselor=counselor, legal_first_name="Rosa", legal_last_name="Marquez"
    )
    for weeks_ago in range(6, 0, -1):
        session = SessionFactory(
            client=person, starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago)
        )
        record(counselor, person, "PHQ-9", phq9_answers(8 + weeks_ago), 7 * weeks_ago, session)
        record(counselor, person, "Alliance", alliance_answers(24 + weeks_ago), 7 * weeks_ago)
    GoalFactory(client=person, description="Sleep through most nights")
    ending = services.termination_open(
        actor=counselor, client=person, kind=EndingKind.PLANNED, initiated_by=Initiator.BOTH
    )
    return person, ending


def test_the_main_pages_of_each_role_have_no_serious_violation(
    page: Page, demo_staff, sign_in, screenshot
):
    found: dict[str, list[dict]] = {}
    person, ending = a_client_with_an_ending(demo_staff["counselor"])

    sign_in(page, "counselor", DEMO_PASSWORD)
    for path in ("/caseload/", f"/clients/{person.pk}/", f"/endings/{ending.pk}/", "/clients/new/"):
        check(page, path, found)
    page.context.clear_cookies()

    sign_in(page, "supervisor2", DEMO_PASSWORD)
    check(page, "/supervision/", found)
    page.context.clear_cookies()

    sign_in(page, "admin", DEMO_PASSWORD)
    for path in ("/practice-admin/", "/practice-admin/policy/", "/practice-admin/audit/"):
        check(page, path, found)

    assert not found, describe([v | {"page": path} for path, vs in found.items() for v in vs])
