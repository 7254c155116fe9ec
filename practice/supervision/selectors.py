"""The supervisor's review board and its lists: what a supervisor reviews across supervisees.

The selectors read all of a supervisor's supervisees' clients at once, so the review board and
its lists take the same number of queries for 2 supervisees or 20. The review actions on one
record are in clients/reviews.py; the caseload export in exports.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import ChartReview, Client, ClientStatus
from clients.reviews import month_start
from clients.selectors import is_silent
from clients.services import plan_review_due_condition, plan_review_due_on
from practice.caseload.selectors import with_caseload_facts
from practice.links import RowLink
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import (
    CounselingSession,
    NoteStatus,
    ProgressNote,
    SessionStatus,
)
from sessions_app.scoring import Outcome
from sessions_app.selectors import (
    OutcomeReading,
    alliance_alert_condition,
    has_outcome,
    measure_summaries,
    silent_condition,
)
from termination.relapse_watch import (
    follow_ups_due_for_counselors,
    follow_ups_outstanding,
    relapse_signals_for_counselors,
)

# The board's columns, in order: key -> (column heading, title of the list behind the count).
BOARD_COUNTS = {
    "alliance": (_("Alliance alerts"), _("Clients with an alliance alert")),
    "off_track": (_("Off track"), _("Clients off track")),
    "silent": (_("Silent"), _("Silent clients")),
    "notes": (_("Notes overdue"), _("Notes unsigned past due")),
    "review": (_("Plan reviews due"), _("Plan reviews due")),
    "ending": (_("Endings"), _("Endings in progress")),
    "approval": (_("Summaries to approve"), _("Closing summaries waiting for approval")),
    "cosign": (_("Notes to co-sign"), _("Notes waiting for co-signature")),
    "unreviewed": (_("Not reviewed this month"), _("Charts you have not reviewed this month")),
    "follow_ups": (
        _("Follow-ups due"),
        _("Follow-up check-ins after the ending, due and unanswered"),
    ),
    "relapse": (
        _("Relapse signals"),
        _("Relapse signals after the ending nobody has answered yet"),
    ),
}
# Counts whose list shows clients (the others show notes, sessions or endings).
CLIENT_COUNTS = ("alliance", "off_track", "silent", "review", "unreviewed")


# Facts about every open client of a set of counselors --------------------------------------------


@dataclass
class ClientFacts:
    client: Client
    last_session_at: dt.datetime | None
    next_session_at: dt.datetime | None
    attended_count: int
    alliance_latest: Decimal | None
    alliance_alert: bool
    outcomes: list[OutcomeReading]
    off_track: bool
    silent: bool
    plan_review_due_on: dt.date
    review_due: bool
    reviewed_this_month: bool


def is_off_track(outcomes: list[OutcomeReading], attended: int, policy: PracticePolicy) -> bool:
    """Deteriorated on any outcome measure, or unchanged after the policy's number of sessions
    (off_track_condition says the same to the database)."""
    long_enough = attended >= policy.off_track_after_sessions
    return any(
        reading.outcome == Outcome.DETERIORATED
        or (reading.outcome == Outcome.UNCHANGED and long_enough)
        for reading in outcomes
    )


def attended_at_least(count: int) -> Exists | Value:
    """Whether the client has attended `count` sessions: the index read stops at the count-th
    one, where counting them all reads every attended session of every client summed."""
    if count <= 0:
        return Value(True)
    attended = CounselingSession.objects.filter(
        client=OuterRef("pk"), status=SessionStatus.ATTENDED
    )
    return Exists(attended[count - 1 : count])


def _reviewed_this_month(supervisor: User, today: dt.date) -> Exists:
    return Exists(
        ChartReview.objects.filter(
            client=OuterRef("pk"), supervisor=supervisor, month=month_start(today)
        )
    )


def open_client_facts(
    clients: QuerySet, *, supervisor: User, policy: PracticePolicy, now: dt.datetime
) -> list[ClientFacts]:
    """Facts for every open client in `clients`, in a fixed number of queries however many
    there are."""
    today = timezone.localdate(now)
    annotated = with_caseload_facts(
        clients.exclude(status=ClientStatus.CLOSED), policy, now
    ).annotate(reviewed_this_month=_reviewed_this_month(supervisor, today))
    rows = list(annotated)
    measures = measure_summaries([client.pk for client in rows])
    facts = []
    for client in rows:
        summary = measures[client.pk]
        readings = summary.outcomes
        review_due_on = plan_review_due_on(
            client=client, last_review_on=client.last_plan_review_on, policy=policy
        )
        facts.append(
            ClientFacts(
                client=client,
                last_session_at=client.last_session_at,
                next_session_at=client.next_session_at,
                attended_count=client.attended_count,
                alliance_latest=summary.alliance_latest,
                alliance_alert=summary.alliance_alert,
                outcomes=readings,
                off_track=is_off_track(readings, client.attended_count, policy),
                silent=client.status == ClientStatus.ACTIVE
                and is_silent(
                    last_session_at=client.last_session_at,
                    next_session_at=client.next_session_at,
                    intake_date=client.intake_date,
                    policy=policy,
                    now=now,
                ),
                plan_review_due_on=review_due_on,
                review_due=review_due_on <= today,
                reviewed_this_month=client.reviewed_this_month,
            )
        )
    return facts


def off_track_condition(policy: PracticePolicy) -> Q:
    """is_off_track as a condition on clients, for counting them in the database."""
    long_enough = attended_at_least(policy.off_track_after_sessions)
    return Q(has_outcome(Outcome.DETERIORATED)) | (
        Q(long_enough) & Q(has_outcome(Outcome.UNCHANGED))
    )


def open_client_counts(
    counselor_ids: list[int], *, supervisor: User, policy: PracticePolicy, now: dt.datetime
) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    """The board's sums over the counselors' open clients: each counselor's caseload and how
    many clients match each of CLIENT_COUNTS, by the rules of open_client_facts, counted by the
    database in one query (a row per counselor, none per client)."""
    today = timezone.localdate(now)
    conditions = {
        "alliance": Q(alliance_alert_condition()),
        "off_track": off_track_condition(policy),
        "silent": Q(status=ClientStatus.ACTIVE) & silent_condition(policy, now),
        "review": plan_review_due_condition(policy, today),
        "unreviewed": ~_reviewed_this_month(supervisor, today),
    }
    rows = (
        Client.objects.filter(primary_counselor_id__in=counselor_ids)
        .exclude(status=ClientStatus.CLOSED)
        .order_by()
        .values("primary_counselor_id")
        .annotate(
            open_clients=Count("pk"),
            **{f"counted_{key}": Count("pk", filter=when) for key, when in conditions.items()},
        )
    )
    caseload: dict[int, int] = {}
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counselor_id = row["primary_counselor_id"]
        caseload[counselor_id] = row["open_clients"]
        counts[counselor_id] = {key: row[f"counted_{key}"] for key in CLIENT_COUNTS}
    return caseload, counts


def _fact_matches(facts: ClientFacts, key: str) -> bool:
    return {
        "alliance": facts.alliance_alert,
        "off_track": facts.off_track,
        "silent": facts.silent,
        "review": facts.review_due,
        "unreviewed": not facts.reviewed_this_month,
    }[key]


# Notes, sessions and endings behind the counts ---------------------------------------------------


def overdue_note_sessions(counselor_ids, policy: PracticePolicy, now: dt.datetime) -> QuerySet:
    """Attended sessions of the counselors' open clients whose note is missing or still a draft
    after the policy's hours (the same rule as the caseload's "notes overdue" flag)."""
    due_before = now - dt.timedelta(hours=policy.note_signing_due_hours)
    return CounselingSession.objects.filter(
        client__primary_counselor_id__in=counselor_ids,
        note_due=True,  # attended, note missing or a draft
        ends_at__lt=due_before,
    ).exclude(client__status=ClientStatus.CLOSED)


def notes_awaiting_cosign(supervisor: User, counselor_ids) -> QuerySet:
    """Notes signed by these counselors and waiting for a co-signature the supervisor may give
    (their author is a current supervisee and the supervisor may read the client's record)."""
    return ProgressNote.objects.filter(
        status=NoteStatus.AWAITING_COSIGN,
        author_id__in=counselor_ids,
        client__in=Client.objects.clinical_for(supervisor),
    )


def open_endings_of(counselor_ids) -> QuerySet:
    from termination.models import Termination

    return (
        Termination.objects.open()
        .filter(client__primary_counselor_id__in=counselor_ids)
        .select_related("client__primary_counselor", "summary")
    )


@dataclass
class EndingItem:
    termination: object
    next_step: str
    deadline: dt.date | None
    overdue: bool

    @property
    def awaiting_approval(self) -> bool:
        from termination.models import TerminationState

        return self.termination.state == TerminationState.AWAITING_APPROVAL


def ending_items(endings, policy: PracticePolicy, today: dt.date) -> list[EndingItem]:
    from termination.selectors import next_deadline

    items = []
    for ending in endings:
        upcoming = next_deadline(ending, policy)
        items.append(
            EndingItem(
                termination=ending,
                next_step=upcoming[0] if upcoming else "",
                deadline=upcoming[1] if upcoming else None,
                overdue=bool(upcoming and upcoming[1] < today),
            )
        )
    items.sort(key=lambda item: (item.deadline is None, item.deadline or today))
    return items


# The review board --------------------------------------------------------------------------------


@dataclass
class BoardCount:
    key: str
    label: str
    count: int
    url: str = ""  # the list behind the count
    spoken: str = ""  # the count's name for a screen reader: what, for whom, how many


@dataclass
class SuperviseeRow:
    counselor: User
    url: str  # the supervisee's review page; each count links to it with ?flag=<key>
    caseload: int
    maximum: int
    counts: list[BoardCount]
    nearest_ending: EndingItem | None = None

    @property
    def over_maximum(self) -> bool:
        return self.caseload > self.maximum

    def count_of(self, key: str) -> int:
        return next(count.count for count in self.counts if count.key == key)


def supervisees_of(supervisor: User) -> list[User]:
    return list(supervisor.supervisees().order_by("last_name", "first_name", "username"))


def board_rows(
    *,
    supervisor: User,
    policy: PracticePolicy,
    counselors: list[User] | None = None,
    now: dt.datetime | None = None,
) -> list[SuperviseeRow]:
    """One row per current supervisee (or per counselor given, who must be supervisees) with
    their counts, in a fixed number of queries however many there are."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counselors = supervisees_of(supervisor) if counselors is None else counselors
    ids = [counselor.pk for counselor in counselors]
    per_counselor: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BOARD_COUNTS, 0))

    # Only what the counts read: the board sums up hundreds of clients and shows none of them.
    caseload, client_counts = open_client_counts(ids, supervisor=supervisor, policy=policy, now=now)
    for counselor_id, counted in client_counts.items():
        per_counselor[counselor_id].update(counted)

    grouped_counts = (
        ("notes", overdue_note_sessions(ids, policy, now), "client__primary_counselor_id"),
        ("cosign", notes_awaiting_cosign(supervisor, ids), "author_id"),
    )
    for key, queryset, counselor_field in grouped_counts:
        for counselor_id, count in (
            queryset.order_by().values_list(counselor_field).annotate(n=Count("pk"))
        ):
            per_counselor[counselor_id][key] = count

    for counselor_id, count in follow_ups_due_for_counselors(ids, today).items():
        per_counselor[counselor_id]["follow_ups"] = count
    for counselor_id, signals in relapse_signals_for_counselors(ids).items():
        per_counselor[counselor_id]["relapse"] = len(signals)

    nearest: dict[int, EndingItem] = {}
    for item in ending_items(open_endings_of(ids), policy, today):
        counselor_id = item.termination.client.primary_counselor_id
        per_counselor[counselor_id]["ending"] += 1
        per_counselor[counselor_id]["approval"] += item.awaiting_approval
        nearest.setdefault(counselor_id, item)  # items come sorted by deadline

    review_link = RowLink("supervision_counselor")
    return [
        SuperviseeRow(
            counselor=counselor,
            url=review_link(counselor.pk),
            caseload=caseload.get(counselor.pk, 0),
            maximum=policy.maximum_caseload,
            counts=_board_counts(counselor, review_link(counselor.pk), per_counselor[counselor.pk]),
            nearest_ending=nearest.get(counselor.pk),
        )
        for counselor in counselors
    ]


def _board_counts(counselor: User, url: str, counted: dict[str, int]) -> list[BoardCount]:
    """One row's counts, each with its link and its name for a screen reader (the sentences
    translated once per row, not once per cell)."""
    some = gettext("%(label)s for %(counselor)s: %(count)s")
    none = gettext("%(label)s for %(counselor)s: none")
    return [
        BoardCount(
            key,
            heading,
            counted[key],
            url=f"{url}?flag={key}",
            spoken=(some if counted[key] else none)
            % {"label": heading, "counselor": counselor, "count": counted[key]},
        )
        for key, (heading, _) in BOARD_COUNTS.items()
    ]


# One supervisee's list behind a count ------------------------------------------------------------


@dataclass
class SuperviseeList:
    key: str
    title: str
    clients: list[ClientFacts] = field(default_factory=list)
    sessions: list[CounselingSession] = field(default_factory=list)
    notes: list[ProgressNote] = field(default_factory=list)
    endings: list[EndingItem] = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    signals: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        """Which table shows this list: clients, sessions, notes, endings or the relapse watch."""
        if self.key in CLIENT_COUNTS:
            return "clients"
        return {
            "notes": "sessions",
            "cosign": "notes",
            "follow_ups": "watch",
            "relapse": "watch",
        }.get(self.key, "endings")


def supervisee_list(
    *,
    supervisor: User,
    counselor: User,
    key: str,
    policy: PracticePolicy,
    now: dt.datetime | None = None,
) -> SuperviseeList:
    """What stands behind one of the board's counts for one supervisee."""
    now = now or timezone.now()
    result = SuperviseeList(key=key, title=BOARD_COUNTS[key][1])
    if key in CLIENT_COUNTS:
        facts = open_client_facts(
            Client.objects.filter(primary_counselor=counselor),
            supervisor=supervisor,
            policy=policy,
            now=now,
        )
        result.clients = [item for item in facts if _fact_matches(item, key)]
    elif key == "notes":
        result.sessions = list(
            overdue_note_sessions([counselor.pk], policy, now)
            .select_related("client", "note")
            .order_by("starts_at", "pk")
        )
    elif key == "cosign":
        result.notes = list(cosign_queue(supervisor, [counselor.pk]))
    elif key == "follow_ups":
        result.follow_ups = list(
            follow_ups_outstanding([counselor.pk], timezone.localdate(now))
            .select_related("termination__client", "checkin")
            .order_by("due_on", "pk")
        )
    elif key == "relapse":
        result.signals = relapse_signals_for_counselors([counselor.pk])[counselor.pk]
    else:
        items = ending_items(open_endings_of([counselor.pk]), policy, timezone.localdate(now))
        result.endings = [item for item in items if key == "ending" or item.awaiting_approval]
    return result


def cosign_queue(supervisor: User, counselor_ids=None) -> QuerySet:
    """Notes waiting for this supervisor's co-signature, the longest-waiting first."""
    if counselor_ids is None:
        counselor_ids = supervisor.supervisees().values("pk")
    return (
        notes_awaiting_cosign(supervisor, counselor_ids)
        .select_related("client", "author", "session")
        .order_by("signed_at", "session__starts_at", "pk")
    )


def approval_queue(supervisor: User, policy: PracticePolicy) -> list[EndingItem]:
    """Supervisees' closing summaries waiting for approval, the nearest deadline first."""
    from termination.models import TerminationState

    endings = open_endings_of(supervisor.supervisees().values("pk")).filter(
        state=TerminationState.AWAITING_APPROVAL
    )
    return ending_items(endings.select_related("summary__signed_by"), policy, timezone.localdate())
