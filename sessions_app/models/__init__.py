from ..checkins.models import (
    CheckIn,
    CheckInEvent,
    CheckInItem,
    CheckInOptOut,
    CheckInSchedule,
    CheckInToken,
)
from .groups import Group, GroupAttendance, GroupMember
from .measures import AllianceAlert, Instrument, InstrumentKind, Rating, RatingMode
from .notes import NoteAddendum, NoteEvent, NoteStatus, ProgressNote
from .sessions import CounselingSession, Modality, SessionKind, SessionStatus

__all__ = [
    "AllianceAlert",
    "CheckIn",
    "CheckInEvent",
    "CheckInItem",
    "CheckInOptOut",
    "CheckInSchedule",
    "CheckInToken",
    "CounselingSession",
    "Group",
    "GroupAttendance",
    "GroupMember",
    "Instrument",
    "InstrumentKind",
    "Modality",
    "NoteAddendum",
    "NoteEvent",
    "NoteStatus",
    "ProgressNote",
    "Rating",
    "RatingMode",
    "SessionKind",
    "SessionStatus",
]
