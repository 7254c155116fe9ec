"""Asking for a document, rendering it in the task, storing it; failures and retries."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from clients.models import Consent
from practice.audit.models import AuditEvent
from termination.documents import MAX_ATTEMPTS, document_request, document_retry
from termination.documents import services as documents
from termination.models import Document, DocumentKind, DocumentState
from termination.tasks import fail_stale_documents, render_document
from tests.documents.conftest import ALL_CATEGORIES, pdf_text, release, stored_pdf
from tests.termination.conftest import Workflow, message_of, today

pytestmark = pytest.mark.django_db


def request(actor, termination, kind=DocumentKind.CLOSING_SUMMARY, options=None, capture=None):
    with capture(execute=True) as callbacks:
        document = document_request(
            actor=actor, termination=termination, kind=kind, options=options
        )
    document.refresh_from_db()
    return document, callbacks


def test_it_queues_the_render_after_commit(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = document_request(
            actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
        )

    assert document.state == DocumentState.PENDING and not document.file
    assert len(callbacks) == 1, "one render task, queued only once the request is committed"
    callbacks[0]()
    document.refresh_from_db()
    assert document.state == DocumentState.READY


def test_a_ready_document_has_its_checksum_version_and_author(
    signed_ending, owner, private_files, django_capture_on_commit_callbacks
):
    document, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)
    content = stored_pdf(document)

    assert document.state == DocumentState.READY
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size_bytes == len(content) and document.pages >= 1
    assert document.generated_by == owner and document.version == 1
    assert document.record_label == "Signed and approved summary"
    assert len(document.record_version) == 64
    assert document.file.name.startswith(f"documents/{signed_ending.client_id}/")
    assert private_files.exists(document.file.name)
    assert content.startswith(b"%PDF-")
    assert (
        AuditEvent.objects.filter(
            object_type="termination.document", object_id=str(document.pk), action="create"
        ).count()
        == 2
    ), "the request and the generation are both in the audit log"


def test_asking_again_for_an_unchanged_record_returns_the_same_document(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    first, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)
    again, callbacks = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)

    assert again.pk == first.pk and callbacks == []
    assert Document.objects.count() == 1


def test_a_changed_record_makes_a_new_version_and_leaves_the_old_file_alone(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    first, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)
    first_bytes = stored_pdf(first)
    from termination import services

    services.termination_summary_addendum(
        actor=owner, termination=signed_ending, text="Client called to say thank you."
    )
    second, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)

    assert (second.version, first.version) == (2, 1)
    assert second.file.name != first.file.name
    assert stored_pdf(first) == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == Document.objects.get(pk=first.pk).sha256
    assert "Client called to say thank you." in pdf_text(stored_pdf(second))
    assert "Client called to say thank you." not in pdf_text(first_bytes)


def test_the_database_refuses_to_change_a_ready_document(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    document, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)

    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(sha256="0" * 64)


def test_only_the_counselor_asks_for_documents(
    signed_ending, supervisor, outsider_supervisor, colleague, practice_admin
):
    for actor in (outsider_supervisor, colleague, practice_admin):
        with pytest.raises(ValidationError, match="Only the client's counselor"):
            document_request(
                actor=actor, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
            )
    with pytest.raises(ValidationError, match="Only the client's counselor"):
        document_request(
            actor=supervisor, termination=signed_ending, kind=DocumentKind.AFTERCARE_LETTER
        )
    assert not Document.objects.exists()


def test_the_approving_supervisor_may_produce_the_summary_pdf(
    flow, supervisor, django_capture_on_commit_callbacks
):
    """What the one-line hook in termination_summary_approve will do, as the supervisor."""
    termination = flow.signed(flow.open())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        flow.approve(termination)
        document_request(
            actor=supervisor, termination=termination, kind=DocumentKind.CLOSING_SUMMARY
        )

    document = Document.objects.get()
    assert document.generated_by == supervisor and document.state == DocumentState.READY
    assert "Approved by supervisor Sofia Super" in pdf_text(stored_pdf(document))


def test_the_approval_makes_a_new_signed_version(
    flow, owner, supervisor, own_client, django_capture_on_commit_callbacks
):
    termination = flow.signed(flow.open())
    awaiting, _ = request(owner, termination, capture=django_capture_on_commit_callbacks)
    flow.approve(termination)
    approved, _ = request(owner, termination, capture=django_capture_on_commit_callbacks)

    awaiting_text = pdf_text(stored_pdf(awaiting))
    approved_text = pdf_text(stored_pdf(approved))
    assert "Awaiting the supervisor's approval." in awaiting_text
    assert "Approved by supervisor Sofia Super" not in awaiting_text
    assert "Approved by supervisor Sofia Super" in approved_text
    assert approved.version == 2


def test_a_failed_render_is_retried_then_reported_and_leaves_no_file(
    signed_ending, owner, private_files, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def broken(html, **kwargs):
        calls.append(1)
        raise RuntimeError("Pango ran out of memory")

    monkeypatch.setattr(documents, "html_to_pdf", broken)
    document, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)

    assert len(calls) == MAX_ATTEMPTS, "the task tried again with backoff before giving up"
    assert document.state == DocumentState.FAILED
    assert document.attempts == MAX_ATTEMPTS and not document.retrying
    assert document.error == "RuntimeError: Pango ran out of memory"
    assert not document.file and not document.sha256
    folder = Path(private_files.path("documents"))
    assert not folder.exists() or not any(path.is_file() for path in folder.rglob("*"))


def test_a_retry_after_failure_produces_the_pdf(
    signed_ending, owner, monkeypatch, django_capture_on_commit_callbacks
):
    real = documents.html_to_pdf
    monkeypatch.setattr(documents, "html_to_pdf", lambda html, **kw: 1 / 0)
    failed, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)
    monkeypatch.setattr(documents, "html_to_pdf", real)

    with django_capture_on_commit_callbacks(execute=True):
        document_retry(actor=owner, document=failed)

    failed.refresh_from_db()
    assert failed.state == DocumentState.READY and failed.error == ""
    assert failed.attempts == MAX_ATTEMPTS + 1


def test_asking_again_after_a_failure_retries_the_same_version(
    signed_ending, owner, monkeypatch, django_capture_on_commit_callbacks
):
    real = documents.html_to_pdf
    monkeypatch.setattr(documents, "html_to_pdf", lambda html, **kw: 1 / 0)
    failed, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)
    monkeypatch.setattr(documents, "html_to_pdf", real)

    again, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)

    assert again.pk == failed.pk and again.state == DocumentState.READY


def test_only_a_failed_document_can_be_retried(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    document, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Only a document that failed"):
        document_retry(actor=owner, document=document)


def test_a_release_revoked_before_the_render_stops_the_letter_for_good(
    flow, owner, own_client, django_capture_on_commit_callbacks
):
    termination = flow.open()
    referral = flow.referral(termination, flow.provider("Dr Rosa Rivera"))
    consent = release(own_client, referral.provider, ALL_CATEGORIES)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = document_request(
            actor=owner,
            termination=termination,
            kind=DocumentKind.REFERRAL_LETTER,
            options={"referral_id": referral.pk, "sections": ["attendance"]},
        )
    Consent.objects.filter(pk=consent.pk).update(revoked_on=today())

    callbacks[0]()

    document.refresh_from_db()
    assert document.state == DocumentState.FAILED and not document.retrying
    assert document.attempts == 1, "a refusal from the record is not retried"
    assert "The release to Dr Rosa Rivera revoked" in document.error


def test_a_referral_letter_request_names_the_missing_consent(flow, owner):
    termination = flow.open()
    referral = flow.referral(termination, flow.provider("Dr Rosa Rivera"))

    with pytest.raises(ValidationError) as refused:
        document_request(
            actor=owner,
            termination=termination,
            kind=DocumentKind.REFERRAL_LETTER,
            options={"referral_id": referral.pk, "sections": []},
        )

    assert "No release of information names Dr Rosa Rivera." in message_of(refused.value)
    assert not Document.objects.exists()


def test_each_kind_of_document_renders_to_a_readable_pdf(
    flow, owner, own_client, django_capture_on_commit_callbacks
):
    own_client.address = "4 Elm Row\nSpringfield"
    own_client.save()
    planned = Workflow.refresh(flow.prepared(flow.open()))
    referral = flow.referral(planned, flow.provider("Dr Rosa Rivera", phone="555-0100"))
    release(own_client, referral.provider, ALL_CATEGORIES)
    providers = [
        flow.provider(f"Service {index}", phone=f"555-01{index:02}").pk for index in range(3)
    ]
    services_done = [
        (planned, DocumentKind.AFTERCARE_LETTER, {}, "Looking after yourself from here"),
        (
            planned,
            DocumentKind.REFERRAL_LETTER,
            {"referral_id": referral.pk, "sections": ["attendance", "goals"]},
            "Why I am referring",
        ),
    ]
    for termination, kind, options, expected in services_done:
        document, _ = request(
            owner, termination, kind, options, capture=django_capture_on_commit_callbacks
        )
        assert document.state == DocumentState.READY, document.error
        assert expected in pdf_text(stored_pdf(document))
    from termination import services

    services.termination_withdraw(actor=owner, termination=planned, reason="Continuing")
    unplanned = flow.open(kind="unplanned")
    document, _ = request(
        owner,
        unplanned,
        DocumentKind.CLOSING_LETTER,
        {"close_on": (today() + dt.timedelta(days=21)).isoformat(), "provider_ids": providers},
        capture=django_capture_on_commit_callbacks,
    )
    assert document.state == DocumentState.READY, document.error
    assert "we will close your file on" in pdf_text(stored_pdf(document))


def files_under(storage, folder: str) -> list[Path]:
    root = Path(storage.path(folder))
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_disk_failure_while_writing_leaves_no_partial_file(
    signed_ending, owner, private_files, monkeypatch, django_capture_on_commit_callbacks
):
    from practice.documents import pdf

    def full_disk(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf.os, "fsync", full_disk)
    document, _ = request(owner, signed_ending, capture=django_capture_on_commit_callbacks)

    assert document.state == DocumentState.FAILED
    assert "No space left on device" in document.error
    assert files_under(private_files, "documents") == []


def test_a_database_failure_after_writing_removes_the_new_file(
    signed_ending, owner, private_files, monkeypatch, django_capture_on_commit_callbacks
):
    def audit_down(**kwargs):
        raise RuntimeError("audit database unavailable")

    monkeypatch.setattr(documents, "audit_record", audit_down)
    with django_capture_on_commit_callbacks(execute=True):
        document = Document.objects.create(
            termination=signed_ending,
            kind=DocumentKind.CLOSING_SUMMARY,
            version=1,
            record_version="0" * 64,
            generated_by=owner,
        )
        transaction.on_commit(lambda: render_document.delay(document.pk))

    document.refresh_from_db()
    assert document.state == DocumentState.FAILED and document.attempts == MAX_ATTEMPTS
    assert "audit database unavailable" in document.error
    assert files_under(private_files, "documents") == []


def test_a_document_never_picked_up_can_be_queued_again(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(
            actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
        )
    with pytest.raises(ValidationError, match="waiting for more than 10 minutes"):
        document_retry(actor=owner, document=document)
    Document.objects.filter(pk=document.pk).update(
        queued_at=timezone.now() - dt.timedelta(minutes=11)
    )

    with django_capture_on_commit_callbacks(execute=True):
        document_request(actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY)

    document.refresh_from_db()
    assert document.state == DocumentState.READY
    assert Document.objects.count() == 1


def test_the_sweep_marks_lost_renders_failed(signed_ending, owner):
    fresh = document_request(
        actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
    )
    lost = Document.objects.create(
        termination=signed_ending,
        kind=DocumentKind.AFTERCARE_LETTER,
        version=1,
        record_version="1" * 64,
        generated_by=owner,
    )
    Document.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - dt.timedelta(hours=1))

    assert fail_stale_documents.delay().get() == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.state == DocumentState.FAILED and "no worker picked it up" in lost.error
    assert fresh.state == DocumentState.PENDING


def test_each_version_says_what_it_was_made_from(flow, owner, own_client):
    termination = flow.open()
    referral = flow.referral(termination, flow.provider("Dr Rosa Rivera"))
    release(own_client, referral.provider, ALL_CATEGORIES)

    document = document_request(
        actor=owner,
        termination=termination,
        kind=DocumentKind.REFERRAL_LETTER,
        options={"referral_id": referral.pk, "sections": ["goals", "attendance"]},
    )

    assert document.record_label == (
        "Shares: Dates of service and attendance, Treatment goals and progress"
    )
    assert document.options == {"referral_id": referral.pk, "sections": ["attendance", "goals"]}


def test_the_summary_pdf_can_be_asked_for_inside_the_signing_transaction(
    flow, owner, django_capture_on_commit_callbacks
):
    """What the one-line hook in termination_summary_sign will do: the request commits or rolls
    back with the signature, and the render is queued only after the commit."""
    termination = flow.prepared(flow.open())
    flow.summary(termination)
    with pytest.raises(RuntimeError), transaction.atomic():
        flow.sign(termination)
        document_request(actor=owner, termination=termination, kind=DocumentKind.CLOSING_SUMMARY)
        raise RuntimeError("signing failed after the request")
    assert not Document.objects.exists()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        flow.sign(termination)
        document_request(actor=owner, termination=termination, kind=DocumentKind.CLOSING_SUMMARY)
        assert callbacks == [], "nothing is queued before the commit"

    document = Document.objects.get()
    assert document.state == DocumentState.READY
    assert "Signed electronically by Olivia Owner, LPC" in pdf_text(stored_pdf(document))


def test_download_names_are_plain_ascii():
    from practice.documents.pdf import safe_file_name

    name = safe_file_name("closing-summary", '<b>"\r\nÅda', "../../etc/passwd", "v1")
    assert name == "closing-summary-b-ada-etcpasswd-v1.pdf"
    assert safe_file_name("", "") == "document.pdf"
