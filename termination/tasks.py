"""Background work of an ending: rendering its documents."""

from celery import shared_task

from termination.documents import (
    MAX_ATTEMPTS,
    DocumentRenderFailed,
    document_render,
    documents_fail_stale,
)


@shared_task(
    bind=True,
    autoretry_for=(DocumentRenderFailed,),
    max_retries=MAX_ATTEMPTS - 1,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    acks_late=True,
)
def render_document(self, document_id: int) -> str:
    """Render one requested document; a failure is retried with growing waits (5 s, 10 s, ...)."""
    document = document_render(document_id, final_attempt=self.request.retries >= self.max_retries)
    return document.state


@shared_task
def fail_stale_documents() -> int:
    """Periodic: documents pending far longer than a render takes are marked failed."""
    return documents_fail_stale()
