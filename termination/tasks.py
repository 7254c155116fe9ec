"""Background work of an ending: rendering its documents, and tidying their files.

The render is handed out by the outbox (practice/outbox): requested in the transaction that
asks for the document, sent after commit, sent again by the outbox's sweep if it never finished.
It is idempotent (a ready document is never rendered again), so it acknowledges late and goes
back to the queue if its worker dies mid-render."""

from celery import shared_task

from practice.outbox.services import on_give_up
from practice.outbox.work import OutboxWork
from termination.documents import (
    MAX_ATTEMPTS,
    DocumentRenderFailed,
    document_render,
    documents_fail_stale,
)
from termination.documents.orphans import documents_remove_orphans
from termination.documents.services import RENDER_TASK, document_render_given_up


@shared_task(
    bind=True,
    base=OutboxWork,
    autoretry_for=(DocumentRenderFailed,),
    max_retries=MAX_ATTEMPTS - 1,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
)
def render_document(self, document_id: int) -> str:
    """Render one requested document; a failure is retried with growing waits (5 s, 10 s, ...)."""
    document = document_render(document_id, final_attempt=self.request.retries >= self.max_retries)
    return document.state


assert render_document.name == RENDER_TASK


@on_give_up(RENDER_TASK)
def _render_given_up(row) -> None:
    document_render_given_up(row.object_id, reason=row.last_error)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def fail_stale_documents() -> int:
    """Periodic: documents pending far longer than a render takes, and no longer on their way
    through the outbox, are marked failed."""
    return documents_fail_stale()


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def remove_orphan_documents() -> int:
    """Periodic: delete document files that no row names (see documents/orphans.py)."""
    return documents_remove_orphans()
