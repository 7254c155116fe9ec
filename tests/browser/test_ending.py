"""An ending walked in the browser: planned (with the supervisor approving the summary) and
unplanned (from the silent-client flag on the caseload to close)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import ClientStatus
from practice.management.commands.seed_demo import DEMO_PASSWORD
from sessions_app.models import SessionStatus
from termination.models import Provider, Termination, TerminationState
from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()


def open_ending_workspace(page: Page, client_name: str) -> None:
    page.goto("/caseload/")
    page.get_by_role("link", name=client_name).click()


def write_summary_and_sign(page: Page) -> None:
    page.locator("#step-summary").get_by_role("link").click()
    page.get_by_label("Condition at ending").fill("Mood stable for six weeks; sleeping well.")
    page.get_by_label("Recommendations").fill(
        "Keep the morning routine; return if low mood lasts more than two weeks."
    )
    page.get_by_role("button", name="Sign the summary").click()


def test_a_planned_ending_from_notice_to_close(page: Page, demo_staff, sign_in, screenshot):
    counselor = demo_staff["counselor"]
    person = ClientFactory(
        primary_counselor=counselor,
        legal_first_name="Rosa",
        legal_last_name="Marquez",
        presenting_concerns="Low mood after a move.",
    )
    for weeks_ago in range(8, 0, -1):
        SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago))
    sign_in(page, "counselor", DEMO_PASSWORD)
    open_ending_workspace(page, "Rosa Marquez")
    page.get_by_role("link", name="Start an ending").click()
    page.get_by_label("Planned", exact=True).check()
    page.get_by_label("Who raised the ending").select_option("both")
    page.get_by_role("button", name="Start the ending").click()
    expect(page.get_by_text("The ending is open")).to_be_visible()

    # 1. Notice: too short first, then the policy's minimum.
    page.get_by_role("link", name="Record the notice").click()
    today = timezone.localdate()
    page.get_by_label("Date the ending was raised").fill(today.isoformat())
    page.get_by_label("Planned final session").fill((today + dt.timedelta(days=7)).isoformat())
    page.locator("input[name=more_help_needed][value=no]").check()
    page.locator("input[name=counseling_helped][value=a_lot]").check()
    page.locator("input[name=break_kind][value=permanent]").check()
    page.get_by_label("The client's own view of ending, in their words").fill("Ready to try alone.")
    page.get_by_role("button", name="Record the notice").click()
    expect(page.get_by_text("at least 14 days' notice")).to_be_visible()
    expect(page.get_by_label("The client's own view of ending, in their words")).to_have_value(
        "Ready to try alone."
    )
    page.get_by_label("Planned final session").fill((today + dt.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Record the notice").click()
    expect(page.get_by_text("Notice recorded.")).to_be_visible()

    # 2. Reasons.
    page.get_by_role("link", name="Record the reasons").click()
    page.locator("#id_reason").select_option("goals_met")
    page.get_by_label("The reason in your words").fill("Both goals met; mood stable.")
    page.get_by_role("button", name="Record the reasons").click()

    # 4. Relapse plan.
    page.get_by_role("link", name="Write the plan").click()
    page.get_by_label("Early warning signs").fill("Staying in bed past ten; skipping meals.")
    page.get_by_label("Triggers").fill("Anniversaries; winter.")
    page.locator("#id_steps-0-sign").fill("Staying in bed")
    page.locator("#id_steps-0-step").fill("Walk around the block before breakfast.")
    page.locator("#id_contacts-0-name").fill("Lena")
    page.locator("#id_contacts-0-relation").fill("Sister")
    page.locator("#id_contacts-0-phone").fill("555-0100")
    page.get_by_label("When to come back").fill("If low mood lasts two weeks.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Relapse prevention plan saved.")).to_be_visible()

    # 6. Summary, then the supervisor approves.
    write_summary_and_sign(page)
    expect(page.get_by_test_id("termination-state")).to_have_text("Summary awaiting approval")
    screenshot("ending-planned-awaiting-approval")
    sign_out(page, "Maria Alvarez")

    sign_in(page, "supervisor", DEMO_PASSWORD)
    ending = Termination.objects.get(client=person)
    page.goto(f"/endings/{ending.pk}/")
    page.get_by_role("button", name="Approve the summary").click()
    expect(page.get_by_test_id("termination-state")).to_have_text("Ready to close")
    sign_out(page, "Grace Okafor")

    # 8. Close.
    sign_in(page, "counselor", DEMO_PASSWORD)
    page.goto(f"/endings/{ending.pk}/")
    # The final session is three weeks away: closing now is early and needs a reason.
    page.get_by_role("button", name="Close the ending").click()
    expect(page.get_by_text("To close before then, record the reason.").first).to_be_visible()
    page.get_by_label("Reason to close early").fill("The client moved the last session forward.")
    page.get_by_role("button", name="Close the ending").click()
    expect(page.get_by_test_id("termination-state")).to_have_text("Closed")
    expect(page.get_by_test_id("relationship-barred")).to_be_visible()
    screenshot("ending-planned-closed")
    person.refresh_from_db()
    assert person.status == ClientStatus.CLOSED
    assert ending.follow_ups.count() == 3


def test_an_unplanned_ending_from_the_silent_flag_to_close(
    page: Page, demo_staff, sign_in, screenshot
):
    counselor = demo_staff["counselor"]
    person = ClientFactory(
        primary_counselor=counselor,
        legal_first_name="Tomás",
        legal_last_name="Quiroga",
        may_write=True,
    )
    SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(days=45))
    SessionFactory(
        client=person,
        starts_at=timezone.now() - dt.timedelta(days=38),
        status=SessionStatus.NO_SHOW,
    )
    Provider.objects.create(
        name="Dr. Amal Haddad",
        organisation="Eastside Community Clinic",
        specialty="Depression and anxiety",
        phone="555-0199",
    )
    sign_in(page, "counselor", DEMO_PASSWORD)
    page.goto("/caseload/?flag=silent")
    row = page.get_by_role("row", name="Tomás Quiroga")
    row.get_by_role("button", name="Start unplanned ending").click()
    expect(page.get_by_test_id("termination-state")).to_have_text("In preparation")

    page.get_by_role("link", name="Record the notice").click()
    page.get_by_label("Date the ending was raised").fill(timezone.localdate().isoformat())
    page.get_by_label("Who raised it").select_option("practice")
    page.get_by_role("button", name="Record the notice").click()
    expect(page.get_by_text("Notice recorded.")).to_be_visible()

    for outcome in ("no_answer", "message_left"):
        page.get_by_role("link", name="Log an attempt").click()
        page.get_by_label("Channel").select_option("phone")
        page.get_by_label("Outcome").select_option(outcome)
        page.get_by_role("button", name="Log the attempt").click()
    page.get_by_role("link", name="Record the closing letter").click()
    page.get_by_label("Date the letter was sent").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record").click()

    page.get_by_role("link", name="Record the reasons").click()
    page.locator("#id_reason").select_option("stopped_attending")
    page.get_by_label("The reason in your words").fill("Stopped coming after a busy month.")
    page.get_by_role("button", name="Record the reasons").click()
    expect(page.get_by_text("say what stood in the way")).to_be_visible()
    page.get_by_label("What stood in the way").fill("New job with shifting hours.")
    page.get_by_label("How the client feels about seeking help later").fill(
        "Unknown: not reached; the letter invites them back."
    )
    page.get_by_role("button", name="Record the reasons").click()

    page.get_by_role("link", name="Add a referral").click()
    page.locator("#id_provider").select_option(label="Dr. Amal Haddad, Eastside Community Clinic")
    page.get_by_label("Why this provider").fill("Evening appointments fit shift work.")
    page.get_by_role("button", name="Add the referral").click()
    expect(page.get_by_text("No valid release")).to_be_visible()

    write_summary_and_sign(page)
    sign_out(page, "Maria Alvarez")
    sign_in(page, "supervisor", DEMO_PASSWORD)
    ending = Termination.objects.get(client=person)
    page.goto(f"/endings/{ending.pk}/")
    page.get_by_role("button", name="Approve the summary").click()
    sign_out(page, "Grace Okafor")
    sign_in(page, "counselor", DEMO_PASSWORD)
    page.goto(f"/endings/{ending.pk}/")
    page.get_by_role("button", name="Close the ending").click()
    expect(page.get_by_test_id("termination-state")).to_have_text("Closed")
    screenshot("ending-unplanned-closed")
    ending.refresh_from_db()
    assert ending.state == TerminationState.CLOSED
    assert ending.reason == "stopped_attending"
