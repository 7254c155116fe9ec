"""The closing summary's first draft as the edit page shows it before anything is saved.

Opening the page writes nothing (a GET never writes): the draft and its "Summary drafted" event
are created by the first save or sign, which assemble the same content from the record."""

from __future__ import annotations

import datetime as dt

from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination.models import Termination
from termination.selectors import summary_draft_content
from termination.services.summary import summary_due_on
from termination.services.workflow import _ensure_allowed, _ensure_editor


def summary_draft_preview(*, actor: User, termination: Termination) -> dict[str, str]:
    """The sections the first draft would hold. Refuses (ValidationError) exactly when saving
    the draft would: the ending is past preparing, or `actor` is not its counselor."""
    _ensure_allowed(termination, "summary_edit")
    _ensure_editor(actor, termination)
    return summary_draft_content(termination)


def summary_draft_due_on(termination: Termination) -> dt.date:
    return summary_due_on(termination, PracticePolicy.current())
