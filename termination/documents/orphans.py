"""Files of documents that no row names, removed.

A PDF is written under a temporary name (".partial-...") and renamed into place once complete
(practice/pdf.py, store_atomically); the row that names it is saved just after. A worker killed
between the two leaves a complete file that no row names, and one killed while writing leaves a
partial file. Neither is ever served; this sweep deletes both once they are old enough that no
render can still be about to record them."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings

from termination.models import Document

logger = logging.getLogger(__name__)

FOLDER = "documents"
PARTIAL_PREFIX = ".partial-"


def _document_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def documents_remove_orphans(*, older_than_seconds: int | None = None) -> int:
    """Delete document files no row names (and partial files), older than the given age;
    return how many went. A file a row names is never touched."""
    from termination.documents.services import document_storage

    storage = document_storage()
    root = Path(storage.path(FOLDER))
    age = settings.DOCUMENT_ORPHAN_AGE_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = time.time() - age
    old = [path for path in _document_files(root) if path.stat().st_mtime <= cutoff]
    names = {path: path.relative_to(root.parent).as_posix() for path in old}
    named = set(
        Document.objects.filter(file__in=list(names.values())).values_list("file", flat=True)
    )
    removed = 0
    for path, name in names.items():
        if name in named and not path.name.startswith(PARTIAL_PREFIX):
            continue
        path.unlink(missing_ok=True)
        removed += 1
        logger.info("Removed orphan document file %s", name)
    return removed
