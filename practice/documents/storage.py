"""Private file storage: uploads and generated documents never get a public URL.

The local disk is the embedded default. A practice that runs several web and worker nodes sets
PRIVATE_STORAGE_BUCKET and keeps the files in an S3-compatible object store (MinIO, S3) that
every node reads, through django-storages. Either way a file is only ever served by the
permission-checked views, which read it from here."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage


def private_storage() -> Storage:
    if settings.PRIVATE_STORAGE_BUCKET:
        from storages.backends.s3 import S3Storage

        return S3Storage(**settings.PRIVATE_STORAGE_S3)
    # base_url=None: nothing here has a URL of its own.
    return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)
