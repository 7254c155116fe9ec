"""Make sure the private object store has its bucket (docker-compose runs this before the web
server starts). Without PRIVATE_STORAGE_BUCKET the files stay on the local disk: nothing to do."""

from django.conf import settings
from django.core.management.base import BaseCommand

from practice.documents.storage import private_storage


class Command(BaseCommand):
    help = "Create the private files bucket in the object store if it is missing."

    def handle(self, *args, **options) -> None:
        if not settings.PRIVATE_STORAGE_BUCKET:
            self.stdout.write("Private files are on the local disk; no bucket to prepare.")
            return
        bucket = private_storage().bucket
        client = bucket.meta.client
        existing = {found["Name"] for found in client.list_buckets().get("Buckets", [])}
        if bucket.name in existing:
            self.stdout.write(f"The bucket {bucket.name} is there.")
            return
        bucket.create()
        self.stdout.write(f"Created the bucket {bucket.name}.")
