"""The practice admin's view of the schedule: each sweep's interval, last run, duration,
deliveries and failures; and emails that failed or wait for another try. No clinical content:
failed emails show their kind, recipient and error, never the title."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from practice.reminders.models import EmailState, Notification, SweepRun
from practice.reminders.runs import DELIVERY
from practice.reminders.sweeps import sweeps


@dataclass
class ScheduleRow:
    name: str
    label: str
    explains: str
    every_seconds: int
    last: SweepRun | None
    runs_24h: int
    failed_24h: int

    @property
    def every_text(self) -> str:
        seconds = self.every_seconds
        if seconds % 3600 == 0:
            return _("%(hours)s h") % {"hours": seconds // 3600}
        if seconds % 60 == 0:
            return _("%(minutes)s min") % {"minutes": seconds // 60}
        return _("%(seconds)s s") % {"seconds": seconds}


def schedule_rows() -> list[ScheduleRow]:
    """One row per sweep plus the delivery, in three queries."""
    entries = [(sweep.name, sweep.label, sweep.explains) for sweep in sweeps().values()]
    entries.append((DELIVERY, _("Email delivery"), _("Sends pending email; retries with backoff.")))
    latest = SweepRun.objects.filter(
        pk__in=SweepRun.objects.values("sweep").annotate(last=Max("pk")).values("last")
    ).select_related("triggered_by")
    last_by_sweep = {run.sweep: run for run in latest}
    since = timezone.now() - dt.timedelta(hours=24)
    stats = {
        row["sweep"]: row
        for row in SweepRun.objects.filter(started_at__gte=since)
        .values("sweep")
        .annotate(runs=Count("pk"), failed=Count("pk", filter=~Q(error="")))
    }
    intervals = settings.REMINDER_SWEEP_INTERVALS
    return [
        ScheduleRow(
            name=name,
            label=label,
            explains=explains,
            every_seconds=intervals.get(name, 0),
            last=last_by_sweep.get(name),
            runs_24h=stats.get(name, {}).get("runs", 0),
            failed_24h=stats.get(name, {}).get("failed", 0),
        )
        for name, label, explains in entries
    ]


def email_counts() -> dict[str, int]:
    counted = dict(
        Notification.objects.order_by()
        .values_list("email_state")
        .annotate(n=Count("pk"))
        .values_list("email_state", "n")
    )
    return {state: counted.get(state, 0) for state in EmailState.values}


def email_problems(limit: int = 50) -> list[Notification]:
    """Emails that failed after their last try, and those waiting for another one."""
    return list(
        Notification.objects.filter(
            Q(email_state=EmailState.FAILED) | Q(email_state=EmailState.PENDING, attempts__gt=0)
        )
        .select_related("recipient")
        .order_by("-next_attempt_at", "-pk")[:limit]
    )
