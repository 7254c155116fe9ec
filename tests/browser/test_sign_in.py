import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Locator, Page, expect

from practice.management.commands.seed_demo import DEMO_PASSWORD
from practice.policy.models import PracticePolicy

NAV_LABELS = ("My caseload", "Supervision", "Practice admin")
WRONG_PASSWORD_MESSAGE = "That username and password do not match. Check both and try again."


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


@pytest.mark.parametrize(
    ("username", "home_path", "heading", "nav_labels"),
    [
        ("admin", "/practice-admin/", "Practice admin", {"Practice admin"}),
        ("supervisor", "/supervision/", "Supervision", {"Supervision", "My caseload"}),
        ("counselor", "/caseload/", "My caseload", {"My caseload"}),
    ],
)
def test_it_lands_each_role_on_its_home_page(
    page, demo_staff, sign_in, screenshot, username, home_path, heading, nav_labels
):
    sign_in(page, username, DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(re.escape(home_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    nav = main_nav(page)
    for label in NAV_LABELS:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(
            1 if label in nav_labels else 0
        )
    expect(nav.get_by_role("link", name=heading, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    screenshot(f"home-{username}")


def test_it_rejects_a_wrong_password_and_keeps_the_username(page, demo_staff, sign_in):
    sign_in(page, "counselor", "not-the-password")

    expect(page).to_have_url(re.compile(r"/account/login/$"))
    expect(page.get_by_text(WRONG_PASSWORD_MESSAGE)).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("counselor")
    expect(page.get_by_label("Password")).to_have_value("")


def test_it_signs_out(page, demo_staff, sign_in):
    sign_in(page, "counselor", DEMO_PASSWORD)

    main_nav(page).get_by_role("button", name="Maria Alvarez").click()
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_text("You are signed out")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="My caseload")).to_have_count(0)
    page.goto("/caseload/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next="))


def test_it_sends_a_counselor_to_enrol_in_two_factor_when_the_policy_requires_it(
    page, demo_staff, sign_in
):
    policy = PracticePolicy.current()
    policy.mfa_required = True
    policy.save()

    sign_in(page, "counselor", DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/account/mfa/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.get_by_label("Six-digit code").fill(code)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page).to_have_url(re.compile(r"/caseload/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    assert demo_staff["counselor"].totpdevice_set.filter(confirmed=True).count() == 1
