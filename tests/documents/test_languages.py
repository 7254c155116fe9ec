"""Documents in the client's language: the after-care letter goes in the client's language of
correspondence whatever language the counselor works in; the closing summary in the language
the counselor picks (the practice's by default); each language has its own versions, and a
signed summary's PDF in one language never changes when the other is produced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from practice.formats import when
from practice.policy.models import PracticePolicy
from termination import services
from termination.documents import document_request
from termination.models import Document, DocumentKind, DocumentState
from tests.documents.conftest import pdf_text, stored_pdf
from tests.termination.conftest import today

pytestmark = pytest.mark.django_db


def produce(actor, termination, kind, capture, **kwargs) -> Document:
    with capture(execute=True):
        document = document_request(actor=actor, termination=termination, kind=kind, **kwargs)
    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.error
    return document


def test_the_after_care_letter_is_in_the_clients_language_not_the_counselors(
    flow, signed_ending, owner, own_client, django_capture_on_commit_callbacks
):
    own_client.language = "fr"
    own_client.save(update_fields=["language"])
    PracticePolicy.objects.filter(pk=1).update(letter_footer_fr="Counseling Harbour, S.E.N.C.")
    assert owner.language == "en"
    services.termination_close(actor=owner, termination=signed_ending)
    letter = produce(
        owner,
        flow.refresh(signed_ending),
        DocumentKind.AFTERCARE_LETTER,
        django_capture_on_commit_callbacks,
        language="en",  # a letter to the client ignores the choice: it is in their language
    )
    assert letter.language == "fr"
    text = pdf_text(stored_pdf(letter))
    assert "Bonjour" in text
    assert "Counseling Harbour, S.E.N.C." in text
    assert "Info-Social" in text  # the French crisis lines of the practice
    first_follow_up = today() + dt.timedelta(days=30)
    assert when(first_follow_up, "date_long", "fr") in text  # "30 décembre 2026"
    assert "Ce sur quoi nous avons travaillé" in text
    assert "Quand nous prendrons de vos nouvelles" in text
    # What the counselor typed stays as typed; the letter's own words are all French.
    for english in ("Dear", "Warning signs", "What we worked on", "Follow-up", "Page 1 of"):
        assert english not in text


def test_the_summary_is_in_the_chosen_language_and_each_language_keeps_its_versions(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    english = produce(
        owner, signed_ending, DocumentKind.CLOSING_SUMMARY, django_capture_on_commit_callbacks
    )
    assert english.language == "en"
    english_bytes, english_sha = stored_pdf(english), english.sha256
    french = produce(
        owner,
        signed_ending,
        DocumentKind.CLOSING_SUMMARY,
        django_capture_on_commit_callbacks,
        language="fr",
    )
    assert (french.pk != english.pk, french.language, french.version) == (True, "fr", 1)
    assert "Résumé de fermeture" in pdf_text(stored_pdf(french))
    assert "Closing summary" in pdf_text(english_bytes)
    english.refresh_from_db()
    assert (english.sha256, stored_pdf(english)) == (english_sha, english_bytes)
    again = produce(
        owner,
        signed_ending,
        DocumentKind.CLOSING_SUMMARY,
        django_capture_on_commit_callbacks,
        language="fr",
    )
    assert again.pk == french.pk  # unchanged record: the same French copy
    assert download_names(signed_ending) == {
        f"closing-summary-al-{signed_ending.client_id}-v1-en.pdf",
        f"closing-summary-al-{signed_ending.client_id}-v1-fr.pdf",
    }


def download_names(termination) -> set[str]:
    from termination.documents.services import download_name

    return {download_name(document) for document in termination.documents.all()}


def test_the_practice_language_is_the_default_and_an_unknown_language_is_refused(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    PracticePolicy.objects.filter(pk=1).update(language="fr")
    summary = produce(
        owner, signed_ending, DocumentKind.CLOSING_SUMMARY, django_capture_on_commit_callbacks
    )
    assert summary.language == "fr"
    with pytest.raises(ValidationError):
        document_request(
            actor=owner,
            termination=signed_ending,
            kind=DocumentKind.CLOSING_SUMMARY,
            language="de",
        )
