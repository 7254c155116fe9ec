"""Reads about check-ins, each in a fixed number of queries whatever the number of rows.

Plain functions the caseload, the client page and the supervision board can call with a list of
clients or counselors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from practice.policy.models import PracticePolicy
from sessions_app.checkins.models import (
    CheckIn,
    CheckInEvent,
    CheckInItem,
    CheckInOptOut,
    CheckInSchedule,
    CheckInState,
)
from sessions_app.models import Instrument

RECENT_CHECKINS = 10


@dataclass
class CheckInCounts:
    answered: int = 0
    waiting: int = 0
    expired: int = 0
    unseen: int = 0  # answered, not yet marked seen by the counselor

    @property
    def any(self) -> bool:
        return bool(self.answered or self.waiting or self.expired)


def checkin_counts_for_clients(
    client_ids: Iterable[int], *, since: dt.datetime | None = None
) -> dict[int, CheckInCounts]:
    """client pk -> how many check-ins are answered, waiting and expired (one query). By default
    the last 90 days."""
    ids = list(client_ids)
    since = since or timezone.now() - dt.timedelta(days=90)
    rows = (
        CheckIn.objects.filter(client_id__in=ids, created_at__gte=since)
        .order_by()
        .values("client_id")
        .annotate(
            answered=Count("pk", filter=Q(state=CheckInState.COMPLETED)),
            waiting=Count("pk", filter=Q(state=CheckInState.WAITING)),
            expired=Count("pk", filter=Q(state=CheckInState.EXPIRED)),
            unseen=Count("pk", filter=Q(state=CheckInState.COMPLETED, seen_at__isnull=True)),
        )
    )
    found = {client_id: CheckInCounts() for client_id in ids}
    for row in rows:
        found[row["client_id"]] = CheckInCounts(
            answered=row["answered"],
            waiting=row["waiting"],
            expired=row["expired"],
            unseen=row["unseen"],
        )
    return found


def checkins_with_answers(queryset, limit: int | None = None) -> list[CheckIn]:
    """Check-ins with their instruments and ratings (two queries for any number)."""
    queryset = queryset.select_related("session").prefetch_related(
        Prefetch(
            "items",
            queryset=CheckInItem.objects.select_related("instrument", "rating").order_by(
                "position"
            ),
        )
    )
    return list(queryset[:limit] if limit else queryset)


@dataclass
class Panel:
    checkins: list[CheckIn]
    counts: CheckInCounts
    opted_out: CheckInOptOut | None
    schedule: CheckInSchedule | None
    policy_rules: list[dict] = field(default_factory=list)

    @property
    def rules_text(self) -> str:
        if self.schedule is not None and not self.schedule.enabled:
            return _("off")
        rules = (
            self.schedule.rules
            if self.schedule is not None and self.schedule.rules is not None
            else self.policy_rules
        )
        return ", ".join(
            _("%(instrument)s every %(every)s")
            % {"instrument": rule["instrument"], "every": rule["every"]}
            for rule in rules
        ) or _("none")


def checkin_panel(client: Client, policy: PracticePolicy) -> Panel:
    """What the client page shows about check-ins (six queries)."""
    return Panel(
        checkins=checkins_with_answers(CheckIn.objects.filter(client=client), RECENT_CHECKINS),
        counts=checkin_counts_for_clients([client.pk])[client.pk],
        opted_out=CheckInOptOut.objects.filter(client=client).first(),
        schedule=CheckInSchedule.objects.filter(client=client).first(),
        policy_rules=policy.checkin_before_session,
    )


def checkin_detail_context(checkin: CheckIn) -> dict:
    items = list(
        CheckInItem.objects.filter(checkin=checkin)
        .select_related("instrument", "rating")
        .order_by("position")
    )
    return {
        "checkin": checkin,
        "items": items,
        "events": list(CheckInEvent.objects.filter(checkin=checkin).select_related("actor")),
        "is_open": checkin.state == CheckInState.WAITING and timezone.now() < checkin.expires_at,
    }


def enabled_instruments_by_name() -> dict[str, Instrument]:
    return {instrument.short_name: instrument for instrument in Instrument.objects.enabled()}
