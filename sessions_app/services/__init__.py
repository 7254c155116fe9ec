"""Every change to sessions, notes, groups and ratings goes through these functions."""

from sessions_app.services.groups import (
    attendance_record,
    group_create,
    group_member_add,
    group_member_exit,
)
from sessions_app.services.measures import instrument_create, instrument_set_enabled, rating_record
from sessions_app.services.notes import (
    note_add_addendum,
    note_cosign,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
)
from sessions_app.services.sessions import session_reschedule, session_schedule, session_set_status

__all__ = [
    "attendance_record",
    "group_create",
    "group_member_add",
    "group_member_exit",
    "instrument_create",
    "instrument_set_enabled",
    "note_add_addendum",
    "note_cosign",
    "note_open",
    "note_return",
    "note_save_draft",
    "note_sign",
    "rating_record",
    "session_reschedule",
    "session_schedule",
    "session_set_status",
]
