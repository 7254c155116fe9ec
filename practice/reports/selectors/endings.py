"""Report 1, endings: planned against unplanned by counselor, month, initiator and reason; the
time from intake to the ending; and which steps met their deadline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.policy.models import PracticePolicy
from practice.reports.forms import ReportFilters
from practice.reports.selectors.base import endings
from termination.models import EndingKind, FollowUp

# A follow-up recorded within a week of its due date is on time: a call on day 33 of a 30-day
# follow-up is the follow-up the policy asked for.
FOLLOW_UP_GRACE_DAYS = 7

# Time from intake to the ending, in days: (key, label, first day, last day or None).
DURATION_BUCKETS: list[tuple[str, str, int, int | None]] = [
    ("under_1m", _("Under 1 month"), 0, 30),
    ("1_3m", _("1–3 months"), 31, 91),
    ("3_6m", _("3–6 months"), 92, 182),
    ("6_12m", _("6–12 months"), 183, 365),
    ("over_1y", _("Over a year"), 366, None),
]


@dataclass
class KindCounts:
    """Planned and unplanned endings of one group (a month, an initiator, a reason …)."""

    planned: int = 0
    unplanned: int = 0

    @property
    def total(self) -> int:
        return self.planned + self.unplanned

    def add(self, kind: str, count: int) -> None:
        if kind == EndingKind.PLANNED:
            self.planned += count
        else:
            self.unplanned += count


@dataclass
class StepsOnTime:
    planned: int = 0
    notice_on_time: int = 0
    notice_short_with_reason: int = 0
    notice_short_without_reason: int = 0
    notice_not_recorded: int = 0
    summaries_with_due_date: int = 0
    summaries_on_time: int = 0
    summaries_late: int = 0
    follow_ups_due: int = 0
    follow_ups_on_time: int = 0
    follow_ups_late: int = 0
    follow_ups_not_done: int = 0


@dataclass
class EndingsFigures:
    by_counselor: dict[int, KindCounts] = field(default_factory=dict)
    by_month: dict[dt.date, KindCounts] = field(default_factory=dict)
    by_initiator: dict[str, KindCounts] = field(default_factory=dict)
    by_reason: dict[str, KindCounts] = field(default_factory=dict)
    by_duration: dict[str, KindCounts] = field(default_factory=dict)
    steps: StepsOnTime = field(default_factory=StepsOnTime)

    @property
    def pooled(self) -> KindCounts:
        pooled = KindCounts()
        for counts in self.by_counselor.values():
            pooled.planned += counts.planned
            pooled.unplanned += counts.unplanned
        return pooled


GROUPINGS = {
    "by_counselor": "client__primary_counselor",
    "by_month": "month",
    "by_initiator": "initiated_by",
    "by_reason": "reason",
    "by_duration": "bucket",
}


def _grouped(queryset) -> dict[str, dict]:
    """Planned and unplanned counts by each of GROUPINGS, from one GROUP BY over all five
    (a row per combination that occurs, never more than the endings) summed up here, where a
    query per grouping cost five round trips."""
    groups: dict[str, dict] = {name: defaultdict(KindCounts) for name in GROUPINGS}
    rows = queryset.values(*GROUPINGS.values(), "kind").annotate(count=Count("id")).order_by()
    for row in rows:
        for name, key in GROUPINGS.items():
            groups[name][row[key]].add(row["kind"], row["count"])
    return {name: dict(counts) for name, counts in groups.items()}


def _days(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _duration_bucket() -> Case:
    whens = []
    for key, _label, _first, last in DURATION_BUCKETS:
        if last is not None:
            whens.append(When(length__lte=dt.timedelta(days=last), then=Value(key)))
    return Case(*whens, default=Value(DURATION_BUCKETS[-1][0]))


def endings_figures(filters: ReportFilters, policy: PracticePolicy) -> EndingsFigures:
    counted = endings(filters)
    figures = EndingsFigures(
        **_grouped(
            counted.annotate(
                month=TruncMonth("ended_on"), length=_days("ended_on", "client__intake_date")
            ).annotate(bucket=_duration_bucket())
        )
    )
    figures.steps = steps_on_time(filters, policy)
    return figures


def steps_on_time(filters: ReportFilters, policy: PracticePolicy) -> StepsOnTime:
    """Notice (planned endings only), the closing summary, and the follow-ups due so far."""
    counted = endings(filters).annotate(
        notice=_days("final_session_on", "raised_on"),
        summary_signed_on=TruncDate("summary__signed_at"),
    )
    planned = Q(kind=EndingKind.PLANNED)
    recorded = Q(raised_on__isnull=False, final_session_on__isnull=False)
    long_enough = Q(notice__gte=dt.timedelta(days=policy.minimum_notice_days))
    with_due = Q(summary__due_on__isnull=False, summary__signed_at__isnull=False)
    endings_row = counted.aggregate(
        planned=Count("id", filter=planned),
        notice_on_time=Count("id", filter=planned & recorded & long_enough),
        notice_short_with_reason=Count(
            "id", filter=planned & recorded & ~long_enough & ~Q(notice_override_reason="")
        ),
        notice_short_without_reason=Count(
            "id", filter=planned & recorded & ~long_enough & Q(notice_override_reason="")
        ),
        notice_not_recorded=Count("id", filter=planned & ~recorded),
        summaries_with_due_date=Count("id", filter=with_due),
        summaries_on_time=Count(
            "id", filter=with_due & Q(summary_signed_on__lte=F("summary__due_on"))
        ),
    )
    today = timezone.localdate()
    grace = dt.timedelta(days=FOLLOW_UP_GRACE_DAYS)
    # Only follow-ups whose week of grace has passed: each has had its whole chance.
    follow_ups = FollowUp.objects.filter(
        termination__in=endings(filters), due_on__lt=today - grace
    ).annotate(lateness=_days("done_on", "due_on"))
    done = ~Q(outcome=FollowUp.Outcome.PENDING) & Q(done_on__isnull=False)
    follow_up_row = follow_ups.aggregate(
        due=Count("id"),
        on_time=Count("id", filter=done & Q(lateness__lte=grace)),
        late=Count("id", filter=done & Q(lateness__gt=grace)),
        not_done=Count("id", filter=~done),
    )
    return StepsOnTime(
        **endings_row,
        summaries_late=endings_row["summaries_with_due_date"] - endings_row["summaries_on_time"],
        follow_ups_due=follow_up_row["due"],
        follow_ups_on_time=follow_up_row["on_time"],
        follow_ups_late=follow_up_row["late"],
        follow_ups_not_done=follow_up_row["not_done"],
    )
