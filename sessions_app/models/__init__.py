from sessions_app.checkins.models import (
    CheckIn,
    CheckInEvent,
    CheckInItem,
    CheckInOptOut,
    CheckInSchedule,
    CheckInToken,
)
from sessions_app.models.groups import Group, GroupAttendance, GroupMember
from sessions_app.models.measures import (
    AllianceAlert,
    Instrument,
    InstrumentKind,
    Rating,
    RatingMode,
)
from sessions_app.models.notes import NoteAddendum, NoteEvent, NoteStatus, ProgressNote
from sessions_app.models.series import MeasureSeries
from sessions_app.models.sessions import CounselingSession, Modality, SessionKind, SessionStatus

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
    "MeasureSeries",
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
