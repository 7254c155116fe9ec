"""Beyond one machine: two web processes (gunicorn, production settings) on two ports and a
Celery worker, against one PostgreSQL database, one Redis of the test's own and one object store
(moto's S3 server). A closing summary asked for through one node is rendered by the worker and
downloaded through the other: no file lives on a node's own disk."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import reverse
from moto.server import ThreadedMotoServer

from practice.bench.pages import Server, request, signed_in_cookie
from practice.policy.models import PracticePolicy
from sessions_app.shipped_instruments import ship
from termination.models import Document, DocumentKind, DocumentState
from tests.conftest import require_service
from tests.outbox.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "practice-private"


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ship(apps)
        PracticePolicy.current()


@pytest.fixture
def environment(tmp_path):
    """What every node is given: the shared database, broker and object store."""
    url = settings.DATABASES["default"]["NAME"] if connection.vendor == "postgresql" else ""
    require_service("PostgreSQL (the nodes must share the test's database)", url)
    redis = RedisServer(tmp_path).start()
    store = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    store.start()
    host, port = store.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s",
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)  # fmt: skip
    db = connection.settings_dict
    yield {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis.url,
        "PRIVATE_STORAGE_BUCKET": BUCKET,
        "PRIVATE_STORAGE_ENDPOINT_URL": endpoint,
        "PRIVATE_STORAGE_ACCESS_KEY": "k",
        "PRIVATE_STORAGE_SECRET_KEY": "s",
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "no-node-disk"),
        "EMAIL_URL": "consolemail://",
    }
    store.stop()
    redis.stop()


def start_worker(env: dict[str, str], tmp_path: Path) -> subprocess.Popen:
    server_env = Server(env=env).environment()
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "practice", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=server_env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_pdf_asked_for_on_one_node_is_downloaded_from_the_other(
    environment, tmp_path, owner, signed_ending
):
    cookie = signed_in_cookie(owner)
    csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked token
    worker = start_worker(environment, tmp_path)
    try:
        with (
            Server(workers=1, env=environment) as first,
            Server(workers=1, env=environment) as second,
        ):
            path = reverse("document_new", args=[signed_ending.pk, "closing-summary"])
            response, _ = request(
                first.port, path, f"{cookie}; csrftoken={csrf}", method="POST",
                body=f"csrfmiddlewaretoken={csrf}",
            )  # fmt: skip
            assert response.status == 302, response.status
            document = Document.objects.get(
                termination=signed_ending, kind=DocumentKind.CLOSING_SUMMARY
            )
            deadline = time.monotonic() + 90
            while document.state != DocumentState.READY and time.monotonic() < deadline:
                time.sleep(0.5)
                document.refresh_from_db()
            assert document.state == DocumentState.READY

            download = reverse("document_download", args=[document.pk])
            response, body = request(second.port, download, cookie)
            assert response.status == 200
            assert response.getheader("Cache-Control").startswith("no-store")
            assert body.startswith(b"%PDF")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert not os.path.exists(environment["PRIVATE_STORAGE_ROOT"])  # nothing on a node's disk
