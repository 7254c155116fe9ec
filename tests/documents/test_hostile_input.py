"""Names and notes holding HTML, links, url() and file:// render as plain text: nothing is
fetched outside the allow-list, nothing is attached, and every character is in the PDF."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from practice.documents import pdf
from termination.documents import (
    aftercare_letter_context,
    closing_summary_context,
    document_request,
    referral_letter_context,
)
from termination.models import DocumentKind, DocumentState, Provider
from tests.documents.conftest import ALL_CATEGORIES, pdf_text, release, stored_pdf, with_history
from tests.termination.conftest import Workflow, today

pytestmark = pytest.mark.django_db

ATTACHMENT = '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
LINK = '<link rel="stylesheet" href="http://evil.example/steal.css">'
STYLE = (
    "<style>@import url(http://evil.example/a.css);"
    " body { background: url(file:///etc/shadow) }</style>"
)
IMAGE = '<img src="https://evil.example/pixel.png"><img src="data:image/png;base64,iVBORw0KGgo=">'
CSS_IN_TEXT = "background: url(file:///etc/hosts); content: url('http://evil.example/x')"
LONG_WORD = "Pneumono" + "ultramicroscopicsilicovolcanoconiosis" * 8
HEBREW = "שלום עולם"
ARABIC = "مرحبا بالعالم"
ACCENTS = "Zoë Ðoñé-Łukasz Ångström Çağrı Nguyễn"
HOSTILE_NOTES = "\n".join([ATTACHMENT, LINK, STYLE, IMAGE, CSS_IN_TEXT, LONG_WORD, HEBREW, ARABIC])


class FetcherSpy:
    """Wraps every fetcher WeasyPrint is given and keeps each URL it was asked for."""

    def __init__(self, monkeypatch):
        self.requested: list[str] = []
        real = pdf.make_fetcher

        def spying(**kwargs):
            fetcher = real(**kwargs)
            original = fetcher.fetch

            def fetch(url, headers=None):
                self.requested.append(url)
                return original(url, headers)

            fetcher.fetch = fetch
            return fetcher

        monkeypatch.setattr(pdf, "make_fetcher", spying)

    def outside_allow_list(self) -> list[str]:
        return [
            url
            for url in self.requested
            if url != pdf.LOGO_URL and pdf.static_path_for(url) is None
        ]


@pytest.fixture
def spy(monkeypatch) -> FetcherSpy:
    return FetcherSpy(monkeypatch)


@pytest.fixture
def hostile_ending(flow, own_client):
    own_client.legal_first_name = f"<b>Ada</b>{LINK}"
    own_client.legal_last_name = f"{ATTACHMENT} {ACCENTS}"
    own_client.preferred_name = HEBREW
    own_client.pronouns = "<script>alert(1)</script>"
    own_client.presenting_concerns = HOSTILE_NOTES
    own_client.save()
    with_history(own_client)
    termination = flow.open()
    flow.notice(termination)
    flow.reasons(termination, narrative=f"{STYLE} {LONG_WORD}")
    flow.relapse_plan(
        termination,
        warning_signs=HOSTILE_NOTES,
        coping_steps=[{"sign": ATTACHMENT, "step": f"{CSS_IN_TEXT} {ARABIC}"}],
        support_contacts=[{"name": LINK, "relation": ACCENTS, "phone": "555"}],
    )
    flow.summary(
        termination,
        condition_at_ending=HOSTILE_NOTES,
        recommendations=f"{LONG_WORD} {ACCENTS}",
    )
    return Workflow.refresh(termination)


def render(template: str, context: dict) -> bytes:
    return pdf.render_pdf(template, context).content


def assert_plain_text_of(content: bytes, *fragments: str) -> None:
    text = pdf_text(content)
    squeezed = re.sub(r"\s+", "", text)
    for fragment in fragments:
        assert re.sub(r"\s+", "", fragment) in squeezed, fragment[:60]


def assert_nothing_attached_or_linked(content: bytes) -> None:
    reader = PdfReader(io.BytesIO(content))
    assert reader.attachments == {}
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert "file:" not in str(action.get("/URI", "")), action


def test_a_hostile_summary_fetches_nothing_outside_the_allow_list(hostile_ending, letterhead, spy):
    content = render(
        "pdf/closing_summary.html", closing_summary_context(hostile_ending, policy=letterhead)
    )

    assert spy.requested, "the print stylesheet is fetched through the spy"
    assert spy.outside_allow_list() == []
    assert_nothing_attached_or_linked(content)
    assert_plain_text_of(
        content, ATTACHMENT, LINK, CSS_IN_TEXT, "<script>alert(1)</script>", ACCENTS, LONG_WORD
    )


def test_long_words_wrap_inside_the_page(hostile_ending, letterhead):
    content = render(
        "pdf/closing_summary.html", closing_summary_context(hostile_ending, policy=letterhead)
    )

    reader = PdfReader(io.BytesIO(content))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    longest_run = max(len(run) for line in lines for run in re.findall(r"[a-z]+", line))
    assert longest_run < 110, "a 300-letter word is broken across lines within the page"
    assert_plain_text_of(content, LONG_WORD)


def test_right_to_left_text_and_accents_survive(hostile_ending, letterhead):
    content = render(
        "pdf/aftercare_letter.html",
        aftercare_letter_context(hostile_ending, policy=letterhead, today=today()),
    )

    text = pdf_text(content)
    # Right-to-left words are stored in visual order; either order means every letter is there.
    for words in (HEBREW, ARABIC):
        for word in words.split():
            assert word in text or word[::-1] in text, word
    assert ACCENTS in text


def test_a_hostile_referral_letter_is_rendered_as_text(hostile_ending, own_client, letterhead, spy):
    provider = Provider.objects.create(
        name=f"Dr {ATTACHMENT}", organisation=LINK, address=f"{STYLE}\n{CSS_IN_TEXT}"
    )
    referral = Workflow(
        counselor=own_client.primary_counselor, supervisor=None, client=own_client
    ).referral(hostile_ending, provider)
    release(own_client, provider, ALL_CATEGORIES)

    content = render(
        "pdf/referral_letter.html",
        referral_letter_context(
            Workflow.refresh(hostile_ending),
            referral=referral,
            sections=["presenting_concerns", "goals"],
            policy=letterhead,
            today=timezone.localdate(),
        ),
    )

    assert spy.outside_allow_list() == []
    assert_nothing_attached_or_linked(content)
    assert_plain_text_of(content, f"Dr {ATTACHMENT}", STYLE, CSS_IN_TEXT)


def test_the_stored_pdf_of_a_hostile_record_is_clean(
    hostile_ending, owner, spy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            actor=owner, termination=hostile_ending, kind=DocumentKind.CLOSING_SUMMARY
        )
    document.refresh_from_db()

    assert document.state == DocumentState.READY, document.error
    assert spy.outside_allow_list() == []
    assert_nothing_attached_or_linked(stored_pdf(document))


def test_the_fetcher_refuses_everything_but_static_files_and_the_logo(settings):
    fetcher = pdf.make_fetcher(logo=b"\x89PNG fake")
    origin = pdf.DOCUMENT_ORIGIN
    refused = [
        "file:///etc/passwd",
        "http://evil.example/x.css",
        "https://evil.example/static/css/print.css",
        "data:text/css,body{}",
        f"{origin}/static/../practice/settings/base.py",
        f"{origin}/static/%2e%2e/manage.py",
        f"{origin}/static/css/print.css?x=1",
        f"{origin}/static/js/idle.js",
        f"{origin}/media/letterhead/logo.png",
        f"{origin}/letterhead/logo/../../etc/passwd",
    ]
    for url in refused:
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch(f"{origin}/static/css/print.css").read().startswith(b"/*")
    assert fetcher.fetch(pdf.LOGO_URL).read() == b"\x89PNG fake"
    assert fetcher.refused == refused
