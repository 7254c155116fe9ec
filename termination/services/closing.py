"""The end of an ending: close (with its computed dates), follow-ups, reopen and withdraw."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import Client, ClientStatus
from clients.services import client_set_status
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import CounselingSession, SessionKind, SessionStatus
from sessions_app.services import session_set_status
from termination.models import (
    OPEN_STATES,
    FollowUp,
    Termination,
)
from termination.selectors import missing_for_close
from termination.services.workflow import State, _step

# 7–8. Close, follow-ups, reopen, withdraw ----------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 1 March, so nothing ends a day early."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def retention_date(*, client: Client, last_contact: dt.date, policy: PracticePolicy) -> dt.date:
    """Policy years after the last contact; for a minor, the later of that and majority + N."""
    retain = _add_years(last_contact, policy.retention_years)
    if client.age_on(last_contact) < policy.age_of_majority:
        majority = _add_years(client.date_of_birth, policy.age_of_majority)
        retain = max(retain, _add_years(majority, policy.minor_retention_years_after_majority))
    return retain


def last_contact_on(client: Client) -> dt.date | None:
    last = (
        CounselingSession.objects.filter(client=client, status=SessionStatus.ATTENDED)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(last).date() if last else None


@_step("close")
def termination_close(*, actor: User, termination: Termination) -> Termination:
    policy = PracticePolicy.current()
    missing = missing_for_close(termination, policy)
    if missing:
        raise ValidationError(["The ending cannot close yet. Missing:", *missing])
    today = timezone.localdate()
    client = termination.client
    future = CounselingSession.objects.filter(
        client=client, status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now()
    ).exclude(kind=SessionKind.FOLLOW_UP)
    for session in future:
        session_set_status(
            actor=actor, session=session, status=SessionStatus.CANCELLED, reason="Counseling ended"
        )
    ended_on = last_contact_on(client) or termination.final_session_on or today
    termination.ended_on = ended_on
    termination.relationship_barred_until = _add_years(ended_on, policy.no_relationship_years)
    termination.retain_until = retention_date(client=client, last_contact=ended_on, policy=policy)
    for offset in policy.follow_up_offsets_days:
        FollowUp.objects.get_or_create(
            termination=termination,
            offset_days=offset,
            defaults={"due_on": ended_on + dt.timedelta(days=offset)},
        )
    termination.state = State.CLOSED
    termination.closed_at, termination.closed_by = timezone.now(), actor
    termination.save()
    client_set_status(actor=actor, client=client, status=ClientStatus.CLOSED, on=today)
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
        raise ValidationError("That follow-up belongs to another ending.")
    if follow_up.outcome != FollowUp.Outcome.PENDING:
        raise ValidationError("This follow-up is already recorded.")
    if outcome not in FollowUp.Outcome.values or outcome == FollowUp.Outcome.PENDING:
        raise ValidationError({"outcome": "Choose what happened."})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "Record the follow-up on or after the day it happened."})
    follow_up.outcome, follow_up.done_on, follow_up.note = outcome, done_on, note.strip()
    follow_up.recorded_by = actor
    follow_up.save()
    return (
        follow_up,
        f"Follow-up at {follow_up.offset_days} days: {follow_up.get_outcome_display()}",
    )


def _ensure_counselor_or_supervisor(actor: User, termination: Termination) -> None:
    counselor = termination.client.primary_counselor
    if not (
        Client.objects.editable_by(actor).filter(pk=termination.client_id).exists()
        or (actor.is_supervisor and actor.supervises(counselor))
    ):
        raise ValidationError("Only the client's counselor or their supervisor can do this.")


@_step("reopen", editor=False)
def termination_reopen(*, actor: User, termination: Termination, reason: str) -> Termination:
    _ensure_counselor_or_supervisor(actor, termination)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is reopened."})
    if Termination.objects.filter(client=termination.client, state__in=OPEN_STATES).exists():
        raise ValidationError("This client already has another ending in progress.")
    termination.state = State.REOPENED
    termination.reopened_at, termination.reopen_reason = timezone.now(), reason.strip()
    termination.save()
    client_set_status(actor=actor, client=termination.client, status=ClientStatus.ACTIVE)
    return termination, reason.strip()


@_step("withdraw", editor=False)
def termination_withdraw(*, actor: User, termination: Termination, reason: str) -> Termination:
    """The client and counselor decide to continue: the ending stops, counseling goes on."""
    _ensure_counselor_or_supervisor(actor, termination)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the ending is withdrawn."})
    termination.state = State.WITHDRAWN
    termination.save()
    client_set_status(actor=actor, client=termination.client, status=ClientStatus.ACTIVE)
    return termination, reason.strip()
