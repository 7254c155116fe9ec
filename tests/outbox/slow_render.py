"""Imported by the fault tests' worker (CELERY_IMPORTS) for the kill test: the first render
writes its process id to a marker file, then pauses long enough to be killed mid-render. Later
renders run at full speed."""

import os
import time
from pathlib import Path

from termination.documents import services

_real_html_to_pdf = services.html_to_pdf
MARKERS = Path(os.environ["OUTBOX_TEST_MARKERS"])


def _first_render_pauses(html: str, **kwargs):
    marker = MARKERS / "render-started"
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(120)
    return _real_html_to_pdf(html, **kwargs)


services.html_to_pdf = _first_render_pauses
