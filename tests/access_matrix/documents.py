"""Documents: the PDFs of an ending and the letterhead. Readers of the client's clinical record
(the counselor and their supervisor) see and download; only the counselor asks for documents;
the practice admin never sees a letter, only the letterhead pages."""

import hashlib

from django.core.files.base import ContentFile

from termination.models import Document, DocumentKind, DocumentState, Termination
from tests.access_matrix import ObjectUrl
from tests.factories import ClientFactory

OWNER = frozenset({"owner"})
READERS = frozenset({"owner", "supervisor"})
PDF = b"%PDF-1.7\n% a stand-in for a generated document\n%%EOF\n"


def ending(owner) -> Termination:
    client = ClientFactory(primary_counselor=owner)
    return Termination.objects.create(
        client=client, kind="unplanned", initiated_by="client", opened_by=owner
    )


def document(owner, state: str) -> Document:
    item = Document(
        termination=ending(owner),
        kind=DocumentKind.CLOSING_SUMMARY,
        version=1,
        record_version="0" * 64,
        generated_by=owner,
        state=state,
        error="" if state == DocumentState.READY else "Render failed",
    )
    if state == DocumentState.READY:
        # One shared stand-in file, so walking the matrix does not pile up files.
        storage = Document._meta.get_field("file").storage
        name = "documents/access-matrix.pdf"
        if not storage.exists(name):
            storage.save(name, ContentFile(PDF))
        item.file.name = name
        item.sha256 = hashlib.sha256(PDF).hexdigest()
    item.save()
    return item


def client_kwargs(owner, **_) -> dict:
    return {"client_pk": ClientFactory(primary_counselor=owner).pk}


def new_document_kwargs(kind: str):
    return lambda owner, **_: {"pk": ending(owner).pk, "kind": kind}


def ready_document(owner, **_) -> dict:
    return {"pk": document(owner, DocumentState.READY).pk}


def failed_document(owner, **_) -> dict:
    return {"pk": document(owner, DocumentState.FAILED).pk}


ROLE_PAGES: dict[str, set[str]] = {
    "letterhead": {"practice_admin"},
    "letterhead_preview": {"practice_admin"},
}
OBJECT_URLS: list[ObjectUrl] = [
    ObjectUrl("client_documents", client_kwargs, READERS),
    *[
        ObjectUrl("document_new", new_document_kwargs(kind), OWNER)
        for kind in ("closing-summary", "referral-letter", "aftercare-letter", "closing-letter")
    ],
    ObjectUrl("document_new", new_document_kwargs("closing-letter"), OWNER, method="post"),
    ObjectUrl("document_download", ready_document, READERS),
    ObjectUrl("document_retry", failed_document, OWNER, method="post"),
]
