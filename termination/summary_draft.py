"""The closing summary's first draft as the edit page shows it before anything is saved.

Opening the page writes nothing (a GET never writes): the draft and its "Summary drafted" event
are created by the first save or sign, which assemble the same content from the record."""

from __future__ import annotations

import datetime as dt

from practice.models import PracticePolicy, User

from . import services
from .models import Termination
from .selectors import summary_draft_content


def summary_draft_preview(*, actor: User, termination: Termination) -> dict[str, str]:
    """The sections the first draft would hold. Refuses (ValidationError) exactly when saving
    the draft would: the ending is past preparing, or `actor` is not its counselor."""
    services._ensure_allowed(termination, "summary_edit")
    services._ensure_editor(actor, termination)
    return summary_draft_content(termination)


def summary_draft_due_on(termination: Termination) -> dt.date:
    return services.summary_due_on(termination, PracticePolicy.current())
