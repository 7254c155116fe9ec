"""The services that move a Document through its states, one service per move:

    document_request ──▶ pending ──document_render──▶ ready   (file and SHA-256 never change)
                           ▲                    └───▶ failed  (error and attempt count; the task
                           └──── document_retry ◀──┘           retries with backoff by itself)

and the letterhead logo the documents print.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clients.models import Client
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.documents.pdf import html_to_pdf, safe_file_name, store_atomically
from practice.outbox.models import OutboxTask
from practice.outbox.services import outbox_enqueue
from practice.policy.models import PolicyChange, PracticePolicy
from practice.staff.models import User
from termination import dates
from termination.documents.contexts import (
    TEMPLATES,
    clean_options,
    document_context,
    record_label,
    record_version,
)
from termination.models import (
    DOCUMENT_STALE_AFTER_SECONDS,
    Document,
    DocumentKind,
    DocumentState,
    Termination,
)

# The letters that go to the client, always in the client's language of correspondence.
TO_THE_CLIENT = (DocumentKind.AFTERCARE_LETTER, DocumentKind.CLOSING_LETTER)

# One render plus three retries with backoff (the task's max_retries is one less).
MAX_ATTEMPTS = 4


def _ensure_editor(actor: User, termination: Termination, kind: str = "") -> None:
    """The client's counselor produces every document; the supervisor who approves the closing
    summary may also produce the summary's PDF (the approval hook does so)."""
    if Client.objects.editable_by(actor).filter(pk=termination.client_id).exists():
        return
    counselor = termination.client.primary_counselor
    if kind == DocumentKind.CLOSING_SUMMARY and actor.is_supervisor and actor.supervises(counselor):
        return
    raise ValidationError(_("Only the client's counselor can produce the ending's documents."))


# The Celery task that renders (termination/tasks.py), named here so that asking for a document
# does not import the tasks module (which imports this one).
RENDER_TASK = "termination.tasks.render_document"


def _queue_render(document: Document) -> None:
    """The render goes through the outbox: its row is part of the caller's transaction."""
    document.queued_at = timezone.now()
    Document.objects.filter(pk=document.pk).update(queued_at=document.queued_at)
    outbox_enqueue(task=RENDER_TASK, args=[document.pk], object_id=document.pk)


def document_request(
    *,
    actor: User,
    termination: Termination,
    kind: str,
    options: dict | None = None,
    language: str | None = None,
    request: HttpRequest | None = None,
) -> Document:
    """Ask for a document. The facts are checked now (consents, the relapse plan, ...) so the
    counselor hears at once what is missing; the PDF is made by a task after commit. Asking again
    for an unchanged record returns the copy already made or on its way.

    Letters to the client are in the client's language of correspondence; the closing summary
    and the referral letter in ``language``, the practice's by default. Each language has its
    own versions."""
    with transaction.atomic():
        termination = (
            Termination.objects.select_for_update()
            .select_related("client__primary_counselor")
            .get(pk=termination.pk)
        )
        _ensure_editor(actor, termination, kind)
        if kind not in DocumentKind.values:
            raise ValidationError(_("Unknown kind of document."))
        chosen = clean_options(termination, kind, options or {})
        policy = PracticePolicy.current()
        language = document_language(termination, kind, language, policy=policy)
        with translation.override(language):
            context = document_context(
                termination, kind, chosen, policy=policy, today=timezone.localdate()
            )
            version_of_record = record_version(context)
            label = record_label(termination, kind, chosen)
        referral_id = chosen.get("referral_id")
        latest = (
            Document.objects.select_for_update()
            .filter(termination=termination, kind=kind, referral_id=referral_id, language=language)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.record_version == version_of_record:
            if latest.state == DocumentState.FAILED or latest.is_stale:
                return document_retry(actor=actor, document=latest, request=request)
            return latest
        document = Document.objects.create(
            termination=termination,
            kind=kind,
            referral_id=referral_id,
            version=latest.version + 1 if latest else 1,
            language=language,
            options=chosen,
            record_version=version_of_record,
            record_label=label,
            stated_dates=stated_dates(termination, kind, chosen, policy=policy),
            generated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=document,
            client_id=termination.client_id,
            summary=f"Requested {document.get_kind_display().lower()} v{document.version}",
            request=request,
        )
        _queue_render(document)
    return document


def document_language(
    termination: Termination, kind: str, chosen: str | None, *, policy: PracticePolicy
) -> str:
    """The language a document is written in (see document_request)."""
    if kind in TO_THE_CLIENT:
        return termination.client.language
    if chosen is not None and chosen not in dict(settings.LANGUAGES):
        raise ValidationError({"language": "Choose English or French."})
    return chosen or policy.language


def document_retry(
    *, actor: User, document: Document, request: HttpRequest | None = None
) -> Document:
    """A failed document, or one whose render was never picked up, goes back to the queue."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update()
            .select_related("termination__client__primary_counselor")
            .get(pk=document.pk)
        )
        _ensure_editor(actor, document.termination, document.kind)
        if not (document.state == DocumentState.FAILED or document.is_stale):
            raise ValidationError(
                _(
                    "Only a document that failed, or one waiting for more than %(minutes)s "
                    "minutes, can be tried again."
                )
                % {"minutes": DOCUMENT_STALE_AFTER_SECONDS // 60}
            )
        document.state, document.error, document.retrying = DocumentState.PENDING, "", False
        document.save(update_fields=["state", "error", "retrying"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=document,
            client_id=document.termination.client_id,
            summary="Document queued again after a failure",
            request=request,
        )
        _queue_render(document)
    return document


def documents_fail_stale() -> int:
    """Mark documents whose render was never picked up as failed, so the counselor sees it and
    can try again (a periodic sweep; nothing is rendered here)."""
    cutoff = timezone.now() - dt.timedelta(seconds=DOCUMENT_STALE_AFTER_SECONDS)
    waiting_since = Coalesce("queued_at", "requested_at")
    on_their_way = OutboxTask.objects.open().filter(task=RENDER_TASK).values("object_id")
    stale = (
        Document.objects.alias(waiting_since=waiting_since)
        .filter(state=DocumentState.PENDING, waiting_since__lt=cutoff)
        .exclude(pk__in=on_their_way)
    )
    return stale.update(
        state=DocumentState.FAILED,
        retrying=False,
        error="The document was never generated: no worker picked it up. Try again.",
    )


def document_render_given_up(document_id: int | None, *, reason: str) -> None:
    """The outbox gave up on a render (handed out again and again, never finished): the
    counselor sees the document failed and can try again."""
    Document.objects.filter(pk=document_id, state=DocumentState.PENDING).update(
        state=DocumentState.FAILED,
        retrying=False,
        error=f"The document could not be generated. Try again. ({reason})"[:500],
    )


def stated_dates(
    termination: Termination, kind: str, options: dict, *, policy: PracticePolicy
) -> dict:
    current = dates.ending_dates(termination, policy, today=timezone.localdate())
    return dates.document_dates(kind, current, options)


def document_storage():
    """Where PDFs live: the private storage of Document.file (never a public URL)."""
    return Document._meta.get_field("file").storage


def logo_storage():
    return PracticePolicy._meta.get_field("logo").storage


class DocumentRenderFailed(Exception):
    """Rendering or storing failed for a reason a later attempt may not meet (the task retries)."""


def read_logo(policy: PracticePolicy) -> bytes | None:
    if not policy.logo:
        return None
    try:
        with policy.logo.open("rb") as stream:
            return stream.read()
    except OSError:
        return None


def render_html(document: Document, *, policy: PracticePolicy, today: dt.date) -> tuple[str, str]:
    """The document's HTML and the version of the record it was built from, as of today, in the
    document's language."""
    with translation.override(document.language):
        context = document_context(
            document.termination, document.kind, document.options, policy=policy, today=today
        )
        # A copy: tags such as {% get_current_language as ... %} must not add to the facts.
        html = render_to_string(TEMPLATES[document.kind], dict(context))
        return html, record_version(context)


def document_render(document_id: int, *, final_attempt: bool = True) -> Document:
    """Render and store the PDF; mark the document ready, or failed with the reason. A refusal
    from the record (a consent revoked since the request) is final; anything else raises
    DocumentRenderFailed so the task tries again. Nothing half-written is ever left behind."""
    document = Document.objects.select_related(
        "termination__client__primary_counselor", "generated_by"
    ).get(pk=document_id)
    if document.state == DocumentState.READY:
        return document  # a duplicate task: the PDF exists and never changes
    try:
        return _render_and_store(document)
    except ValidationError as refusal:
        return _mark_failed(document, " ".join(refusal.messages), retrying=False)
    except Exception as error:  # WeasyPrint, a full disk, the database: worth another try
        _mark_failed(document, _describe(error), retrying=not final_attempt)
        raise DocumentRenderFailed(_describe(error)) from error


def _render_and_store(document: Document) -> Document:
    policy = PracticePolicy.current()
    html, version_of_record = render_html(document, policy=policy, today=timezone.localdate())
    rendered = html_to_pdf(html, logo=read_logo(policy))
    storage = document_storage()
    client = document.termination.client
    name = store_atomically(
        storage,
        f"documents/{client.pk}/{document.kind}-v{document.version}-{uuid.uuid4().hex}.pdf",
        rendered.content,
    )
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.state == DocumentState.READY:  # another worker finished first
                storage.delete(name)
                return locked
            locked.file.name = name
            locked.sha256 = hashlib.sha256(rendered.content).hexdigest()
            locked.size_bytes, locked.pages = len(rendered.content), rendered.pages
            locked.record_version = version_of_record
            locked.stated_dates = stated_dates(
                document.termination, document.kind, document.options, policy=policy
            )
            locked.state, locked.error, locked.retrying = DocumentState.READY, "", False
            locked.attempts = F("attempts") + 1
            locked.generated_at = timezone.now()
            locked.save()
            audit_record(
                actor=None,
                username="document worker",
                action=AuditEvent.Action.CREATE,
                obj=locked,
                client_id=client.pk,
                summary=f"Generated {locked.get_kind_display().lower()} v{locked.version} PDF",
            )
    except BaseException:
        storage.delete(name)
        raise
    locked.refresh_from_db()
    return locked


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _mark_failed(document: Document, reason: str, *, retrying: bool) -> Document:
    Document.objects.filter(pk=document.pk).exclude(state=DocumentState.READY).update(
        state=DocumentState.FAILED,
        error=reason[:500],
        retrying=retrying,
        attempts=F("attempts") + 1,
    )
    document.refresh_from_db()
    return document


def download_name(document: Document) -> str:
    client = document.termination.client
    return safe_file_name(
        document.kind.replace("_", "-"),
        client.initials,
        str(client.pk),
        f"v{document.version}",
        document.language,
    )


# The letterhead logo ----------------------------------------------------------------------------


def letterhead_logo_replace(
    *,
    actor: User,
    content: bytes | None,
    extension: str = "png",
    request: HttpRequest | None = None,
) -> PracticePolicy:
    """Store a new letterhead logo (already checked by the form), or remove it (content None).
    The old file goes once the change is committed."""
    if not actor.is_practice_admin:
        raise ValidationError(_("Only the practice admin sets the letterhead."))
    storage = logo_storage()
    new_name = (
        store_atomically(storage, f"letterhead/logo-{uuid.uuid4().hex}.{extension}", content)
        if content
        else ""
    )
    try:
        with transaction.atomic():
            policy = PracticePolicy.objects.select_for_update().get(pk=PracticePolicy.current().pk)
            old_name = policy.logo.name or ""
            PracticePolicy.objects.filter(pk=policy.pk).update(
                logo=new_name, updated_at=timezone.now()
            )
            PolicyChange.objects.create(
                changed_by=actor, field="logo", old_value=old_name, new_value=new_name
            )
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=policy,
                summary="Replaced the letterhead logo"
                if new_name
                else "Removed the letterhead logo",
                request=request,
            )
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if new_name:
            storage.delete(new_name)
        raise
    return PracticePolicy.current()
