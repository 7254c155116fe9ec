"""Sweep of the ending workflow's deadlines: the final session, the closing summary (due,
overdue, waiting for approval) and follow-ups after the end."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from practice.policy.models import PracticePolicy
from practice.reminders.models import ReminderKind
from practice.reminders.recording import Due
from practice.reminders.text import day_text, first_name, in_language_of, initials, utc_date
from practice.staff.models import User
from practice.staff.selectors import supervisors_by_counselor
from termination import dates
from termination.models import (
    ClosingSummary,
    EndingKind,
    FollowUp,
    SummaryStatus,
    Termination,
    TerminationState,
)
from termination.selectors import summary_of


def summary_due_date(termination: Termination, policy: PracticePolicy) -> dt.date | None:
    """The summary's due date, from the one place the dates of an ending are computed."""
    return dates.summary_deadline(termination, policy)


def _ending_due(
    kind: str,
    termination: Termination,
    recipient: User,
    due_on: dt.date,
    title: Promise,
) -> Due:
    """``title`` is a lazy text with %(who)s, %(day)s and %(counselor)s, written here in the
    recipient's language."""
    with in_language_of(recipient):
        who = initials(termination.client)
        counselor = str(termination.client.primary_counselor)
        due = day_text(due_on)
        return Due(
            kind=kind,
            object_id=termination.pk,
            due_on=due_on,
            recipient=recipient,
            title=str(title) % {"who": who, "day": due, "counselor": counselor},
            link=reverse("termination_workspace", args=[termination.pk]),
            context={
                "first_name": first_name(recipient),
                "who": who,
                "counselor": counselor,
                "due": due,
            },
        )


def find_ending_deadlines(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    today = utc_date(now)
    endings = list(
        Termination.objects.open().select_related("client__primary_counselor", "summary")
    )
    follow_ups = list(
        FollowUp.objects.filter(
            outcome=FollowUp.Outcome.PENDING,
            due_on__lte=today,
            termination__state=TerminationState.CLOSED,
        ).select_related("termination__client__primary_counselor")
    )
    supervisors = supervisors_by_counselor(
        {ending.client.primary_counselor_id for ending in endings}
        | {follow_up.termination.client.primary_counselor_id for follow_up in follow_ups},
        today,
    )
    dues: list[Due] = []
    for ending in endings:
        dues += _ending_dues(ending, today, policy, supervisors)
    for follow_up in follow_ups:
        dues += _follow_up_dues(follow_up, today, supervisors)
    return dues


def _ending_dues(
    ending: Termination,
    today: dt.date,
    policy: PracticePolicy,
    supervisors: dict[int, list[User]],
) -> list[Due]:
    counselor = ending.client.primary_counselor
    their_supervisors = supervisors.get(counselor.pk, [])
    counselor_here = [counselor] if counselor.is_active else []
    dues = []
    final = ending.final_session_on
    lead = dt.timedelta(days=settings.REMINDER_FINAL_SESSION_DAYS_BEFORE)
    if ending.kind == EndingKind.PLANNED and final and today <= final <= today + lead:
        dues += [
            _ending_due(
                ReminderKind.FINAL_SESSION,
                ending,
                person,
                final,
                _("Final session with %(who)s on %(day)s"),
            )
            for person in counselor_here
        ]
    summary: ClosingSummary | None = summary_of(ending)
    status = summary.status if summary else SummaryStatus.DRAFT
    due = summary_due_date(ending, policy)
    if due and status == SummaryStatus.DRAFT:
        if today <= due <= today + dt.timedelta(days=settings.REMINDER_SUMMARY_DAYS_BEFORE):
            dues += [
                _ending_due(
                    ReminderKind.SUMMARY_DUE,
                    ending,
                    person,
                    due,
                    _("Closing summary for %(who)s due on %(day)s"),
                )
                for person in counselor_here
            ]
        elif due < today:
            dues += [
                _ending_due(
                    ReminderKind.SUMMARY_OVERDUE,
                    ending,
                    person,
                    due,
                    _("Closing summary for %(who)s overdue since %(day)s"),
                )
                for person in counselor_here + their_supervisors
            ]
    if summary is not None and status == SummaryStatus.AWAITING_APPROVAL:
        submitted = utc_date(summary.signed_at) if summary.signed_at else today
        dues += [
            _ending_due(
                ReminderKind.APPROVAL_WAITING,
                ending,
                person,
                submitted,
                _("%(counselor)s's closing summary for %(who)s waits for your approval"),
            )
            for person in their_supervisors
        ]
        if due and due < today:  # the counselor did their part: the approval is what is late
            dues += [
                _ending_due(
                    ReminderKind.SUMMARY_OVERDUE,
                    ending,
                    person,
                    due,
                    _("Closing summary for %(who)s overdue since %(day)s (approval)"),
                )
                for person in their_supervisors
            ]
    return dues


def _follow_up_dues(
    follow_up: FollowUp, today: dt.date, supervisors: dict[int, list[User]]
) -> list[Due]:
    ending = follow_up.termination
    counselor = ending.client.primary_counselor
    who = initials(ending.client)
    counselor_here = [counselor] if counselor.is_active else []
    grace = dt.timedelta(days=settings.REMINDER_FOLLOW_UP_OVERDUE_DAYS)
    overdue = follow_up.due_on < today - grace
    kind = ReminderKind.FOLLOW_UP_OVERDUE if overdue else ReminderKind.FOLLOW_UP_DUE
    recipients = counselor_here + (supervisors.get(counselor.pk, []) if overdue else [])
    title = (
        _("%(days)s-day follow-up with %(who)s overdue since %(day)s")
        if overdue
        else _("%(days)s-day follow-up with %(who)s due on %(day)s")
    )
    dues = []
    for person in recipients:
        with in_language_of(person):
            day = day_text(follow_up.due_on)
            dues.append(
                Due(
                    kind=kind,
                    object_id=follow_up.pk,
                    due_on=follow_up.due_on,
                    recipient=person,
                    title=str(title) % {"days": follow_up.offset_days, "who": who, "day": day},
                    link=reverse("termination_workspace", args=[ending.pk]),
                    context={
                        "first_name": first_name(person),
                        "who": who,
                        "counselor": str(counselor),
                        "due": day,
                        "offset_days": follow_up.offset_days,
                    },
                )
            )
    return dues
