"""The outbox under the faults of a bad day, with a real worker process, a real PostgreSQL test
database and a Redis server of the test's own that the test stops and starts:

1. Redis down: signing a closing summary succeeds at once; once Redis is back, the outbox's
   sweep (on the worker's beat) hands the render out again and the PDF exists within a minute.
2. A prefork pool child killed with SIGKILL in the middle of a render: the task goes back to
   the queue (acks_late, reject_on_worker_lost), another child renders it, and there is exactly
   one ready PDF and no orphan file.

They need PostgreSQL (the worker shares the test's database); without it they are skipped,
unless REQUIRE_SERVICES=1 (CI), which makes them fail instead."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection

from practice.outbox.models import OutboxState, OutboxTask
from practice.policy.models import PracticePolicy
from sessions_app.shipped_instruments import ship
from termination.models import Document, DocumentState
from tests.conftest import require_service
from tests.outbox.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_setup, django_db_blocker):
    """The flush after each test empties the rows the migrations ship; later tests (and the next
    run, with --reuse-db) expect them."""
    yield
    with django_db_blocker.unblock():
        ship(apps)
        PracticePolicy.current()


@pytest.fixture(autouse=True)
def postgresql():
    url = settings.DATABASES["default"]["NAME"] if connection.vendor == "postgresql" else ""
    require_service("PostgreSQL (the worker process must share the test's database)", url)


@pytest.fixture
def private_files(tmp_path, monkeypatch) -> FileSystemStorage:
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(PracticePolicy._meta.get_field("logo"), "storage", storage)
    return storage


@pytest.fixture
def redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def _reset_connections(app) -> None:
    """Forget the app's pools so the next send connects to the configured broker (kombu keeps
    a pool per broker URL: the other URL's pool stays usable for when it is configured again)."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_sending_to(url: str) -> Iterator[None]:
    """This process's Celery app sends to `url` (the test's own Redis) for the test's length."""
    from practice.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    app.conf.broker_url = url
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 10}
    app.conf.task_always_eager = False
    _reset_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = saved
        _reset_connections(app)


def shared_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(
    tmp_path: Path, redis: RedisServer, *, pool: str, beat: bool, **env: str
) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "practice", "worker", f"--pool={pool}"]
    command += ["--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    if beat:
        command.append("--beat")
    return subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": redis.url,
            "PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
            "OUTBOX_TEST_BEAT_FILE": str(tmp_path / "beat-schedule"),
            **env,
        },
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


def wait_for(condition: Callable[[], bool], seconds: float, what: str, log: Path) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log.exists() else ""
    pytest.fail(f"Timed out after {seconds} s waiting for {what}. Worker log:\n{tail}")


def sign(client, owner, ending):
    summary = ending.summary
    fields = {field: getattr(summary, field) for field in summary.content()}
    # The page offers the outcome given to each goal still active; the browser posts it back.
    fields |= {f"goal_outcome_{key}": value for key, value in summary.goal_outcomes.items()}
    client.force_login(owner)
    return client.post(
        f"/endings/{ending.pk}/summary/",
        fields | {"sign": "1", "version": summary.updated_at.isoformat()},
    )


def pdf_files(storage: FileSystemStorage) -> list[Path]:
    root = Path(storage.path("documents"))
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_with_redis_down_signing_succeeds_and_the_pdf_follows_its_return(
    client, owner, draft_ending, private_files, redis, tmp_path
):
    log = tmp_path / "worker.log"
    worker = start_worker(tmp_path, redis, pool="solo", beat=True, OUTBOX_SWEEP_SECONDS="2")
    try:
        with celery_sending_to(redis.url):
            redis.stop()
            started = time.monotonic()
            response = sign(client, owner, draft_ending)
            took = time.monotonic() - started
            assert response.status_code == 302, "signing must not fail with the broker down"
            assert took < 5, f"signing took {took:.1f} s with the broker down"
            document = Document.objects.get(termination=draft_ending)
            assert document.state == DocumentState.PENDING
            row = OutboxTask.objects.get(object_id=document.pk)
            assert row.state == OutboxState.PENDING and row.last_error.startswith("Not sent")

            redis.start()
            waited = wait_for(
                lambda: Document.objects.get(pk=document.pk).state == DocumentState.READY,
                60,
                "the PDF after Redis came back",
                log,
            )
    finally:
        stop_worker(worker)
    document.refresh_from_db()
    assert Path(private_files.path(document.file.name)).is_file()
    assert OutboxTask.objects.get(object_id=document.pk).state == OutboxState.DONE
    print(f"PDF ready {waited:.1f} s after Redis came back")


def test_a_pool_child_killed_mid_render_still_ends_with_one_ready_pdf(
    client, owner, draft_ending, private_files, redis, tmp_path
):
    log = tmp_path / "worker.log"
    markers = tmp_path / "markers"
    markers.mkdir()
    worker = start_worker(
        tmp_path,
        redis,
        pool="prefork",
        beat=False,
        OUTBOX_TEST_MARKERS=str(markers),
        OUTBOX_LEASE_SECONDS="600",  # the redelivery, not the sweep, must bring it back
    )
    try:
        with celery_sending_to(redis.url):
            assert sign(client, owner, draft_ending).status_code == 302
        marker = markers / "render-started"
        wait_for(marker.exists, 60, "the render to start", log)
        time.sleep(0.5)
        child = int(marker.read_text())
        assert child != worker.pid, "the render runs in a pool child"
        os.kill(child, signal.SIGKILL)
        document = Document.objects.get(termination=draft_ending)
        wait_for(
            lambda: Document.objects.get(pk=document.pk).state == DocumentState.READY,
            60,
            "the render to be given back to the queue and finished",
            log,
        )
    finally:
        stop_worker(worker)
    ready = Document.objects.filter(termination=draft_ending, state=DocumentState.READY)
    assert ready.count() == 1 and Document.objects.filter(termination=draft_ending).count() == 1
    document = ready.get()
    assert pdf_files(private_files) == [Path(private_files.path(document.file.name))]
    assert OutboxTask.objects.get(object_id=document.pk).state == OutboxState.DONE
