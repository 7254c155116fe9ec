"""A real worker process takes a task from the broker and its result comes back."""

import os
import subprocess
import sys
import uuid

from celery import Celery
from django.conf import settings

from practice.celery import ping
from tests.conftest import require_service


def start_worker(queue: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "practice",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "practice.settings.test", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_task_goes_through_redis_to_a_real_worker_and_back():
    require_service("Redis", settings.REDIS_URL)
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    queue = f"test-{uuid.uuid4().hex}"  # a queue of its own: nothing else can take the task
    worker = start_worker(queue)
    try:
        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_without_redis_the_embedded_broker_needs_no_server():
    """The worker `make run` starts when REDIS_URL is unset: the filesystem broker under var/."""
    worker = start_worker(queue := f"test-{uuid.uuid4().hex}", REDIS_URL="")
    embedded = Celery("embedded")
    embedded.conf.update(
        broker_url="filesystem://",
        broker_transport_options=settings.FILESYSTEM_BROKER_OPTIONS,
        result_backend=f"file://{settings.VAR_DIR / 'celery' / 'results'}",
    )
    try:
        assert embedded.send_task("practice.celery.ping", queue=queue).get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
