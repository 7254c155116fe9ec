"""Report 4, after the end: what the record already holds about former clients.

Today that is the follow-ups the counselor records after the close (reached, not reached,
returned to care; a follow-up not recorded but answered on the phone counts as a response),
reopened records and booster sessions after the close.

And, from the relapse watch (termination/relapse_watch.py), the follow-up check-ins former
clients answered on their phone (still below the cutoff at each offset) and the relapse signals
they raised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone

from practice.policy.models import PracticePolicy
from practice.reports.forms import ReportFilters
from practice.reports.selectors.base import endings
from sessions_app.checkins.models import CheckInItem, CheckInState
from sessions_app.models import CounselingSession, InstrumentKind, SessionKind, SessionStatus
from termination.models import FollowUp, TerminationState
from termination.relapse_models import RelapseSignal, WatchCheckIn


@dataclass
class FollowUpCounts:
    not_yet_due: int = 0
    pending: int = 0  # due, not recorded: a non-response so far
    reached: int = 0
    not_reached: int = 0
    returned: int = 0
    # Not recorded by the counselor, but the former client answered the follow-up check-in of
    # the relapse watch at that offset: a response, however early.
    answered: int = 0

    @property
    def due(self) -> int:
        return self.pending + self.reached + self.not_reached + self.returned + self.answered

    @property
    def no_response(self) -> int:
        return self.pending + self.not_reached


@dataclass
class ReturnCounts:
    endings: int = 0
    reopened: int = 0
    booster: int = 0
    follow_up_returned: int = 0
    any_return: int = 0


@dataclass(frozen=True)
class WellnessAtOffset:
    """Former clients below the clinical cutoff at a follow-up offset (from check-ins)."""

    offset_days: int
    answered: int
    below_cutoff: int


@dataclass(frozen=True)
class RelapseSignals:
    """Endings with a relapse signal from the relapse watch, and within which window."""

    watched: int
    signalled: int
    signalled_within_180_days: int


@dataclass
class AfterFigures:
    # (offset in days, ending kind) -> counts
    follow_ups: dict[tuple[int, str], FollowUpCounts] = field(default_factory=dict)
    returns: dict[str, ReturnCounts] = field(default_factory=dict)
    wellness: list[WellnessAtOffset] | None = None
    relapse: dict[str, RelapseSignals] | None = None
    # The policy's follow-up offsets, at which "still well" is counted.
    follow_up_offsets: list[int] = field(default_factory=list)

    def offsets(self) -> list[int]:
        return sorted({offset for offset, _kind in self.follow_ups})

    def follow_ups_at(self, offset: int, kind: str | None = None) -> FollowUpCounts:
        total = FollowUpCounts()
        for (cell_offset, cell_kind), counts in self.follow_ups.items():
            if cell_offset == offset and (kind is None or cell_kind == kind):
                for name in (column.name for column in dataclasses.fields(FollowUpCounts)):
                    setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total


def after_figures(filters: ReportFilters, policy: PracticePolicy | None = None) -> AfterFigures:
    policy = policy or PracticePolicy.current()
    counted = endings(filters)
    today = timezone.localdate()
    outcome = FollowUp.Outcome
    answered_checkin = WatchCheckIn.objects.filter(
        termination=OuterRef("termination"),
        offset_days=OuterRef("offset_days"),
        checkin__state=CheckInState.COMPLETED,
    )
    unrecorded = Q(outcome=outcome.PENDING, has_answer=False)
    follow_up_rows = (
        FollowUp.objects.filter(termination__in=counted)
        .annotate(has_answer=Exists(answered_checkin))
        .values("offset_days", "termination__kind")
        .annotate(
            not_yet_due=Count("id", filter=unrecorded & Q(due_on__gt=today)),
            pending=Count("id", filter=unrecorded & Q(due_on__lte=today)),
            reached=Count("id", filter=Q(outcome=outcome.REACHED)),
            not_reached=Count("id", filter=Q(outcome=outcome.NOT_REACHED)),
            returned=Count("id", filter=Q(outcome=outcome.RETURNED)),
            answered=Count("id", filter=Q(outcome=outcome.PENDING, has_answer=True)),
        )
        .order_by("offset_days", "termination__kind")
    )
    figures = AfterFigures()
    for row in follow_up_rows:
        key = (row.pop("offset_days"), row.pop("termination__kind"))
        figures.follow_ups[key] = FollowUpCounts(**row)
    booster = CounselingSession.objects.filter(
        client=OuterRef("client"),
        kind=SessionKind.BOOSTER,
        starts_at__gt=OuterRef("closed_at"),
        status__in=(SessionStatus.SCHEDULED, SessionStatus.ATTENDED),
    )
    returned = FollowUp.objects.filter(termination=OuterRef("pk"), outcome=outcome.RETURNED)
    reopened = Q(state=TerminationState.REOPENED)
    return_rows = (
        counted.annotate(has_booster=Exists(booster), has_returned=Exists(returned))
        .values("kind")
        .annotate(
            endings=Count("id"),
            reopened=Count("id", filter=reopened),
            booster=Count("id", filter=Q(has_booster=True)),
            follow_up_returned=Count("id", filter=Q(has_returned=True)),
            any_return=Count("id", filter=reopened | Q(has_booster=True) | Q(has_returned=True)),
        )
        .order_by("kind")
    )
    for row in return_rows:
        kind = row.pop("kind")
        figures.returns[kind] = ReturnCounts(**row)
    figures.follow_up_offsets = list(policy.follow_up_offsets_days)
    figures.wellness = wellness_at_offsets(filters, today, figures.follow_up_offsets)
    figures.relapse = relapse_signals(filters, today)
    return figures


def wellness_at_offsets(
    filters: ReportFilters, today: dt.date, offsets: list[int] | None = None
) -> list[WellnessAtOffset]:
    """Former clients still well at each of the policy's follow-up offsets (30, 90 and 180 days
    by default): among the answered check-ins of the relapse watch at those offsets (a monthly
    watch's other months are left out), those with no outcome measure on the clinical side of
    its cutoff (higher or lower, as the instrument says). One GROUP BY."""
    clinical = CheckInItem.objects.filter(
        checkin=OuterRef("checkin"),
        rating__isnull=False,
        instrument__kind=InstrumentKind.OUTCOME,
        instrument__clinical_cutoff__isnull=False,
    ).filter(
        Q(instrument__higher_is_better=False, rating__total__gte=F("instrument__clinical_cutoff"))
        | Q(instrument__higher_is_better=True, rating__total__lt=F("instrument__clinical_cutoff"))
    )
    rows = (
        WatchCheckIn.objects.filter(
            termination__in=endings(filters),
            checkin__state=CheckInState.COMPLETED,
            offset_days__in=(
                offsets if offsets is not None else PracticePolicy.current().follow_up_offsets_days
            ),
        )
        .annotate(unwell=Exists(clinical))
        .values("offset_days")
        .annotate(answered=Count("id"), below_cutoff=Count("id", filter=Q(unwell=False)))
        .order_by("offset_days")
    )
    return [WellnessAtOffset(**row) for row in rows]


def relapse_signals(filters: ReportFilters, today: dt.date) -> dict[str, RelapseSignals]:
    """Per ending kind: endings watched after the close, those with a relapse signal, and those
    whose first signal came within 180 days of the close. One GROUP BY."""
    within = ExpressionWrapper(
        OuterRef("closed_at") + dt.timedelta(days=180), output_field=DateTimeField()
    )
    signals = RelapseSignal.objects.filter(termination=OuterRef("pk"))
    rows = (
        endings(filters)
        .annotate(
            is_watched=Exists(WatchCheckIn.objects.filter(termination=OuterRef("pk"))),
            has_signal=Exists(signals),
            has_early_signal=Exists(signals.filter(raised_at__lte=within)),
        )
        .values("kind")
        .annotate(
            watched=Count("id", filter=Q(is_watched=True)),
            signalled=Count("id", filter=Q(has_signal=True)),
            signalled_within_180_days=Count("id", filter=Q(has_early_signal=True)),
        )
        .order_by("kind")
    )
    return {row.pop("kind"): RelapseSignals(**row) for row in rows}
