"""The development email backend: one log line per email instead of its whole text.

Django's console backend prints every message in full; the Celery worker turns each printed line
into a WARNING log record, so a new demo's first reminder sweep filled the console with about a
thousand lines. Here each email is one INFO line (to whom, the subject, its size), and the full
message is kept as an .eml file under var/mail/ for the developer who needs a link from it (a
password reset). Used only when EMAIL_URL is consolemail:// (its default)."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("practice.mail")


def mail_folder() -> Path:
    return Path(getattr(settings, "DEV_MAIL_DIR", Path(settings.VAR_DIR) / "mail"))


class OneLineConsoleBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = mail_folder()
        sent = 0
        for message in email_messages or []:
            content = message.message().as_bytes(linesep="\n")
            name = ""
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"{uuid.uuid4().hex[:12]}.eml"
                path.write_bytes(content)
                name = f"; full text in {path}"
            except OSError:
                name = "; not saved (var/mail/ is not writable)"
            logger.info(
                "Email to %s: %r (%d bytes)%s",
                ", ".join(message.recipients()),
                message.subject,
                len(content),
                name,
            )
            sent += 1
        return sent
