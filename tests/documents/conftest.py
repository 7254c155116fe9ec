"""Endings ready for their documents, private storage in a temporary folder, Celery run eagerly,
and helpers to read a PDF's text."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.files.storage import FileSystemStorage
from pypdf import PdfReader

from clients.models import Consent, ConsentKind, InformationCategory
from practice.policy.models import PracticePolicy
from termination.models import Document, Provider, Termination
from tests.factories import GoalFactory, SessionFactory
from tests.termination.conftest import Workflow, today


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch) -> FileSystemStorage:
    """Generated PDFs and the logo go to a folder of this test only."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(PracticePolicy._meta.get_field("logo"), "storage", storage)
    return storage


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from practice.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def letterhead(policy) -> PracticePolicy:
    PracticePolicy.objects.filter(pk=1).update(
        practice_name="Harbour Counseling",
        address="12 Harbour Street\nSpringfield, IL 62701",
        phone="(217) 555-0142",
        email="office@harbour.example",
        letter_footer="Harbour Counseling LLC · Licensed professional counselors",
    )
    return PracticePolicy.current()


@pytest.fixture
def flow(owner, supervisor, own_client, letterhead) -> Workflow:
    return Workflow(counselor=owner, supervisor=supervisor, client=own_client)


def with_history(client, sessions: int = 3) -> None:
    for index in range(sessions):
        SessionFactory(client=client, starts_at=at(10 + 7 * (sessions - index)))
    GoalFactory(client=client, description="Sleep through the night")


def at(days_ago: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.now() - dt.timedelta(days=days_ago)


@pytest.fixture
def signed_ending(flow, own_client) -> Termination:
    """A planned ending with sessions, a goal, a referral and a signed, approved summary."""
    with_history(own_client)
    termination = flow.open()
    flow.referral(termination, flow.provider("Dr Rosa Rivera", phone="(217) 555-0190"))
    return flow.ready_to_close(termination)


@pytest.fixture
def draft_ending(flow, own_client) -> Termination:
    with_history(own_client)
    termination = flow.open()
    flow.prepared(termination)
    flow.summary(termination)
    return Workflow.refresh(termination)


def release(client, provider: Provider, information: list[str], **values) -> Consent:
    arguments = {
        "signed_on": today() - dt.timedelta(days=10),
        "recipient_name": provider.name,
        "recipient_organisation": provider.organisation,
        "information": information,
    }
    arguments.update(values)
    return Consent.objects.create(
        client=client, kind=ConsentKind.RELEASE, recorded_by=client.primary_counselor, **arguments
    )


ALL_CATEGORIES = list(InformationCategory.values)


def pdf_text(content: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(content: bytes) -> Iterator[str]:
    for page in PdfReader(io.BytesIO(content)).pages:
        yield " ".join((page.extract_text() or "").split())


def stored_pdf(document: Document) -> bytes:
    document.refresh_from_db()
    with document.file.open("rb") as stream:
        return stream.read()
