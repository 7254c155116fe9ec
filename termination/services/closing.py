"""The end of an ending: close (with its computed dates), follow-ups, reopen and withdraw."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, ClientStatus, GoalStatus
from clients.services import client_set_status, goal_update
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import CounselingSession, SessionKind, SessionStatus
from sessions_app.services import session_schedule, session_set_status
from termination import dates
from termination.models import (
    OPEN_STATES,
    FollowUp,
    Termination,
)
from termination.relapse_models import RelapseSignal, SignalAction
from termination.relapse_watch import RELAPSE, relapse_watch_schedule
from termination.selectors import missing_for_close, summary_of
from termination.services.workflow import State, _step

# 7–8. Close, follow-ups, reopen, withdraw ----------------------------------------------------


# The dates live in termination/dates.py; these names stay for the callers that used them here.
last_contact_on = dates.last_contact_on
retention_date = dates.retention_date


@_step("close")
def termination_close(
    *, actor: User, termination: Termination, early_reason: str = ""
) -> Termination:
    """Close the ending today. Before the final session, or before the date a closing letter
    promised the client, only with a recorded reason (kept in the history)."""
    policy = PracticePolicy.current()
    missing = missing_for_close(termination, policy)
    if missing:
        raise ValidationError([_("The ending cannot close yet. Missing:"), *missing])
    today = timezone.localdate()
    early = dates.early_close_problem(termination, on=today)
    if early and not early_reason.strip():
        raise ValidationError({"early_reason": early})
    client = termination.client
    future = CounselingSession.objects.filter(
        client=client, status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now()
    ).exclude(kind=SessionKind.FOLLOW_UP)
    for session in future:
        session_set_status(
            actor=actor,
            session=session,
            status=SessionStatus.CANCELLED,
            reason=_("Counseling ended"),
        )
    _settle_goals(actor, termination)
    after = dates.after_last_contact(termination, policy, fallback=today)
    termination.ended_on = after.last_contact
    termination.relationship_barred_until = after.relationship_barred_until
    termination.retain_until = after.retain_until
    # Follow-ups count from the close: an ending never closes with one already overdue.
    for offset, due_on in dates.follow_up_schedule(today, policy):
        FollowUp.objects.get_or_create(
            termination=termination, offset_days=offset, defaults={"due_on": due_on}
        )
    termination.state = State.CLOSED
    termination.closed_at, termination.closed_by = timezone.now(), actor
    termination.save()
    relapse_watch_schedule(termination=termination, policy=policy, closed_on=today)
    client_set_status(actor=actor, client=client, status=ClientStatus.CLOSED, on=today)
    if early:
        return termination, _("Closed early: %(reason)s") % {"reason": early_reason.strip()}
    return termination


@_step("follow_up")
def termination_record_follow_up(
    *,
    actor: User,
    termination: Termination,
    follow_up: FollowUp,
    outcome: str,
    done_on: dt.date,
    note: str = "",
) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_for_update()
        .filter(pk=follow_up.pk, termination=termination)
        .first()
    )
    if follow_up is None:
        raise ValidationError(_("That follow-up belongs to another ending."))
    if follow_up.outcome != FollowUp.Outcome.PENDING:
        raise ValidationError(_("This follow-up is already recorded."))
    if outcome not in FollowUp.Outcome.values or outcome == FollowUp.Outcome.PENDING:
        raise ValidationError({"outcome": _("Choose what happened.")})
    if done_on > timezone.localdate():
        raise ValidationError(
            {"done_on": _("Record the follow-up on or after the day it happened.")}
        )
    follow_up.outcome, follow_up.done_on, follow_up.note = outcome, done_on, note.strip()
    follow_up.recorded_by = actor
    follow_up.save()
    if outcome in dates.FOLLOW_UPS_REACHED:
        _move_last_contact(termination)
    return (
        follow_up,
        _("Follow-up at %(days)s days: %(outcome)s")
        % {"days": follow_up.offset_days, "outcome": follow_up.get_outcome_display()},
    )


def _settle_goals(actor: User, termination: Termination) -> None:
    """Each goal still active takes the outcome given in the summary, through the goal service."""
    summary = summary_of(termination)
    outcomes = (summary.goal_outcomes if summary else None) or {}
    for goal in termination.client.goals.filter(status=GoalStatus.ACTIVE):
        if str(goal.pk) in outcomes:
            goal_update(actor=actor, goal=goal, status=outcomes[str(goal.pk)])


def _move_last_contact(termination: Termination) -> None:
    """A follow-up that reached the client is a contact: the dates counted from the last contact
    move with it (never earlier)."""
    after = dates.after_last_contact(
        termination, PracticePolicy.current(), fallback=termination.ended_on
    )
    if termination.ended_on is None or after.last_contact > termination.ended_on:
        termination.ended_on = after.last_contact
        termination.relationship_barred_until = after.relationship_barred_until
        termination.retain_until = after.retain_until
        termination.save()


@_step("reopen")
def termination_reopen(*, actor: User, termination: Termination, reason: str) -> Termination:
    """The client comes back: the counselor's decision, like withdrawing. A supervisor reviews
    the record and does not reopen it (DESIGN: supervisors are read-only but for review)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is reopened.")})
    if Termination.objects.filter(client=termination.client, state__in=OPEN_STATES).exists():
        raise ValidationError(_("This client already has another ending in progress."))
    termination.state = State.REOPENED
    termination.reopened_at, termination.reopen_reason = timezone.now(), reason.strip()
    termination.save()
    client_set_status(actor=actor, client=termination.client, status=ClientStatus.ACTIVE)
    return termination, reason.strip()


@_step("withdraw")
def termination_withdraw(*, actor: User, termination: Termination, reason: str) -> Termination:
    """The client and counselor decide to continue: the ending stops, counseling goes on. The
    counselor's decision: a supervisor reviews, and does not withdraw a counselor's ending."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the ending is withdrawn.")})
    termination.state = State.WITHDRAWN
    termination.save()
    client_set_status(actor=actor, client=termination.client, status=ClientStatus.ACTIVE)
    return termination, reason.strip()


# From a relapse signal after the ending (termination/relapse_watch.py) ----------------------


@transaction.atomic
def relapse_signal_respond(
    *,
    actor: User,
    signal: RelapseSignal,
    action: str,
    starts_at: dt.datetime | None = None,
    duration_minutes: int = 50,
    modality: str = "in_person",
    request: HttpRequest | None = None,
) -> RelapseSignal:
    """In one step from a signal: reopen the record (reason "relapse"), and for a booster also
    schedule the booster session. Through the ending's own services."""
    signal = RelapseSignal.objects.select_for_update(of=("self",)).get(pk=signal.pk)
    if signal.handled_at is not None:
        raise ValidationError(_("Someone already acted on this signal."))
    if action not in SignalAction.values:
        raise ValidationError(_("Choose what to offer."))
    if action == SignalAction.BOOSTER and starts_at is None:
        raise ValidationError({"starts_at": _("Give the booster session's date and time.")})
    termination = signal.termination
    termination_reopen(actor=actor, termination=termination, reason=RELAPSE, request=request)
    if action == SignalAction.BOOSTER:
        client = Client.objects.get(pk=termination.client_id)
        signal.booster_session = session_schedule(
            actor=actor,
            counselor=actor,
            client=client,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            modality=modality,
            kind=SessionKind.BOOSTER,
            request=request,
        )
    signal.handled_at, signal.handled_by, signal.action = timezone.now(), actor, action
    signal.save(update_fields=["handled_at", "handled_by", "action", "booster_session"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=signal,
        client_id=termination.client_id,
        summary=f"Relapse signal answered: {action}",
        request=request,
    )
    return signal
