"""Documents through the outbox: asked for in the caller's transaction, sent again when lost,
failed for the counselor when the outbox gives up; files no row names are swept away."""

import datetime as dt
import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from practice.outbox.models import OutboxState, OutboxTask
from practice.outbox.services import outbox_sweep
from termination.documents import document_request, documents_fail_stale
from termination.documents.orphans import documents_remove_orphans
from termination.models import DocumentKind, DocumentState
from termination.tasks import render_document

pytestmark = pytest.mark.django_db


def ask(owner, termination, capture, *, execute=True):
    with capture(execute=execute):
        document = document_request(
            actor=owner, termination=termination, kind=DocumentKind.CLOSING_SUMMARY
        )
    document.refresh_from_db()
    return document


def later(seconds: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds + 1)


def test_the_render_is_an_outbox_row_of_the_request(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    document = ask(owner, signed_ending, django_capture_on_commit_callbacks, execute=False)
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.object_id) == (
        "termination.tasks.render_document",
        [document.pk],
        document.pk,
    )
    assert document.state == DocumentState.PENDING


def test_with_the_broker_down_the_request_succeeds_and_the_sweep_renders_later(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    with mock.patch.object(render_document, "apply_async", side_effect=OSError("refused")):
        document = ask(owner, signed_ending, django_capture_on_commit_callbacks)
    assert document.state == DocumentState.PENDING

    outbox_sweep()

    document.refresh_from_db()
    assert document.state == DocumentState.READY
    assert OutboxTask.objects.get().state == OutboxState.DONE


def test_a_render_still_on_its_way_is_not_marked_stale(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    document = ask(owner, signed_ending, django_capture_on_commit_callbacks, execute=False)
    type(document).objects.filter(pk=document.pk).update(
        queued_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert documents_fail_stale() == 0
    OutboxTask.objects.update(state=OutboxState.FAILED, finished_at=timezone.now())
    assert documents_fail_stale() == 1


def test_when_the_outbox_gives_up_the_document_is_failed_for_the_counselor(
    signed_ending, owner, django_capture_on_commit_callbacks
):
    with mock.patch.object(render_document, "apply_async", side_effect=OSError("refused")):
        document = ask(owner, signed_ending, django_capture_on_commit_callbacks)
        now = timezone.now()
        for _ in range(settings.OUTBOX_MAX_ATTEMPTS + 1):
            now += dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
            outbox_sweep(now=now)
    document.refresh_from_db()
    assert document.state == DocumentState.FAILED and not document.retrying
    assert "could not be generated" in document.error


def age(path: Path, seconds: int) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_the_orphan_sweep_removes_only_old_files_no_row_names(
    signed_ending, owner, private_files, django_capture_on_commit_callbacks
):
    document = ask(owner, signed_ending, django_capture_on_commit_callbacks)
    ready = Path(private_files.path(document.file.name))
    folder = ready.parent
    orphan = folder / "closing_summary-v1-0123456789abcdef.pdf"
    partial = folder / ".partial-abc123.pdf"
    young = folder / "closing_summary-v1-fedcba9876543210.pdf"
    for path in (orphan, partial, young):
        path.write_bytes(b"%PDF-1.7 half")
    hour = settings.DOCUMENT_ORPHAN_AGE_SECONDS + 60
    age(ready, hour), age(orphan, hour), age(partial, hour)

    assert documents_remove_orphans() == 2

    assert sorted(path.name for path in folder.iterdir()) == sorted([ready.name, young.name])
    document.refresh_from_db()
    assert document.state == DocumentState.READY and ready.read_bytes()


def sign_through_the_page(client, owner, ending):
    summary = ending.summary
    fields = {field: getattr(summary, field) for field in summary.content()}
    # The page offers the outcome given to each goal still active; the browser posts it back.
    fields |= {f"goal_outcome_{key}": value for key, value in summary.goal_outcomes.items()}
    client.force_login(owner)
    return client.post(
        f"/endings/{ending.pk}/summary/",
        fields | {"sign": "1", "version": summary.updated_at.isoformat()},
    )


def test_signing_and_asking_for_the_pdf_are_one_transaction(
    client, owner, draft_ending, monkeypatch
):
    def request_fails(**kwargs):
        raise RuntimeError("the request for the PDF failed")

    monkeypatch.setattr("termination.views.summary.document_request", request_fails)
    with pytest.raises(RuntimeError):
        sign_through_the_page(client, owner, draft_ending)
    draft_ending.summary.refresh_from_db()
    assert draft_ending.summary.status == "draft", "the signature went with the request"
    assert not OutboxTask.objects.exists()


def test_with_the_broker_down_signing_succeeds_with_its_pdf_on_its_way(
    client, owner, draft_ending, private_files, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(render_document, "apply_async", side_effect=OSError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = sign_through_the_page(client, owner, draft_ending)
    assert response.status_code == 302
    draft_ending.summary.refresh_from_db()
    assert draft_ending.summary.status != "draft"
    document = draft_ending.documents.get()
    assert document.state == DocumentState.PENDING
    assert OutboxTask.objects.get().state == OutboxState.PENDING
