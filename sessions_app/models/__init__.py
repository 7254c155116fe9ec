from .groups import Group, GroupAttendance, GroupMember
from .measures import AllianceAlert, Instrument, InstrumentKind, Rating, RatingMode
from .notes import NoteAddendum, NoteEvent, NoteStatus, ProgressNote
from .sessions import CounselingSession, Modality, SessionKind, SessionStatus

__all__ = [
    "AllianceAlert",
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
