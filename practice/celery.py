"""The one Celery app for the project. Broker: Redis if REDIS_URL is set, else the filesystem."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.local")

app = Celery("practice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # <app>.tasks of every installed app
app.autodiscover_tasks(["practice.reminders", "practice.administration"])  # inside practice/


@app.task
def ping() -> str:
    """Answers 'pong': lets a health check see a task go through the broker to a worker."""
    return "pong"


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport needs its folders before the first message is sent."""
    from django.conf import settings

    options = settings.FILESYSTEM_BROKER_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(options[key]).mkdir(parents=True, exist_ok=True)
    Path(settings.VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
