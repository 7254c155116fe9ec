"""A planned ending walked in French, from notice to close, by a counselor who works in French
for a client who corresponds in French; every PDF of the ending reads in French (pypdf)."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from clients.models import ClientStatus
from practice.management.commands.seed_demo import DEMO_PASSWORD
from termination.documents.services import document_render
from termination.models import Document, DocumentKind, DocumentState, Termination
from tests.documents.conftest import pdf_text
from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Interface words of the letters and the summary that must not appear in a French PDF.
ENGLISH_IN_PDFS = [
    "Dear",
    "Closing summary",
    "Warning signs",
    "Follow-up",
    "Signed",
    "Page 1 of",
    "Confidential",
    "Reason for ending",
    "Recommendations",
]


def fr(text: str) -> str:
    with translation.override("fr"):
        return gettext(text)


def test_a_planned_ending_in_french_from_notice_to_close(
    page: Page, demo_staff, sign_in, screenshot
):
    counselor = demo_staff["counselor7"]
    assert counselor.language == "fr"
    person = ClientFactory(
        primary_counselor=counselor,
        legal_first_name="Mathilde",
        legal_last_name="Gauthier",
        language="fr",
        presenting_concerns="Humeur basse depuis un déménagement.",
    )
    for weeks_ago in range(8, 0, -1):
        SessionFactory(client=person, starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago))
    sign_in(page, "counselor7", DEMO_PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto("/caseload/")
    screenshot("fr-caseload")
    page.get_by_role("link", name="Mathilde Gauthier").click()
    screenshot("fr-client-page")
    page.get_by_role("link", name=fr("Start an ending")).click()
    page.get_by_label(fr("Planned"), exact=True).check()
    page.get_by_role("button", name=fr("Start the ending")).click()
    expect(page.get_by_test_id("termination-state")).to_be_visible()

    # 1. Notice (préavis).
    page.get_by_role("link", name=fr("Record the notice")).first.click()
    today = timezone.localdate()
    page.locator("#id_raised_on").fill(today.isoformat())
    page.locator("#id_final_session_on").fill((today + dt.timedelta(days=21)).isoformat())
    page.locator("input[name=more_help_needed][value=no]").check()
    page.locator("input[name=counseling_helped][value=a_lot]").check()
    page.locator("input[name=break_kind][value=permanent]").check()
    page.locator("#id_client_view").fill("Prête à essayer seule.")
    page.get_by_role("button", name=fr("Record the notice")).click()
    expect(page.get_by_text(fr("Notice recorded."))).to_be_visible()

    # 2. Reasons (motifs).
    page.get_by_role("link", name=fr("Record the reasons")).first.click()
    page.locator("#id_reason").select_option("goals_met")
    page.locator("#id_narrative").fill("Objectifs atteints; humeur stable.")
    page.get_by_role("button", name=fr("Record the reasons")).click()

    # 4. Relapse warning signs (signes précurseurs de rechute).
    page.get_by_role("link", name=fr("Write the plan")).click()
    page.locator("#id_warning_signs").fill("Rester au lit après dix heures; sauter des repas.")
    page.locator("#id_triggers").fill("Les anniversaires; l'hiver.")
    page.locator("#id_steps-0-sign").fill("Rester au lit")
    page.locator("#id_steps-0-step").fill("Faire le tour du pâté de maisons avant le déjeuner.")
    page.locator("#id_contacts-0-name").fill("Julie")
    page.locator("#id_contacts-0-relation").fill("Sœur")
    page.locator("#id_contacts-0-phone").fill("514 555-0100")
    page.locator("#id_when_to_come_back").fill("Si l'humeur reste basse deux semaines.")
    page.get_by_role("button", name=fr("Save the plan")).click()
    expect(page.get_by_text(fr("Relapse prevention plan saved."))).to_be_visible()

    # 6. Closing summary (résumé de fermeture), signed.
    page.locator("#step-summary").get_by_role("link").click()
    page.locator("#id_condition_at_ending").fill("Humeur stable depuis six semaines.")
    page.locator("#id_recommendations").fill("Garder la routine du matin.")
    page.get_by_role("button", name=fr("Sign the summary")).click()
    expect(page.get_by_test_id("termination-state")).to_have_text(fr("Summary awaiting approval"))
    screenshot("fr-ending-workspace")
    ending = Termination.objects.get(client=person)

    # The supervisor works in English; approving does not change the client's language.
    page.context.clear_cookies()
    sign_in(page, "supervisor2", DEMO_PASSWORD)
    page.goto(f"/endings/{ending.pk}/")
    page.get_by_role("button", name="Approve the summary").click()
    expect(page.get_by_test_id("termination-state")).to_have_text("Ready to close")

    # 8. Close, then the documents: the after-care letter in the client's French, the
    # summary in the French the counselor picks.
    page.context.clear_cookies()
    sign_in(page, "counselor7", DEMO_PASSWORD)
    page.goto(f"/endings/{ending.pk}/")
    page.get_by_role("button", name=fr("Close the ending")).click()
    page.locator("#early-reason").fill("La cliente a avancé la dernière séance.")
    page.get_by_role("button", name=fr("Close the ending")).click()
    expect(page.get_by_test_id("termination-state")).to_have_text(fr("Closed"))
    person.refresh_from_db()
    assert person.status == ClientStatus.CLOSED

    page.goto(f"/endings/{ending.pk}/documents/aftercare-letter/new/")
    expect(page.get_by_test_id("document-language")).to_contain_text("Français")
    page.get_by_role("button", name=fr("Produce the PDF")).click()
    page.goto(f"/endings/{ending.pk}/documents/closing-summary/new/")
    page.locator("#id_language").select_option("fr")
    page.get_by_role("button", name=fr("Produce the PDF")).click()
    screenshot("fr-documents")

    # The approval made the summary's PDF in the practice's language (English); the French one
    # is a new file with its own versions.
    assert Document.objects.filter(
        termination=ending, kind=DocumentKind.CLOSING_SUMMARY, language="en"
    ).exists()
    french = Document.objects.filter(termination=ending, language="fr")
    documents = {document.kind: document for document in french}
    assert set(documents) == {DocumentKind.AFTERCARE_LETTER, DocumentKind.CLOSING_SUMMARY}
    for document in documents.values():
        document_render(document.pk)  # what the worker does with each request
        document.refresh_from_db()
        assert (document.state, document.language) == (DocumentState.READY, "fr"), document.error
        with document.file.open("rb") as stream:
            text = pdf_text(stream.read())
        assert "Gauthier" in text or "Mathilde" in text
        assert fr("Confidential").upper() in text or fr("Confidential") in text
        found = [word for word in ENGLISH_IN_PDFS if word in text]
        assert found == [], (document.kind, found)
    letter = pdf_text(documents[DocumentKind.AFTERCARE_LETTER].file.open("rb").read())
    assert "Bonjour Mathilde" in letter
    summary = pdf_text(documents[DocumentKind.CLOSING_SUMMARY].file.open("rb").read())
    assert "Résumé de fermeture" in summary
