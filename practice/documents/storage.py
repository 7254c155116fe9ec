"""Private file storage: uploads and generated documents never get a public URL."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    # base_url=None: files are served only through permission-checked views.
    return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)
