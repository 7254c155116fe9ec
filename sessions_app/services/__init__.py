"""Every change to sessions, notes, groups and ratings goes through these functions."""

from .groups import attendance_record, group_create, group_member_add, group_member_exit
from .measures import instrument_create, instrument_set_enabled, rating_record
from .notes import (
    note_add_addendum,
    note_cosign,
    note_open,
    note_return,
    note_save_draft,
    note_sign,
)
from .sessions import session_reschedule, session_schedule, session_set_status

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
