"""Closed records past their retention date: a monthly report to the practice admin. The
system never deletes anything; destroying a record is a person's decision outside the app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import ngettext

from clients.models import Client, ClientStatus
from practice.policy.models import PracticePolicy
from practice.reminders.models import ReminderKind
from practice.reminders.recording import Due
from practice.reminders.text import day_text, first_name, in_language_of, month_text, utc_date
from practice.staff.models import User
from termination.models import TerminationState

# The policy is a single row: the monthly report is "about" it.
REPORT_OBJECT_ID = 1


def records_past_retention(today: dt.date) -> QuerySet:
    """Closed clients whose latest closed ending's retention date has passed, legal hold or not
    (the report shows holds separately: they are never eligible)."""
    return (
        Client.objects.filter(status=ClientStatus.CLOSED)
        .annotate(
            retain_until=Max(
                "terminations__retain_until",
                filter=Q(terminations__state=TerminationState.CLOSED),
            )
        )
        .filter(retain_until__lt=today)
        .select_related("primary_counselor")
        .order_by("retain_until", "legal_last_name", "pk")
    )


def find_retention_report(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Once a month (the key's date is the first of the month) to every active practice admin."""
    today = utc_date(now)
    month = today.replace(day=1)
    admins = list(User.objects.filter(is_active=True, is_practice_admin=True))
    if not admins:
        return []
    past = records_past_retention(today)
    held = sum(1 for client in past if client.legal_hold)
    eligible = len(past) - held
    dues = []
    for admin in admins:
        with in_language_of(admin):
            dues.append(
                Due(
                    kind=ReminderKind.RETENTION_REPORT,
                    object_id=REPORT_OBJECT_ID,
                    due_on=month,
                    recipient=admin,
                    title=ngettext(
                        "%(count)s record past the retention date (%(month)s)",
                        "%(count)s records past the retention date (%(month)s)",
                        eligible,
                    )
                    % {"count": eligible, "month": month_text(month)},
                    link=reverse("notification_retention_report"),
                    context={
                        "first_name": first_name(admin),
                        "eligible": eligible,
                        "held": held,
                        "as_of": day_text(today),
                        "month": month_text(month),
                    },
                )
            )
    return dues
