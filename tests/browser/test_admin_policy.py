"""The admin lowers the minimum notice on the policy page; the counselor's next planned ending
follows the new value at once."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practice.management.commands.seed_demo import DEMO_PASSWORD
from practice.policy.models import PolicyChange, PracticePolicy
from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()


def test_it_applies_a_lower_minimum_notice_to_the_next_planned_ending(
    page: Page, demo_staff, sign_in, screenshot
):
    counselor = demo_staff["counselor"]
    person = ClientFactory(
        primary_counselor=counselor, legal_first_name="Noor", legal_last_name="Haddad"
    )
    for weeks_ago in (3, 2, 1):
        SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago))

    sign_in(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="Practice policy").click()
    notice = page.get_by_label("Minimum notice before a planned ending")
    expect(notice).to_have_value("14")
    notice.fill("3")
    page.get_by_role("button", name="Save the policy").click()
    expect(
        page.get_by_text("Policy saved. Changed: minimum notice before a planned ending.")
    ).to_be_visible()
    history = page.get_by_role("table").filter(has_text="Minimum notice before a planned ending")
    expect(history.get_by_role("cell", name="14", exact=True)).to_be_visible()
    expect(history.get_by_role("cell", name="changed to 3")).to_be_visible()
    assert PracticePolicy.current().minimum_notice_days == 3
    assert PolicyChange.objects.get().changed_by == demo_staff["admin"]
    screenshot("admin-policy-saved")
    sign_out(page, "Priya Nair")

    sign_in(page, "counselor", DEMO_PASSWORD)
    page.goto(f"/clients/{person.pk}/ending/new/")
    page.get_by_label("Planned", exact=True).check()
    page.get_by_label("Who raised the ending").select_option("both")
    page.get_by_role("button", name="Start the ending").click()
    expect(page.get_by_text("The ending is open")).to_be_visible()
    page.get_by_role("link", name="Record the notice").click()
    expect(page.get_by_text("at least 3 days after it was raised")).to_be_visible()
    today = timezone.localdate()
    page.get_by_label("Date the ending was raised").fill(today.isoformat())
    # Four days: refused under the default 14 days, accepted under the admin's 3.
    page.get_by_label("Planned final session").fill((today + dt.timedelta(days=4)).isoformat())
    page.locator("input[name=more_help_needed][value=no]").check()
    page.locator("input[name=counseling_helped][value=a_lot]").check()
    page.locator("input[name=break_kind][value=permanent]").check()
    page.get_by_role("button", name="Record the notice").click()
    expect(page.get_by_text("Notice recorded.")).to_be_visible()
