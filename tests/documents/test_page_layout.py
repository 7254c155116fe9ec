"""Every document at a short and a long length: a signature never starts a page alone, and the
after-care letter carries the client's name and address. With DOCUMENT_SHOTS=<folder> set, the
pages are also written there as PNGs (pdftoppm) to look at."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from practice.documents.pdf import html_to_pdf
from practice.policy.models import PracticePolicy
from termination.documents.contexts import TEMPLATES, document_context
from termination.models import DocumentKind, Reason
from tests.documents.conftest import ALL_CATEGORIES, pdf_pages, release
from tests.factories import GoalFactory, SessionFactory
from tests.sessions_app.test_ratings import alliance_answers, phq9_answers, record
from tests.termination.conftest import today

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "Came after a move to a new city, with low mood, poor sleep and worry about work. "
    "We agreed on a plan to rebuild routines, return to exercise and test anxious thoughts. "
)
SIGN_OFFS = {
    DocumentKind.CLOSING_SUMMARY: "Signed electronically by",
    DocumentKind.REFERRAL_LETTER: "Yours sincerely,",
    DocumentKind.AFTERCARE_LETTER: "With warm wishes,",
    DocumentKind.CLOSING_LETTER: "With best wishes,",
}
# The text just before the sign-off, which must share its page.
BEFORE_SIGN_OFF = {
    DocumentKind.CLOSING_SUMMARY: "",  # the block before it varies: see check_sign_off
    DocumentKind.REFERRAL_LETTER: "Please contact me at",
    DocumentKind.AFTERCARE_LETTER: "You are always welcome back",
    DocumentKind.CLOSING_LETTER: "Whether and when to seek further care",
}


def build(flow, client, *, long: bool):
    client.address = "14 Elm Street\nApartment 3B\nSpringfield, IL 62704"
    client.presenting_concerns = LONG_TEXT * (4 if long else 1)
    client.save()
    sessions = 40 if long else 3
    for index in range(sessions):
        session = SessionFactory(
            client=client, starts_at=timezone.now() - dt.timedelta(days=7 * (sessions - index))
        )
        if long and index % 4 == 0:
            days_ago = 7 * (sessions - index)
            record(flow.counselor, client, "PHQ-9", phq9_answers(20 - index // 3), days_ago)
            record(flow.counselor, client, "Alliance", alliance_answers(30 + index // 5), days_ago)
            del session
    for number in range(6 if long else 1):
        GoalFactory(client=client, description=f"Goal {number + 1}: sleep seven hours most nights")
    providers = [
        flow.provider(
            f"Dr Provider {n}",
            organisation="Eastside Community Clinic",
            specialty="depression and anxiety; evening hours",
            address="200 Main Street\nSpringfield, IL 62701",
            phone=f"(217) 555-01{n}0",
            email=f"provider{n}@clinic.example",
        )
        for n in range(5 if long else 3)
    ]
    for provider in providers:
        release(client, provider, ALL_CATEGORIES)
    planned = flow.open(client=client)
    flow.notice(planned)
    flow.reasons(planned, Reason.GOALS_MET, narrative=LONG_TEXT * (3 if long else 1))
    plan = {
        "warning_signs": "\n".join(
            f"Warning sign {n}: staying in bed past ten" for n in range(8 if long else 2)
        ),
        "triggers": "\n".join(f"Trigger {n}: deadlines at work" for n in range(6 if long else 1)),
        "coping_steps": [
            {"sign": f"Sign {n}", "step": "Walk around the block before breakfast, then call Sam."}
            for n in range(8 if long else 1)
        ],
        "support_contacts": [
            {"name": f"Friend {n}", "relation": "friend", "phone": "555-0100"}
            for n in range(4 if long else 1)
        ],
        "crisis_lines": "\n".join(
            ["988 Suicide & Crisis Lifeline", "Crisis Text Line: text HOME to 741741"]
            + (["Springfield Mobile Crisis: (217) 555-0111"] * 2 if long else [])
        ),
        "when_to_come_back": "If low mood lasts two weeks, or whenever you want to.",
    }
    flow.relapse_plan(planned, **plan)
    referral = flow.referral(planned, providers[0])
    words = LONG_TEXT * (3 if long else 1)
    flow.summary(planned, condition_at_ending=words, recommendations=words)
    flow.sign(planned)
    flow.approve(planned)
    return planned, referral, providers


def render(termination, kind, options):
    policy = PracticePolicy.current()
    context = document_context(termination, kind, options, policy=policy, today=today())
    return html_to_pdf(render_to_string(TEMPLATES[kind], context)).content


def save_pngs(content: bytes, name: str) -> None:
    folder = os.environ.get("DOCUMENT_SHOTS")
    if not folder or not shutil.which("pdftoppm"):
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    pdf = Path(folder) / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(Path(folder) / name)], check=True)
    pdf.unlink()


def check_sign_off(content: bytes, kind: str) -> None:
    pages = list(pdf_pages(content))
    (signed_page,) = [page for page in pages if SIGN_OFFS[kind] in page]
    above = signed_page.split(SIGN_OFFS[kind])[0]
    # Beyond the running header ("Confidential", the title, the client's name) and a heading.
    assert len(above) > 120, f"the sign-off of the {kind} starts a page: {above!r}"
    assert BEFORE_SIGN_OFF[kind] in above


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
def test_every_document_keeps_its_signature_with_the_text_above(flow, own_client, letterhead, long):
    planned, referral, providers = build(flow, own_client, long=long)
    length = "long" if long else "short"
    documents = {
        DocumentKind.CLOSING_SUMMARY: (planned, {}),
        DocumentKind.REFERRAL_LETTER: (
            planned,
            {
                "referral_id": referral.pk,
                "sections": ["attendance", "presenting_concerns", "goals", "measures", "summary"]
                if long
                else [],
            },
        ),
        DocumentKind.AFTERCARE_LETTER: (planned, {}),
    }
    for kind, (termination, options) in documents.items():
        content = render(termination, kind, options)
        save_pngs(content, f"{kind}-{length}")
        check_sign_off(content, kind)
        if kind == DocumentKind.AFTERCARE_LETTER:
            first = next(pdf_pages(content))
            assert "14 Elm Street Apartment 3B Springfield, IL 62704" in first
            assert own_client.display_name in first
        if kind == DocumentKind.CLOSING_SUMMARY and long:
            text = " ".join(pdf_pages(content))
            # Severity bands in the measures section and in the chart's key.
            assert "PHQ-9: 20 (severe) at first" in text
            assert "bands: 0–4 minimal · 5–9 mild" in text
        if kind == DocumentKind.REFERRAL_LETTER:
            text = " ".join(pdf_pages(content))
            assert "evening hours" not in text.split("Dear ")[1].split("Why I am referring")[0]

    from termination import services

    services.termination_withdraw(actor=flow.counselor, termination=planned, reason="Test")
    unplanned = flow.open(kind="unplanned", client=own_client)
    content = render(
        unplanned,
        DocumentKind.CLOSING_LETTER,
        {
            "close_on": (today() + dt.timedelta(days=14)).isoformat(),
            "provider_ids": [provider.pk for provider in providers],
        },
    )
    save_pngs(content, f"closing_letter-{length}")
    check_sign_off(content, DocumentKind.CLOSING_LETTER)
