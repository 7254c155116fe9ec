"""Alliance alerts: sent at once when a rating raises one (not by a sweep), to the counselor,
and to the counselor's supervisors when the alert repeats the previous rating's.

rating_record queues `notify_alliance_alert` after its transaction commits. Should that queueing
fail (the broker down), the catch-up sweep finds alerts without a notification and sends them:
the unique key makes the two paths produce one reminder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from practice.policy.models import PracticePolicy
from practice.reminders.models import Notification, ReminderKind
from practice.reminders.recording import Due, record_due
from practice.reminders.text import first_name, in_language_of, initials, utc_date
from practice.staff.selectors import supervisors_by_counselor
from sessions_app.models import AllianceAlert


def alliance_alert_dues(alerts: Iterable[AllianceAlert]) -> list[Due]:
    """Expects alerts with client__primary_counselor selected."""
    alerts = list(alerts)
    repeated_for = {alert.client.primary_counselor_id for alert in alerts if alert.repeated}
    supervisors = (
        supervisors_by_counselor(repeated_for, utc_date(alerts[0].raised_at))
        if repeated_for
        else {}
    )
    dues = []
    for alert in alerts:
        client = alert.client
        counselor = client.primary_counselor
        who = initials(client)
        day = utc_date(alert.raised_at)
        if counselor.is_active:
            with in_language_of(counselor):
                dues.append(
                    Due(
                        kind=ReminderKind.ALLIANCE_ALERT,
                        object_id=alert.pk,
                        due_on=day,
                        recipient=counselor,
                        title=_("Alliance alert for %(who)s") % {"who": who},
                        link=reverse("client_detail", args=[client.pk]),
                        context={
                            "first_name": first_name(counselor),
                            "who": who,
                            "repeated": alert.repeated,
                        },
                    )
                )
        if alert.repeated:
            for supervisor in supervisors.get(counselor.pk, []):
                with in_language_of(supervisor):
                    dues.append(
                        Due(
                            kind=ReminderKind.ALLIANCE_ALERT_REPEATED,
                            object_id=alert.pk,
                            due_on=day,
                            recipient=supervisor,
                            title=_("Second alliance alert in a row for %(who)s (%(counselor)s)")
                            % {"who": who, "counselor": counselor},
                            link=reverse("supervision_client", args=[client.pk]),
                            context={
                                "first_name": first_name(supervisor),
                                "who": who,
                                "counselor": str(counselor),
                            },
                        )
                    )
    return dues


def alliance_alert_notify(*, alert_id: int) -> int:
    """Make the alert's notifications (once, however often it is called); return how many."""
    alerts = AllianceAlert.objects.filter(pk=alert_id).select_related("client__primary_counselor")
    with transaction.atomic():
        dues = alliance_alert_dues(alerts) if alerts else []
        return record_due(dues, source="alert")


def find_missed_alerts(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Alerts of the last days, a few minutes old, that have no notification yet."""
    notified = Notification.objects.filter(
        kind=ReminderKind.ALLIANCE_ALERT, object_id=OuterRef("pk")
    )
    missed = (
        AllianceAlert.objects.filter(
            raised_at__gte=now - dt.timedelta(days=settings.REMINDER_ALERT_CATCH_UP_DAYS),
            raised_at__lte=now - dt.timedelta(minutes=2),
        )
        .exclude(Exists(notified))
        .select_related("client__primary_counselor")
    )
    return alliance_alert_dues(missed) if missed else []
