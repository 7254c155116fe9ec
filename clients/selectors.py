"""Reads that span models: the caseload and the client record. Each takes a fixed number of
queries however many clients, sessions and ratings there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from practice.models import PracticePolicy, User
from sessions_app.charts import TrendChart, trend_chart
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    InstrumentKind,
    NoteStatus,
    Rating,
    SessionStatus,
)
from sessions_app.scoring import Outcome, classify_outcome
from sessions_app.services.measures import alliance_cutoff

from .models import Client, ClientStatus
from .services import plan_review_due_on


def _client_sessions(status: str | None = None) -> QuerySet:
    sessions = CounselingSession.objects.filter(client=OuterRef("pk"))
    return sessions.filter(status=status) if status else sessions


def with_caseload_facts(clients: QuerySet, policy: PracticePolicy, now: dt.datetime) -> QuerySet:
    """Annotate last and next session, sessions attended, notes overdue and the last plan review."""
    note_due_before = now - dt.timedelta(hours=policy.note_signing_due_hours)
    attended = _client_sessions(SessionStatus.ATTENDED)
    return clients.select_related("primary_counselor").annotate(
        last_session_at=Subquery(attended.order_by("-starts_at").values("starts_at")[:1]),
        next_session_at=Subquery(
            _client_sessions(SessionStatus.SCHEDULED)
            .filter(starts_at__gte=now)
            .order_by("starts_at")
            .values("starts_at")[:1]
        ),
        attended_count=Coalesce(
            Subquery(attended.order_by().values("client").annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
        notes_overdue=Exists(
            attended.filter(ends_at__lt=note_due_before).filter(
                Q(note__isnull=True) | Q(note__status=NoteStatus.DRAFT)
            )
        ),
        last_plan_review_on=Max("plan_reviews__reviewed_on"),
    )


@dataclass(frozen=True)
class OutcomeReading:
    instrument: str
    first: Decimal
    latest: Decimal
    count: int
    outcome: Outcome


@dataclass
class MeasureSummary:
    alliance_latest: Decimal | None = None
    alliance_previous: Decimal | None = None
    alliance_alert: bool = False
    alliance_count: int = 0
    outcomes: list[OutcomeReading] = field(default_factory=list)

    @property
    def alliance_direction(self) -> str:
        if self.alliance_latest is None or self.alliance_previous is None:
            return ""
        if self.alliance_latest > self.alliance_previous:
            return "up"
        return "down" if self.alliance_latest < self.alliance_previous else "same"


def measure_summaries(client_ids: list[int]) -> dict[int, MeasureSummary]:
    """Latest alliance and outcome classification per client, from one query."""
    ratings = (
        Rating.objects.filter(client_id__in=client_ids)
        .select_related("instrument")
        .annotate(alerted=Exists(AllianceAlert.objects.filter(rating=OuterRef("pk"))))
        .order_by("client_id", "instrument_id", "administered_on", "created_at")
    )
    by_client: dict[int, dict[Instrument, list[Rating]]] = defaultdict(lambda: defaultdict(list))
    for rating in ratings:
        by_client[rating.client_id][rating.instrument].append(rating)
    summaries = {}
    for client_id in client_ids:
        summary = MeasureSummary()
        alliance_series = []
        for instrument, series in by_client.get(client_id, {}).items():
            if instrument.kind == InstrumentKind.ALLIANCE:
                alliance_series.extend(series)
            else:
                summary.outcomes.append(
                    OutcomeReading(
                        instrument=instrument.short_name,
                        first=series[0].total,
                        latest=series[-1].total,
                        count=len(series),
                        outcome=classify_outcome(
                            instrument, series[0].total, series[-1].total, len(series)
                        ),
                    )
                )
        if alliance_series:
            alliance_series.sort(key=lambda rating: (rating.administered_on, rating.created_at))
            summary.alliance_latest = alliance_series[-1].total
            summary.alliance_count = len(alliance_series)
            summary.alliance_alert = alliance_series[-1].alerted
            if len(alliance_series) > 1:
                summary.alliance_previous = alliance_series[-2].total
        summaries[client_id] = summary
    return summaries


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
        .select_related("client", "summary", "relapse_plan")
        .prefetch_related("referrals", "outreach_attempts", "taper_sessions")
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


FLAG_LABELS = {
    "ending": "Ending in progress",
    "alliance": "Alliance alert",
    "silent": "No contact",
    "notes": "Notes overdue",
    "review": "Plan review due",
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


def is_silent(
    *,
    last_session_at: dt.datetime | None,
    next_session_at: dt.datetime | None,
    intake_date: dt.date,
    policy: PracticePolicy,
    now: dt.datetime,
) -> bool:
    """No attended session within the policy's days and nothing scheduled."""
    if next_session_at is not None:
        return False
    threshold = now - dt.timedelta(days=policy.silent_client_days)
    if last_session_at is None:
        return intake_date < threshold.date()
    return last_session_at < threshold


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
        clients = clients.filter(_name_matches(query))
    clients = list(with_caseload_facts(clients, policy, now))
    summaries = measure_summaries([client.pk for client in clients])
    endings = open_endings([client.pk for client in clients], policy)
    rows = []
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
            )
        )
    if flag in FLAG_LABELS:
        rows = [row for row in rows if flag in row.flags]
    descending = sort.startswith("-")
    rows.sort(key=SORTS.get(sort.lstrip("-"), SORTS["name"]), reverse=descending)
    return rows


def _name_matches(query: str) -> Q:
    condition = Q()
    for word in query.split()[:4]:
        condition &= (
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return condition


def search_clients(*, user: User, query: str) -> QuerySet:
    """Clients the user may read whose names match every word typed."""
    return (
        Client.objects.clinical_for(user)
        .filter(_name_matches(query))
        .select_related("primary_counselor")[:50]
    )


# The client record --------------------------------------------------------------------------


def client_charts(client: Client, policy: PracticePolicy) -> list[TrendChart]:
    """One trend chart per instrument the client has ratings on, alliance first."""
    ratings = (
        Rating.objects.filter(client=client)
        .select_related("instrument")
        .annotate(alerted=Exists(AllianceAlert.objects.filter(rating=OuterRef("pk"))))
        .order_by("administered_on", "created_at")
    )
    series: dict[Instrument, list[Rating]] = defaultdict(list)
    for rating in ratings:
        series[rating.instrument].append(rating)
    charts = []
    for instrument, items in sorted(series.items(), key=lambda pair: (pair[0].kind, pair[0].name)):
        alliance = instrument.kind == InstrumentKind.ALLIANCE
        cutoff = alliance_cutoff(instrument, policy) if alliance else instrument.clinical_cutoff
        charts.append(
            trend_chart(
                title=f"{'Alliance' if alliance else 'Outcome'}: {instrument.name}",
                instrument_name=instrument.short_name,
                values=[
                    (rating.administered_on, rating.total, rating.alerted if alliance else False)
                    for rating in items
                ],
                low=instrument.total_min,
                high=instrument.total_max,
                cutoff=cutoff,
                higher_is_better=instrument.higher_is_better,
            )
        )
    return charts
