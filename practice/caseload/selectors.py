"""The caseload's rows: each client with its last and next session, measures, flags and open
ending, in a fixed number of queries however many clients, sessions and ratings there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientStatus, PlanReview
from clients.selectors import is_silent, name_matches
from clients.services import plan_review_due_on
from practice.links import RowLink
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import (
    CounselingSession,
    SessionStatus,
)
from sessions_app.selectors import MeasureSummary, measure_summaries

COUNT_ROWS = Func(template="COUNT(*)", output_field=IntegerField())


def _client_sessions(status: str | None = None) -> QuerySet:
    sessions = CounselingSession.objects.filter(client=OuterRef("pk"))
    return sessions.filter(status=status) if status else sessions


def with_caseload_facts(clients: QuerySet, policy: PracticePolicy, now: dt.datetime) -> QuerySet:
    """Annotate last and next session, sessions attended, notes overdue and the last plan review."""
    note_due_before = now - dt.timedelta(hours=policy.note_signing_due_hours)
    attended = _client_sessions(SessionStatus.ATTENDED)
    return clients.annotate(
        last_session_at=Subquery(attended.order_by("-starts_at").values("starts_at")[:1]),
        next_session_at=Subquery(
            _client_sessions(SessionStatus.SCHEDULED)
            .filter(starts_at__gte=now)
            .order_by("starts_at")
            .values("starts_at")[:1]
        ),
        # COUNT(*) with no GROUP BY: one row even for none, read from the (client, status,
        # starts_at) index alone, where a grouped count of ids visits every session row.
        attended_count=Subquery(
            attended.order_by().annotate(n=COUNT_ROWS).values("n"), output_field=IntegerField()
        ),
        notes_overdue=Exists(
            CounselingSession.objects.filter(
                client=OuterRef("pk"), note_due=True, ends_at__lt=note_due_before
            )
        ),
        last_plan_review_on=Subquery(
            PlanReview.objects.filter(client=OuterRef("pk"))
            .order_by("-reviewed_on")
            .values("reviewed_on")[:1]
        ),
    )


@dataclass
class EndingSummary:
    pk: int
    kind: str
    state_label: str
    next_step: str
    next_deadline: dt.date | None
    overdue: bool


def open_endings(client_ids: list[int], policy: PracticePolicy) -> dict[int, EndingSummary]:
    """The open ending of each client with its nearest deadline, in a fixed number of queries."""
    from termination.models import Termination
    from termination.selectors import next_deadline

    endings = (
        Termination.objects.open()
        .filter(client_id__in=client_ids)
        .select_related("client", "summary")
    )
    today = timezone.localdate()
    summaries = {}
    for ending in endings:
        upcoming = next_deadline(ending, policy)
        summaries[ending.client_id] = EndingSummary(
            pk=ending.pk,
            kind=ending.get_kind_display(),
            state_label=ending.get_state_display(),
            next_step=upcoming[0] if upcoming else "",
            next_deadline=upcoming[1] if upcoming else None,
            overdue=bool(upcoming and upcoming[1] < today),
        )
    return summaries


@dataclass
class CaseloadRow:
    client: Client
    last_session_at: dt.datetime | None
    next_session_at: dt.datetime | None
    attended_count: int
    measures: MeasureSummary
    plan_review_due_on: dt.date
    flags: list[str]
    covering: bool
    ending: EndingSummary | None = None
    url: str = ""
    review_url: str = ""  # a supervisor's link to the comments and review of the client
    review_of: str = ""  # whose review it is, for a screen reader ("of Ada Lovelace")


FLAG_LABELS = {
    "ending": _("Ending in progress"),
    "alliance": _("Alliance alert"),
    "silent": _("No contact"),
    "notes": _("Notes overdue"),
    "review": _("Plan review due"),
}
SORTS = {
    "name": lambda row: (row.client.legal_last_name.lower(), row.client.legal_first_name.lower()),
    "last": lambda row: row.last_session_at or timezone.make_aware(dt.datetime.min.replace(year=1)),
    "next": lambda row: (
        row.next_session_at or timezone.make_aware(dt.datetime.max.replace(year=9999))
    ),
    "attended": lambda row: row.attended_count,
    "alliance": lambda row: (
        row.measures.alliance_latest
        if row.measures.alliance_latest is not None
        else Decimal("9999")
    ),
    "flags": lambda row: -len(row.flags),
}


def caseload_rows(
    *,
    counselor: User,
    policy: PracticePolicy,
    status: str = "open",
    flag: str = "",
    sort: str = "name",
    query: str = "",
) -> list[CaseloadRow]:
    now = timezone.now()
    today = timezone.localdate()
    clients = Client.objects.editable_by(counselor)
    if status == "open":
        clients = clients.exclude(status=ClientStatus.CLOSED)
    elif status in ClientStatus.values:
        clients = clients.filter(status=status)
    if query:
        clients = clients.filter(name_matches(query))
    clients = list(with_caseload_facts(clients, policy, now))
    summaries = measure_summaries([client.pk for client in clients])
    endings = open_endings([client.pk for client in clients], policy)
    rows = []
    client_url = RowLink("client_detail")
    for client in clients:
        measures = summaries[client.pk]
        review_due = plan_review_due_on(
            client=client, last_review_on=client.last_plan_review_on, policy=policy
        )
        flags = ["ending"] if client.pk in endings else []
        if measures.alliance_alert:
            flags.append("alliance")
        if client.status == ClientStatus.ACTIVE and is_silent(
            last_session_at=client.last_session_at,
            next_session_at=client.next_session_at,
            intake_date=client.intake_date,
            policy=policy,
            now=now,
        ):
            flags.append("silent")
        if client.notes_overdue:
            flags.append("notes")
        if client.status != ClientStatus.CLOSED and review_due <= today:
            flags.append("review")
        rows.append(
            CaseloadRow(
                client=client,
                last_session_at=client.last_session_at,
                next_session_at=client.next_session_at,
                attended_count=client.attended_count,
                measures=measures,
                plan_review_due_on=review_due,
                flags=flags,
                covering=client.primary_counselor_id != counselor.pk,
                ending=endings.get(client.pk),
                url=client_url(client.pk),
            )
        )
    if flag in FLAG_LABELS:
        rows = [row for row in rows if flag in row.flags]
    descending = sort.startswith("-")
    rows.sort(key=SORTS.get(sort.lstrip("-"), SORTS["name"]), reverse=descending)
    return rows
