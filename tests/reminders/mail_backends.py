"""A mail backend for the worker tests: each message becomes one file (written whole, then
renamed, so a killed worker never leaves half a message), after a pause that stands for a slow
mail server and gives the test time to kill the worker in the middle of a batch."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        for message in email_messages:
            time.sleep(float(os.environ.get("REMINDER_TEST_MAIL_DELAY", "0")))
            name = uuid.uuid4().hex
            partial = folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")
        return len(email_messages)
