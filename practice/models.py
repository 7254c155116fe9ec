"""Every model of the `practice` app, gathered from the capability that owns it so Django finds
them. Import a model from its own home (practice.staff.models, …), not from here: this module
also carries the reminders, a layer above the clinical record."""

from practice.audit.models import AuditEvent, AuditQuerySet
from practice.policy.models import (
    DEFAULT_CRISIS_RESOURCES,
    CosignScope,
    PolicyChange,
    PracticePolicy,
    default_checkin_before_session,
    default_follow_up_offsets,
    mfa_required_default,
)
from practice.reminders.models import (
    EmailState,
    Notification,
    NotificationPreference,
    ReminderKind,
    SweepRun,
)
from practice.staff.models import Role, StaffManager, Supervision, User

__all__ = [
    "DEFAULT_CRISIS_RESOURCES",
    "AuditEvent",
    "AuditQuerySet",
    "CosignScope",
    "EmailState",
    "Notification",
    "NotificationPreference",
    "PolicyChange",
    "PracticePolicy",
    "ReminderKind",
    "Role",
    "StaffManager",
    "Supervision",
    "SweepRun",
    "User",
    "default_checkin_before_session",
    "default_follow_up_offsets",
    "mfa_required_default",
]
