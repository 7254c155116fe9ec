"""The text of each PDF as a reader sees it: letterhead, running header, page numbers, and what
each document must say."""

import datetime as dt
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from practice.documents import pdf
from sessions_app.services import rating_record
from termination.documents import (
    aftercare_letter_context,
    closing_letter_context,
    closing_summary_context,
    letterhead_logo_replace,
    read_logo,
    referral_letter_context,
    sample_letter_context,
)
from termination.models import EndingKind, Provider
from tests.documents.conftest import ALL_CATEGORIES, pdf_pages, pdf_text, release
from tests.factories import instrument
from tests.termination.conftest import Workflow, today

pytestmark = pytest.mark.django_db


def render(template: str, context: dict, **kwargs) -> bytes:
    return pdf.render_pdf(template, context, **kwargs).content


def assert_every_page_is_marked(content: bytes, title: str) -> None:
    pages = list(pdf_pages(content))
    for number, text in enumerate(pages, start=1):
        assert "CONFIDENTIAL" in text, number
        assert f"Page {number} of {len(pages)}" in text
        assert title in text
        assert "Harbour Counseling LLC · Licensed professional counselors" in text


def test_the_closing_summary_holds_the_record_charts_and_signature(
    flow, owner, own_client, letterhead
):
    for days_ago, level in ((60, 2), (30, 1), (5, 0)):
        rating_record(
            actor=owner,
            client=own_client,
            instrument=instrument("PHQ-9"),
            answers={f"phq{item}": level for item in range(1, 10)},
            administered_on=today() - dt.timedelta(days=days_ago),
        )
        rating_record(
            actor=owner,
            client=own_client,
            instrument=instrument("Alliance"),
            answers={"goals": 8, "tasks": 8, "bond": 9, "overall": 8},
            administered_on=today() - dt.timedelta(days=days_ago),
        )
    termination = flow.ready_to_close(flow.open())
    summary = termination.summary

    content = render(
        "pdf/closing_summary.html", closing_summary_context(termination, policy=letterhead)
    )

    text = pdf_text(content)
    assert_every_page_is_marked(content, "Closing summary · Ada Lovelace")
    assert text.startswith("Harbour Counseling 12 Harbour Street Springfield, IL 62701")
    assert "Phone (217) 555-0142 office@harbour.example" in text
    for value in summary.content().values():
        for line in value.splitlines():
            assert " ".join(line.split()) in text, line
    assert "Alliance and outcome over time" in text
    assert "↑ Higher is better · dashed line: cutoff 30" in text, "the alliance chart's key"
    assert "↑ Higher is worse · dashed line: cutoff 10" in text, "the PHQ-9 chart's key"
    assert "Alliance: Alliance check-in" in text
    assert "Outcome: Patient Health Questionnaire" in text
    assert "Signed electronically by Olivia Owner, LPC, on" in text
    assert "Approved by supervisor Sofia Super, on" in text
    assert f"Content SHA-256 {summary.content_sha256}" in text
    assert "Draft" not in text


def test_a_draft_summary_says_so_on_every_page_and_has_no_signature(draft_ending, letterhead):
    content = render(
        "pdf/closing_summary.html", closing_summary_context(draft_ending, policy=letterhead)
    )

    text = pdf_text(content)
    for page in pdf_pages(content):
        assert "Draft — not signed" in page
    assert "Signed electronically" not in text
    assert "Not signed. A draft carries no signature." in text
    assert "Content SHA-256" not in text


def test_the_referral_letter_says_who_why_what_and_whom_to_ask(flow, own_client, letterhead):
    own_client.presenting_concerns = "Poor sleep after a bereavement."
    own_client.save()
    termination = flow.open()
    provider = Provider.objects.create(
        name="Dr Rosa Rivera",
        organisation="Eastside Clinic",
        specialty="Sleep medicine",
        address="1 Main St\nSpringfield",
    )
    referral = flow.referral(termination, provider)
    release(own_client, provider, ALL_CATEGORIES)

    content = render(
        "pdf/referral_letter.html",
        referral_letter_context(
            Workflow.refresh(termination),
            referral=referral,
            sections=["goals"],
            policy=letterhead,
            today=today(),
        ),
    )

    text = pdf_text(content)
    assert_every_page_is_marked(content, "Referral letter · Ada Lovelace")
    assert "Dr Rosa Rivera Eastside Clinic 1 Main St Springfield" in text
    assert "Re: Ada Lovelace, born 17 May 1990" in text
    assert "Why I am referring Longer-term support for sleep." in text
    assert "Treatment goals and progress" in text
    assert "Poor sleep after a bereavement." not in text, "a section not chosen is left out"
    assert "Please contact me at Harbour Counseling, phone (217) 555-0142" in text
    assert "Olivia Owner LPC" in text


def test_the_aftercare_letter_is_warm_and_complete(flow, letterhead):
    termination = Workflow.refresh(flow.prepared(flow.open()))

    content = render(
        "pdf/aftercare_letter.html",
        aftercare_letter_context(termination, policy=letterhead, today=today()),
    )

    text = pdf_text(content)
    assert "Dear Ada," in text
    assert "Thank you for the work we did together." in text
    assert "Sleeping badly for several nights; skipping meals." in text
    assert "Sleeping badly Wind-down routine and the sleep diary" in text
    assert "Sam (sister): 0123 456 789" in text
    assert "988 Suicide & Crisis Lifeline" in text and "text HOME to 741741" in text
    first = termination.final_session_on + dt.timedelta(days=30)
    assert f"{first:%-d %B %Y}" in text
    assert "You are always welcome back." in text
    assert "With warm wishes, Olivia Owner LPC Harbour Counseling" in text


def test_the_closing_letter_is_non_blaming_and_complete(flow, own_client, letterhead):
    own_client.address = "4 Elm Row\nSpringfield"
    own_client.save()
    termination = flow.open(kind=EndingKind.UNPLANNED)
    providers = [
        Provider.objects.create(name=f"Service {index}", phone=f"555-01{index:02}", email="a@b.c")
        for index in range(3)
    ]
    close_on = today() + dt.timedelta(days=21)

    content = render(
        "pdf/closing_letter.html",
        closing_letter_context(
            Workflow.refresh(termination),
            providers=providers,
            close_on=close_on,
            policy=letterhead,
            today=today(),
        ),
    )

    text = pdf_text(content)
    assert "Ada Lovelace 4 Elm Row Springfield" in text
    assert "there is nothing you need to explain" in text
    assert f"we will close your file on {close_on:%-d %B %Y}" in text
    for index in range(3):
        assert f"Service {index} Phone 555-01{index:02} · a@b.c" in text
    assert "Emergency services: call 911" in text
    assert "Whether and when to seek further care is your choice" in text
    for blaming in ("fail", "non-compliant", "dissatisf"):
        assert blaming not in text.lower()


def png(width: int, height: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), (47, 93, 98)).save(stream, format="PNG")
    return stream.getvalue()


def test_the_letterhead_prints_the_uploaded_logo(practice_admin, letterhead):
    letterhead_logo_replace(actor=practice_admin, content=png(120, 40))
    policy = type(letterhead).current()
    fetcher = pdf.make_fetcher(logo=read_logo(policy))

    content = render(
        "pdf/sample_letter.html", sample_letter_context(policy, today=today()), fetcher=fetcher
    )

    assert pdf.LOGO_URL in fetcher.requested and fetcher.refused == []
    images = PdfReader(io.BytesIO(content)).pages[0].images
    assert [image.image.size for image in images] == [(120, 40)]
