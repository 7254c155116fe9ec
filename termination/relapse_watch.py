"""The relapse watch after an ending.

Relapse after counseling is common and early: of 439 people who recovered in routine
low-intensity CBT, 53% relapsed within a year, 79% of them in the first 6 months, and residual
symptoms at the end (PHQ-9 5-9) nearly doubled the risk (Ali et al. 2017, Behaviour Research
and Therapy 94:1-8). So, for a client who agreed to be contacted:

- at close, follow-up check-ins are scheduled at the policy's offsets (30, 90, 180 days), or
  monthly for the first months when the last PHQ-9 or GAD-7 before the end was in the residual
  range (policy: from 5 up to the instrument's cutoff) (`relapse_watch_schedule`);
- the check-in sweep sends each on its day (`follow_ups_due`, `relapse_watch_send`): the
  outcome measures the client used, plus three questions of our own;
- an answer raises a relapse signal (`relapse_evaluate`) when a score is back at or above the
  cutoff, shows reliable deterioration from the last score before the end (exactly the
  threshold counts), the client would like to talk, or a risk item is endorsed. The counselor
  is alerted at once (reminders/checkin_alerts.py);
- from a signal the counselor offers a booster session or reopens the record, in one step,
  with the reopen reason "relapse" (`relapse_signal_respond`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.checkins.models import CheckIn, CheckInChannel, CheckInItem, CheckInPurpose
from sessions_app.checkins.services import checkin_send, may_email
from sessions_app.models import Instrument, InstrumentKind, Rating
from sessions_app.scoring import is_clinical
from termination.models import Termination, TerminationState
from termination.relapse_models import (
    ContactChoice,
    FollowUpContact,
    RelapseSignal,
    SignalReason,
    WatchCheckIn,
    WatchState,
)

RESIDUAL_INSTRUMENTS = ("PHQ-9", "GAD-7")
MONTH_DAYS = 30
RELAPSE = "relapse"


# The client's choice ---------------------------------------------------------------------------


@transaction.atomic
def contact_choice_record(
    *, actor: User, termination: Termination, choice: str, request: HttpRequest | None = None
) -> FollowUpContact | None:
    """Recorded at the relapse-plan step (blank: not asked yet, nothing changes)."""
    if not choice:
        return None
    if choice not in ContactChoice.values:
        raise ValidationError({"follow_up_contact": _("Choose one answer.")})
    if not Client.objects.editable_by(actor).filter(pk=termination.client_id).exists():
        raise ValidationError(_("Only the client's counselor can record this."))
    contact, _created = FollowUpContact.objects.update_or_create(
        termination=termination,
        defaults={"choice": choice, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=contact,
        client_id=termination.client_id,
        summary=f"Follow-up contact after the end: {choice}",
        request=request,
    )
    return contact


# Scheduling at close ---------------------------------------------------------------------------


def last_scores_before_end(termination: Termination) -> dict[int, Rating]:
    """instrument pk -> the client's last outcome rating before the end (one query): recorded
    before the close (a measure given between the last session and the close counts; the
    follow-ups' own answers never do), or, before a close, given by the last contact."""
    ratings = Rating.objects.filter(
        client_id=termination.client_id, instrument__kind=InstrumentKind.OUTCOME
    )
    if termination.closed_at is not None:
        ratings = ratings.filter(created_at__lte=termination.closed_at)
    elif termination.ended_on is not None:
        ratings = ratings.filter(administered_on__lte=termination.ended_on)
    else:
        return {}
    ratings = ratings.select_related("instrument").order_by("administered_on", "created_at", "pk")
    return {rating.instrument_id: rating for rating in ratings}


def has_residual_symptoms(ratings: Iterable[Rating], policy: PracticePolicy) -> bool:
    """The last PHQ-9 or GAD-7 from the policy's floor up to (not including) its cutoff."""
    for rating in ratings:
        instrument = rating.instrument
        if instrument.short_name not in RESIDUAL_INSTRUMENTS or instrument.clinical_cutoff is None:
            continue
        if Decimal(policy.residual_symptoms_from) <= rating.total < instrument.clinical_cutoff:
            return True
    return False


def watch_offsets(*, residual: bool, policy: PracticePolicy) -> list[tuple[int, bool]]:
    """(days after the end, monthly?) for each follow-up check-in."""
    offsets = list(policy.follow_up_offsets_days)
    if not residual:
        return [(days, False) for days in offsets]
    months = policy.residual_watch_months * MONTH_DAYS
    monthly = list(range(MONTH_DAYS, months + 1, MONTH_DAYS))
    return [(days, True) for days in monthly] + [(days, False) for days in offsets if days > months]


def relapse_watch_schedule(
    *, termination: Termination, policy: PracticePolicy, closed_on: dt.date
) -> int:
    """Called once by termination_close, in its transaction: the follow-up check-ins of a
    client who agreed to be checked in with by email, counted from the close like the
    counselor's follow-ups (termination/dates.py). Returns how many were scheduled."""
    contact = FollowUpContact.objects.filter(termination=termination).first()
    if contact is None or contact.choice != ContactChoice.EMAIL:
        return 0
    last = last_scores_before_end(termination)
    residual = has_residual_symptoms(last.values(), policy)
    rows = [
        WatchCheckIn(
            termination=termination,
            offset_days=days,
            due_on=closed_on + dt.timedelta(days=days),
            monthly=monthly,
        )
        for days, monthly in watch_offsets(residual=residual, policy=policy)
    ]
    WatchCheckIn.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# Sending ---------------------------------------------------------------------------------------


def follow_ups_due(*, now: dt.datetime) -> list[int]:
    """Ids of follow-up check-ins whose day has come (one query)."""
    return list(
        WatchCheckIn.objects.filter(
            state=WatchState.SCHEDULED,
            due_on__lte=timezone.localdate(now),
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


def _skip(watch: WatchCheckIn, reason: str) -> None:
    watch.state, watch.skip_reason = WatchState.SKIPPED, reason[:200]
    watch.save(update_fields=["state", "skip_reason"])


def instruments_used(client: Client) -> list[Instrument]:
    """The enabled outcome measures the client answered during counseling."""
    used = (
        Rating.objects.filter(client=client, instrument__kind=InstrumentKind.OUTCOME)
        .values_list("instrument_id", flat=True)
        .distinct()
    )
    return list(Instrument.objects.enabled().filter(pk__in=used).order_by("name"))


def relapse_watch_send(*, watch_id: int) -> CheckIn | None:
    """Send one follow-up check-in, once. Skipped (and never retried) when the record was
    reopened, the client opted out or can no longer be emailed."""
    with transaction.atomic():
        watch = (
            WatchCheckIn.objects.select_for_update(of=("self",))
            .select_related("termination__client")
            .filter(pk=watch_id)
            .first()
        )
        if watch is None or watch.state != WatchState.SCHEDULED:
            return None
        termination = watch.termination
        client = termination.client
        if termination.state != TerminationState.CLOSED:
            _skip(watch, _("The record was reopened."))
            return None
        if _opted_out(client):
            _skip(watch, _("The client asked not to be contacted."))
            return None
        why_not = may_email(client, timezone.localdate())
        if why_not:
            _skip(watch, why_not)
            return None
        checkin = checkin_send(
            actor=None,
            client=client,
            instruments=instruments_used(client),
            channel=CheckInChannel.EMAIL,
            purpose=CheckInPurpose.FOLLOW_UP,
            due_on=watch.due_on,
        )
        watch.state, watch.checkin = WatchState.SENT, checkin
        watch.save(update_fields=["state", "checkin"])
        return checkin


def _opted_out(client: Client) -> bool:
    from sessions_app.checkins.models import CheckInOptOut

    return CheckInOptOut.objects.filter(client=client).exists()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_follow_up_checkin(watch_id: int) -> bool:
    """One follow-up check-in of the relapse watch, on its day."""
    return relapse_watch_send(watch_id=watch_id) is not None


# Signals ---------------------------------------------------------------------------------------


def score_reasons(
    instrument: Instrument, score: Decimal, baseline: Decimal | None
) -> list[dict[str, str]]:
    """Why one score signals a relapse: at or above the cutoff, and/or reliably worse than the
    last score before the end (a change of exactly the threshold counts, as in scoring)."""
    found = []
    entry = {"instrument": instrument.short_name, "score": f"{score.normalize():f}"}
    if baseline is not None:
        entry["baseline"] = f"{baseline.normalize():f}"
    if is_clinical(instrument, score):
        found.append({"reason": SignalReason.CUTOFF, **entry})
    if baseline is not None and instrument.reliable_change is not None:
        worsening = (baseline - score) if instrument.higher_is_better else (score - baseline)
        if worsening >= instrument.reliable_change:
            found.append({"reason": SignalReason.DETERIORATION, **entry})
    return found


def relapse_evaluate(*, checkin: CheckIn) -> RelapseSignal | None:
    """Called when a follow-up check-in is completed, inside that transaction."""
    watch = WatchCheckIn.objects.select_related("termination__client").filter(checkin=checkin)
    watch = watch.first()
    if watch is None:
        return None
    termination = watch.termination
    last = last_scores_before_end(termination)
    reasons: list[dict[str, str]] = []
    items = CheckInItem.objects.filter(checkin=checkin, rating__isnull=False).select_related(
        "instrument", "rating"
    )
    for item in items:
        baseline = last.get(item.instrument_id)
        reasons += score_reasons(
            item.instrument, item.rating.total, baseline.total if baseline else None
        )
    if checkin.wants_to_talk:
        reasons.append({"reason": SignalReason.WANTS_TO_TALK})
    if checkin.risk_endorsed:
        reasons.append({"reason": SignalReason.RISK})
    if not reasons:
        return None
    signal, _created = RelapseSignal.objects.get_or_create(
        checkin=checkin,
        defaults={"termination": termination, "reasons": reasons, "raised_at": timezone.now()},
    )
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        obj=signal,
        client_id=termination.client_id,
        summary="Relapse signal raised by a follow-up check-in",
        username="relapse watch",
    )
    return signal


# Reading ---------------------------------------------------------------------------------------


@dataclass
class TimelineRow:
    watch: WatchCheckIn
    scores: list[dict] = field(default_factory=list)
    signal: RelapseSignal | None = None


@dataclass
class Timeline:
    contact: FollowUpContact | None
    baselines: list[Rating]
    rows: list[TimelineRow]
    open_signals: list[RelapseSignal]


def watch_timeline(termination: Termination) -> Timeline:
    """Each follow-up check-in with its scores against the end-of-counseling score (a fixed
    number of queries for any number of check-ins)."""
    contact = FollowUpContact.objects.filter(termination=termination).first()
    last = last_scores_before_end(termination)
    watches = list(WatchCheckIn.objects.filter(termination=termination).select_related("checkin"))
    checkin_ids = [watch.checkin_id for watch in watches if watch.checkin_id]
    items = defaultdict(list)
    for item in CheckInItem.objects.filter(
        checkin_id__in=checkin_ids, rating__isnull=False
    ).select_related("instrument", "rating"):
        items[item.checkin_id].append(item)
    signals = {
        signal.checkin_id: signal
        for signal in RelapseSignal.objects.filter(termination=termination)
    }
    rows = []
    for watch in watches:
        scores = [
            {
                "instrument": item.instrument.short_name,
                "score": item.rating.total,
                "end": last[item.instrument_id].total if item.instrument_id in last else None,
            }
            for item in items.get(watch.checkin_id, [])
        ]
        rows.append(TimelineRow(watch, scores, signals.get(watch.checkin_id)))
    return Timeline(
        contact=contact,
        baselines=list(last.values()),
        rows=rows,
        open_signals=[signal for signal in signals.values() if signal.handled_at is None],
    )


def follow_ups_outstanding(counselor_ids: Iterable[int], today: dt.date | None = None):
    """Follow-up check-ins of these counselors' former clients due by today and not yet
    answered (sent and waiting, or scheduled): the supervision board's list."""
    today = today or timezone.localdate()
    return WatchCheckIn.objects.filter(
        termination__client__primary_counselor_id__in=list(counselor_ids), due_on__lte=today
    ).filter(Q(state=WatchState.SCHEDULED) | Q(state=WatchState.SENT, checkin__state="waiting"))


def follow_ups_due_for_counselors(
    counselor_ids: Iterable[int], today: dt.date | None = None
) -> dict[int, int]:
    """counselor pk -> how many follow_ups_outstanding. One query: for the supervision board."""
    ids = list(counselor_ids)
    rows = (
        follow_ups_outstanding(ids, today)
        .order_by()
        .values("termination__client__primary_counselor_id")
        .annotate(n=Count("pk"))
    )
    found = dict.fromkeys(ids, 0)
    for row in rows:
        found[row["termination__client__primary_counselor_id"]] = row["n"]
    return found


def relapse_signals_for_counselors(counselor_ids: Iterable[int]) -> dict[int, list]:
    """counselor pk -> their former clients' relapse signals nobody has acted on yet, newest
    first (one query): for the supervision board's column and its list."""
    ids = list(counselor_ids)
    found: dict[int, list] = {pk: [] for pk in ids}
    for signal in (
        RelapseSignal.objects.filter(
            termination__client__primary_counselor_id__in=ids, handled_at__isnull=True
        )
        .select_related("termination__client")
        .order_by("-raised_at", "-pk")
    ):
        found[signal.termination.client.primary_counselor_id].append(signal)
    return found
