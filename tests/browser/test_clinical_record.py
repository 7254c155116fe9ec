"""A clinical record walked in the browser by the demo counselor: add a client, schedule and hold a
session, sign its DAP note, record a low alliance check-in, and see the alert on the client page
and the caseload. Every form is first sent with a mistake, to see the message beside the field
and the typed text kept."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from clients.models import Client
from practice.audit.models import AuditEvent
from practice.management.commands.seed_demo import DEMO_PASSWORD
from sessions_app.models import CounselingSession, NoteStatus, ProgressNote, SessionStatus
from tests.factories import instrument

pytestmark = pytest.mark.django_db(transaction=True)

# The demo counselor's own zone: the session form reads typed times in it.
COUNSELOR_ZONE = ZoneInfo("America/Toronto")
CONCERNS = "Panic attacks on the commute since starting a new job."
DATA = "Client described two panic attacks on the train; used paced breathing once."
ASSESSMENT = "Avoidance is growing; motivated, but unsure the breathing work fits."
PLAN = "Build an exposure ladder together next week; keep a panic diary."
# 0–10 each on the four items: a total of 14, well under the policy's alliance cutoff of 30.
LOW_ALLIANCE = {"goals": 3, "tasks": 4, "bond": 5, "overall": 2}


def field_block(page: Page, name: str) -> Locator:
    """The wrapper crispy draws around one field: its label, input, help and errors."""
    return page.locator(f"#div_id_{name}")


def counselor_clock(moment: dt.datetime) -> str:
    return moment.astimezone(COUNSELOR_ZONE).strftime("%Y-%m-%d %H:%M")


def add_the_client(page: Page) -> Client:
    page.goto("/caseload/")
    page.get_by_role("link", name="Add a client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a client")
    page.get_by_label("Legal first name").fill("Lucía")
    page.get_by_label("Legal last name").fill("Ferreira")
    page.get_by_label("Pronouns").fill("she/her")
    next_year = timezone.localdate() + dt.timedelta(days=365)
    page.get_by_label("Date of birth").fill(next_year.isoformat())
    page.locator("#id_presenting_concerns").fill(CONCERNS)
    page.get_by_role("button", name="Add the client").click()

    date_of_birth = field_block(page, "date_of_birth")
    expect(date_of_birth).to_contain_text("The date of birth cannot be in the future.")
    expect(page.get_by_label("Date of birth")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("Legal first name")).to_have_value("Lucía")
    expect(page.get_by_label("Pronouns")).to_have_value("she/her")
    expect(page.locator("#id_presenting_concerns")).to_have_value(CONCERNS)
    assert not Client.objects.filter(legal_last_name="Ferreira").exists()

    page.get_by_label("Date of birth").fill("1991-04-12")
    page.get_by_role("button", name="Add the client").click()
    expect(page.get_by_text("Lucía Ferreira was added to your caseload.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lucía Ferreira")
    return Client.objects.get(legal_last_name="Ferreira")


def hold_a_session_earlier_today(page: Page, person: Client) -> CounselingSession:
    # Only a session that has started can be marked attended, so it began two hours ago.
    starts = (timezone.now() - dt.timedelta(hours=2)).astimezone(COUNSELOR_ZONE)
    page.get_by_role("link", name="Schedule a session").click()
    expect(page).to_have_url(re.compile(rf"/sessions/new/\?client={person.pk}$"))
    expect(page.get_by_label("Client")).to_have_value(str(person.pk))
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("Session scheduled for")).to_contain_text(starts.strftime("%H:%M"))

    session = CounselingSession.objects.get(client=person)
    # Compared as wall-clock time in the counselor's zone: what was typed is what is stored.
    assert counselor_clock(session.starts_at) == starts.strftime("%Y-%m-%d %H:%M")
    expect(
        page.get_by_text(f"{starts:%H:%M}–{session.ends_at.astimezone(COUNSELOR_ZONE):%H:%M}")
    ).to_contain_text("America/Toronto")
    page.get_by_role("button", name="Attended", exact=True).click()
    expect(page.get_by_text("Session marked attended.")).to_be_visible()
    session.refresh_from_db()
    assert session.status == SessionStatus.ATTENDED
    return session


def sign_the_note(page: Page) -> ProgressNote:
    page.get_by_role("link", name="Write the note").click()
    page.get_by_label("Data").fill(DATA)
    page.get_by_label("Assessment").fill(ASSESSMENT)
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(field_block(page, "plan")).to_contain_text("Write the plan before signing.")
    expect(page.get_by_label("Data")).to_have_value(DATA)
    expect(page.get_by_label("Assessment")).to_have_value(ASSESSMENT)

    page.get_by_label("Plan").fill(PLAN)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(
        page.get_by_text("Note signed. Corrections from now on are dated addenda.")
    ).to_be_visible()
    note = ProgressNote.objects.get()
    assert note.status == NoteStatus.SIGNED
    signature = page.locator(".signature-block")
    expect(signature).to_contain_text("Signed by Maria Alvarez, LPC")
    expect(signature.locator("code")).to_have_text(note.content_sha256)
    assert re.fullmatch(r"[0-9a-f]{64}", note.content_sha256)
    expect(page.locator(".note-content")).to_contain_text(PLAN)
    return note


def record_a_low_alliance(page: Page, person: Client, session: CounselingSession) -> None:
    alliance = instrument("Alliance")
    page.goto(f"/clients/{person.pk}/ratings/new/?instrument={alliance.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alliance check-in")
    page.get_by_label("Session").select_option(str(session.pk))
    for item in alliance.items:
        question = page.get_by_role("group", name=re.compile(re.escape(item["text"])))
        score = str(LOW_ALLIANCE[item["key"]])
        # The radios are Bootstrap toggle buttons: the visible target is the label.
        question.locator("label").filter(has_text=re.compile(rf"^\s*{score}\s*$")).click()
        expect(question.get_by_role("radio", name=score, exact=True)).to_be_checked()
    page.get_by_role("button", name="Save Alliance").click()
    expect(page.get_by_text("Alliance recorded: total 14.")).to_be_visible()
    expect(
        page.get_by_text("Alliance alert: below the cutoff (total 14, cutoff 30)")
    ).to_be_visible()


def test_a_counselor_records_a_client_from_intake_to_an_alliance_alert(
    page: Page, demo_staff, sign_in, screenshot
):
    sign_in(page, "counselor", DEMO_PASSWORD)
    person = add_the_client(page)
    session = hold_a_session_earlier_today(page, person)
    note = sign_the_note(page)
    record_a_low_alliance(page, person, session)

    # Back on the client page (the rating form leads there): the chart, its table, the alert.
    expect(page).to_have_url(re.compile(rf"/clients/{person.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="Alliance alert.")).to_be_visible()
    measures = page.locator("section[aria-labelledby=measures-heading]")
    expect(measures.locator("svg")).to_have_count(1)
    expect(
        measures.get_by_role("img", name=re.compile(r"^Alliance: Alliance check-in"))
    ).to_be_visible()
    measures.get_by_text("Alliance scores as a table").click()
    scores = measures.get_by_role("table", name=re.compile("every rating, oldest first"))
    expect(scores.get_by_role("row")).to_have_count(2)
    expect(scores.get_by_role("row").nth(1)).to_contain_text("14")
    expect(scores.get_by_role("row").nth(1)).to_contain_text("alliance alert")
    sessions = page.locator("section.client-sessions")
    expect(sessions).to_contain_text("Attended 1")
    expect(
        sessions.get_by_role(
            "link",
            name=counselor_clock(session.starts_at)[-5:],
            exact=False,
        )
    ).to_be_visible()
    screenshot("clinical-client-page")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    row = page.get_by_role("row", name="Lucía Ferreira")
    cells = row.get_by_role("cell")
    expect(cells.nth(3)).to_have_text("1")
    expect(cells.nth(4)).to_contain_text("14")
    expect(row.get_by_text("Alliance alert", exact=True)).to_be_visible()
    screenshot("clinical-caseload")

    audited = set(
        AuditEvent.objects.filter(client_id=person.pk).values_list("action", "object_type")
    )
    expected = {
        (AuditEvent.Action.CREATE, "clients.client"),
        (AuditEvent.Action.VIEW, "clients.client"),
        (AuditEvent.Action.CREATE, "sessions_app.counselingsession"),
        (AuditEvent.Action.TRANSITION, "sessions_app.counselingsession"),
        (AuditEvent.Action.SIGN, "sessions_app.progressnote"),
        (AuditEvent.Action.CREATE, "sessions_app.rating"),
    }
    assert expected <= audited, f"missing from the audit log: {expected - audited}"
    signed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN, client_id=person.pk)
    assert signed.object_id == str(note.pk)
    assert signed.actor == demo_staff["counselor"]
