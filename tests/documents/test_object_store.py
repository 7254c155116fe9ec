"""Private files in an S3-compatible object store (moto's S3 server, started by the test):
a generated PDF lands in the bucket, is downloaded through the permission-checked view, and no
object has a public ACL."""

from __future__ import annotations

import io

import boto3
import pytest
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from practice.documents.storage import private_storage
from practice.policy.models import PracticePolicy
from termination.documents import document_request
from termination.models import Document, DocumentKind, DocumentState

pytestmark = pytest.mark.django_db
BUCKET = "practice-private-test"


@pytest.fixture
def object_store(settings, monkeypatch):
    """An S3 server of the test's own, the settings that point at it, and the bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    settings.PRIVATE_STORAGE_BUCKET = BUCKET
    settings.PRIVATE_STORAGE_S3 = {
        **settings.PRIVATE_STORAGE_S3,
        "bucket_name": BUCKET,
        "endpoint_url": f"http://{host}:{port}",
        "access_key": "test-key",
        "secret_key": "test-secret",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://{host}:{port}",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=BUCKET)
    storage = private_storage()
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(PracticePolicy._meta.get_field("logo"), "storage", storage)
    yield s3
    server.stop()


def test_the_settings_choose_the_object_store(object_store):
    assert isinstance(private_storage(), S3Storage)


def test_a_pdf_goes_to_the_bucket_and_comes_back_through_the_view(
    object_store, client, owner, signed_ending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            actor=owner, termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
        )
    document.refresh_from_db()
    assert document.state == DocumentState.READY
    (stored,) = object_store.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert stored["Key"] == document.file.name
    body = object_store.get_object(Bucket=BUCKET, Key=stored["Key"])["Body"].read()
    assert body.startswith(b"%PDF")
    grants = object_store.get_object_acl(Bucket=BUCKET, Key=stored["Key"])["Grants"]
    assert not [grant for grant in grants if "AllUsers" in str(grant.get("Grantee"))]

    client.force_login(owner)
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == (
        body
    )


def test_storage_prepare_creates_the_missing_bucket_once(object_store, settings):
    settings.PRIVATE_STORAGE_S3 = {**settings.PRIVATE_STORAGE_S3, "bucket_name": "fresh-bucket"}
    first, second = io.StringIO(), io.StringIO()
    call_command("storage_prepare", stdout=first)
    call_command("storage_prepare", stdout=second)
    names = {bucket["Name"] for bucket in object_store.list_buckets()["Buckets"]}
    assert "fresh-bucket" in names
    assert "Created the bucket fresh-bucket" in first.getvalue()
    assert "is there" in second.getvalue()
