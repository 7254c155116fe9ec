"""A note's review walked in the browser: the supervisor returns a note with a comment, the
counselor reads the comment, fixes the note and signs it again, and the supervisor co-signs it.
The note's history keeps every step."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practice.management.commands.seed_demo import DEMO_PASSWORD
from sessions_app.models import NoteEvent, NoteStatus
from sessions_app.services import note_sign
from tests.factories import ClientFactory, NoteFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "Say how you checked for risk: the client mentioned hopelessness."
FIXED_ASSESSMENT = "Hopelessness explored; no plan or intent. Safety plan reviewed together."


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_a_returned_note_is_fixed_signed_and_co_signed(page, demo_staff, sign_in, screenshot):
    counselor3, supervisor = demo_staff["counselor3"], demo_staff["supervisor"]
    person = ClientFactory(
        primary_counselor=counselor3, legal_first_name="Inès", legal_last_name="Moreau"
    )
    session = SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(days=1))
    note = note_sign(actor=counselor3, note=NoteFactory(session=session))
    assert note.status == NoteStatus.AWAITING_COSIGN

    # The supervisor finds the note on the board and returns it with a comment.
    sign_in(page, "supervisor", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/supervision/$"))
    screenshot("supervision-board")
    page.get_by_role("link", name="Notes to co-sign for Amélie Dubois: 1").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Notes waiting for co-signature")
    page.get_by_role("link", name=re.compile(r"Review the note for Inès Moreau")).click()
    expect(page).to_have_url(re.compile(rf"/notes/{note.pk}/$"))
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("Say what should change before the note is co-signed.")).to_be_visible()
    page.get_by_label("Comment for the counselor").fill(COMMENT)
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("Note returned to the counselor with your comment.")).to_be_visible()
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    sign_out(page)

    # The counselor reads the comment, fixes the note and signs it again.
    sign_in(page, "counselor3", DEMO_PASSWORD)
    page.goto(f"/clients/{person.pk}/")
    page.get_by_role("link", name="Finish note").click()
    returned = page.get_by_role("status").filter(has_text="Returned by")
    expect(returned).to_contain_text(COMMENT)
    expect(returned).to_contain_text("Grace Okafor")
    page.get_by_label("Assessment").fill(FIXED_ASSESSMENT)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(
        page.get_by_text("Note signed and sent to your supervisor for co-signature.")
    ).to_be_visible()
    sign_out(page)

    # The supervisor co-signs the corrected note.
    sign_in(page, "supervisor", DEMO_PASSWORD)
    page.goto("/supervision/cosign/")
    page.get_by_role("link", name=re.compile(r"Review the note for Inès Moreau")).click()
    expect(page.get_by_text(FIXED_ASSESSMENT)).to_be_visible()
    page.get_by_role("button", name="Co-sign").click()
    expect(page.get_by_text("Note co-signed.")).to_be_visible()
    history = page.locator(".note-history")
    expect(history).to_contain_text("Returned with a comment")
    expect(history).to_contain_text(COMMENT)
    expect(history).to_contain_text("Co-signed")
    screenshot("supervision-note-cosigned")

    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED and note.cosigned_by == supervisor
    assert note.assessment == FIXED_ASSESSMENT
    events = list(note.events.values_list("action", "actor__username", "comment"))
    assert events == [
        (NoteEvent.Action.SUBMITTED, "counselor3", ""),
        (NoteEvent.Action.RETURNED, "supervisor", COMMENT),
        (NoteEvent.Action.SUBMITTED, "counselor3", ""),
        (NoteEvent.Action.COSIGNED, "supervisor", ""),
    ]
    page.goto("/supervision/cosign/")
    expect(page.get_by_text("No note is waiting for your co-signature.")).to_be_visible()
