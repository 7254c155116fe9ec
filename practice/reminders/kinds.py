"""What each kind of reminder is for: who receives it and whether the practice requires it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from practice.reminders.models import ReminderKind


@dataclass(frozen=True)
class KindInfo:
    kind: ReminderKind
    audience: str  # "counselor", "supervisor", "admin" or "client"
    explains: str  # a lazy text, shown in the reader's language
    # Mandatory kinds reach the user on both channels whatever their preferences say.
    mandatory: bool = False

    @property
    def label(self) -> str:
        return self.kind.label


KINDS: dict[str, KindInfo] = {
    info.kind.value: info
    for info in (
        KindInfo(
            ReminderKind.AGENDA,
            "counselor",
            _("Each morning (your time zone), the sessions you have that day."),
        ),
        KindInfo(
            ReminderKind.CLIENT_SESSION,
            "client",
            _("To the client before a session, only with consent to electronic communication."),
        ),
        KindInfo(
            ReminderKind.NOTE_UNSIGNED,
            "counselor",
            _("A progress note not signed within the policy's hours after the session."),
        ),
        KindInfo(
            ReminderKind.NOTE_UNSIGNED_SUPERVISOR,
            "supervisor",
            _("A supervisee's note still unsigned at twice the policy's hours."),
        ),
        KindInfo(
            ReminderKind.FINAL_SESSION,
            "counselor",
            _("A planned ending's final session is a few days away."),
        ),
        KindInfo(
            ReminderKind.SUMMARY_DUE,
            "counselor",
            _("The closing summary is due within a few days."),
        ),
        KindInfo(
            ReminderKind.SUMMARY_OVERDUE,
            "counselor",
            _("The closing summary is past its due date (supervisors are told too)."),
        ),
        KindInfo(
            ReminderKind.APPROVAL_WAITING,
            "supervisor",
            _("A supervisee's signed closing summary waits for your approval."),
        ),
        KindInfo(
            ReminderKind.FOLLOW_UP_DUE,
            "counselor",
            _("A follow-up check-in after an ending is due."),
        ),
        KindInfo(
            ReminderKind.FOLLOW_UP_OVERDUE,
            "counselor",
            _("A follow-up check-in is well past its date (supervisors are told too)."),
        ),
        KindInfo(
            ReminderKind.SILENT_CLIENT,
            "counselor",
            _("No attended session for the policy's days and nothing scheduled."),
        ),
        KindInfo(
            ReminderKind.ALLIANCE_ALERT,
            "counselor",
            _("A new alliance rating under the cutoff or dropped sharply, sent at once."),
            mandatory=True,
        ),
        KindInfo(
            ReminderKind.ALLIANCE_ALERT_REPEATED,
            "supervisor",
            _("A supervisee's client raised an alliance alert twice in a row."),
            mandatory=True,
        ),
        KindInfo(
            ReminderKind.CONSENT_EXPIRING,
            "counselor",
            _("A client's consent expires within 14 days."),
        ),
        KindInfo(
            ReminderKind.PLAN_REVIEW_DUE,
            "counselor",
            _("A client's treatment plan review is due."),
        ),
        KindInfo(
            ReminderKind.CHECKIN_RISK,
            "counselor",
            _("A client endorsed a risk item (PHQ-9 item 9) on their phone, sent at once."),
            mandatory=True,
        ),
        KindInfo(
            ReminderKind.CHECKIN_ANSWERED,
            "counselor",
            _("A client answered a check-in on their phone."),
        ),
        KindInfo(
            ReminderKind.RELAPSE_SIGNAL,
            "counselor",
            _("A former client's follow-up check-in raised a relapse signal, sent at once."),
            mandatory=True,
        ),
        KindInfo(
            ReminderKind.RETENTION_REPORT,
            "admin",
            _("Monthly: closed records past their retention date (a report; nothing is deleted)."),
        ),
    )
}

# Kinds a supervisor receives besides their own caseload's (summary and follow-up overdue go to
# both the counselor and the supervisors).
SHARED_WITH_SUPERVISORS = frozenset(
    {
        ReminderKind.SUMMARY_OVERDUE,
        ReminderKind.FOLLOW_UP_OVERDUE,
        ReminderKind.CHECKIN_RISK,
        ReminderKind.RELAPSE_SIGNAL,
    }
)


def is_mandatory(kind: str) -> bool:
    return KINDS[kind].mandatory


def kinds_for(user) -> list[KindInfo]:
    """The kinds a user can receive, given their roles: what their preferences page lists."""
    chosen = []
    for info in KINDS.values():
        if (
            (info.audience == "counselor" and user.is_counselor)
            or (info.audience == "supervisor" and user.is_supervisor)
            or (info.audience == "admin" and user.is_practice_admin)
            or (info.kind in SHARED_WITH_SUPERVISORS and user.is_supervisor)
        ):
            chosen.append(info)
    return chosen
