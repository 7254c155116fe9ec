"""Settings of the Celery worker the outbox fault tests start: the test settings, with the
test's own Redis (REDIS_URL in the environment), its own files and beat schedule, and only the
outbox's sweep on the beat (every OUTBOX_SWEEP_SECONDS, short here)."""

import os

from practice.settings.test import *  # noqa: F403
from practice.settings.test import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {"outbox-sweep": CELERY_BEAT_SCHEDULE["outbox-sweep"]}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ["OUTBOX_TEST_BEAT_FILE"]
if os.environ.get("OUTBOX_TEST_MARKERS"):  # the kill test: a render that pauses the first time
    CELERY_IMPORTS = ["tests.outbox.slow_render"]
