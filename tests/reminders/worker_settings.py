"""Settings of the Celery worker process that the worker tests start: the test settings, with

- the test's private queue as the default queue, so the tasks the worker queues itself (the
  delivery after a sweep) stay on the queue only this worker consumes;
- a mail backend writing one file per message into the test's folder;
- Redis giving back an unacknowledged task soon after its visibility timeout (checked every
  second instead of every 100)."""

import os

from practice.settings.test import *  # noqa: F403
from practice.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS, REDIS_URL

CELERY_TASK_DEFAULT_QUEUE = os.environ["REMINDER_TEST_QUEUE"]
EMAIL_BACKEND = "tests.reminders.mail_backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["REMINDER_TEST_MAIL_DIR"]
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
