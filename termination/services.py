"""Every step and transition of an ending. Each function locks the termination row, checks the
move is allowed from the current state, changes it, writes a TerminationEvent and an audit row.
Nothing else assigns Termination.state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from clients.models import Client, ClientStatus, InformationCategory
from clients.services import client_set_status, client_transfer, disclosure_allowed
from practice.audit import audit_record
from practice.models import AuditEvent, PracticePolicy, User
from sessions_app.models import CounselingSession, SessionKind, SessionStatus
from sessions_app.services import session_schedule, session_set_status

from .models import (
    OPEN_STATES,
    SUMMARY_CONTENT_FIELDS,
    ClosingSummary,
    EndingKind,
    FollowUp,
    Initiator,
    OutreachAttempt,
    Provider,
    Reason,
    Referral,
    RelapsePlan,
    SummaryAddendum,
    SummaryStatus,
    TaperSession,
    Termination,
    TerminationEvent,
    TerminationState,
)
from .relapse_watch import relapse_watch_schedule
from .selectors import checklist, missing_for_close, summary_draft_content

State = TerminationState

# The moves the workflow allows: step name -> states it may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "notice": (State.PREPARING,),
    "reasons": (State.PREPARING,),
    "referral": (State.PREPARING,),
    "relapse_plan": (State.PREPARING,),
    "tapering": (State.PREPARING,),
    "outreach": (State.PREPARING,),
    "closing_letter": (State.PREPARING,),
    "summary_edit": (State.PREPARING,),
    "summary_sign": (State.PREPARING,),
    "summary_approve": (State.AWAITING_APPROVAL,),
    "summary_return": (State.AWAITING_APPROVAL,),
    # Close may be tried from any open state: it is refused with the list of what is missing
    # (the signed, approved summary among them) rather than with the state name.
    "close": OPEN_STATES,
    "follow_up": (State.CLOSED,),
    "summary_addendum": (
        State.AWAITING_APPROVAL,
        State.READY_TO_CLOSE,
        State.CLOSED,
        State.REOPENED,
    ),
    "reopen": (State.CLOSED,),
    "withdraw": OPEN_STATES,
}

STEP_VERBS = {
    "notice": "record the notice",
    "reasons": "record the reasons",
    "referral": "add a referral",
    "relapse_plan": "change the relapse plan",
    "tapering": "schedule tapering sessions",
    "outreach": "log outreach",
    "closing_letter": "record the closing letter",
    "summary_edit": "edit the summary",
    "summary_sign": "sign the summary",
    "summary_approve": "approve the summary",
    "summary_return": "return the summary",
    "close": "close the ending",
    "follow_up": "record a follow-up",
    "summary_addendum": "add an addendum",
    "reopen": "reopen",
    "withdraw": "withdraw the ending",
}


def _lock(termination: Termination) -> Termination:
    return Termination.objects.select_for_update().select_related("client").get(pk=termination.pk)


def _ensure_allowed(termination: Termination, step: str) -> None:
    if termination.state not in ALLOWED_FROM[step]:
        raise ValidationError(
            f"You cannot {STEP_VERBS[step]} now: the ending is "
            f"{termination.get_state_display().lower()}. Someone may have moved it on; reload the "
            "page to see where it stands."
        )


def _ensure_editor(actor: User, termination: Termination) -> None:
    if not Client.objects.editable_by(actor).filter(pk=termination.client_id).exists():
        raise ValidationError("Only the client's counselor can do this step.")


def _ensure_fresh(recorded_at: dt.datetime | None, version: str | None, who: str) -> None:
    """Two people completing the same step: the second is told, and keeps what they typed."""
    current = recorded_at.isoformat() if recorded_at else ""
    if version is not None and version != current:
        when = date_format(timezone.localtime(recorded_at), "j M Y, H:i") if recorded_at else ""
        raise ValidationError(
            f"{who} was changed by someone else ({when}) after you opened this page. "
            "What you typed is kept below: check the current version, then save again."
        )


def _record(
    termination: Termination,
    *,
    actor: User,
    step: str,
    old_state: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> None:
    TerminationEvent.objects.create(
        termination=termination,
        step=step,
        from_state=old_state,
        to_state=termination.state,
        actor=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=termination,
        client_id=termination.client_id,
        summary=f"Ending step {step}: {old_state} → {termination.state}",
        request=request,
    )


def _step(step: str, *, editor: bool = True) -> Callable:
    """Wrap a step: lock, check the state and the actor, run it, record the event."""

    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(
            *,
            actor: User,
            termination: Termination,
            request: HttpRequest | None = None,
            **kwargs: Any,
        ) -> Any:
            with transaction.atomic():
                locked = _lock(termination)
                _ensure_allowed(locked, step)
                if editor:
                    _ensure_editor(actor, locked)
                old_state = locked.state
                result = function(actor=actor, termination=locked, **kwargs)
                note = result[1] if isinstance(result, tuple) else ""
                _record(
                    locked, actor=actor, step=step, old_state=old_state, note=note, request=request
                )
                return result[0] if isinstance(result, tuple) else result

        wrapped.__name__ = function.__name__
        wrapped.__doc__ = function.__doc__
        return wrapped

    return decorator


# Opening -------------------------------------------------------------------------------------


def termination_open(
    *,
    actor: User,
    client: Client,
    kind: str,
    initiated_by: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Termination:
    """Start an ending. The client moves to `ending`; one open ending per client."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        may_open = (
            Client.objects.editable_by(actor).filter(pk=client.pk).exists()
            or Client.objects.assignable_by(actor).filter(pk=client.pk).exists()
        )
        if not may_open:
            raise ValidationError(
                "Only the client's counselor, their supervisor or the practice "
                "admin can start an ending."
            )
        if client.status != ClientStatus.ACTIVE:
            raise ValidationError(
                f"The client is {client.get_status_display().lower()}: an ending can only start "
                "for an active client."
            )
        if kind not in EndingKind.values or initiated_by not in Initiator.values:
            raise ValidationError("Choose the kind of ending and who initiated it.")
        try:
            with transaction.atomic():
                termination = Termination.objects.create(
                    client=client,
                    kind=kind,
                    initiated_by=initiated_by,
                    opened_by=actor,
                    reason=reason if reason in Reason.values else "",
                )
        except IntegrityError:
            raise ValidationError("This client already has an ending in progress.") from None
        client_set_status(actor=actor, client=client, status=ClientStatus.ENDING, request=request)
        _record(
            termination,
            actor=actor,
            step="open",
            old_state="",
            request=request,
            note=f"{termination.get_kind_display()} ending opened",
        )
        return termination


# 1. Notice -----------------------------------------------------------------------------------


@_step("notice")
def termination_record_notice(
    *,
    actor: User,
    termination: Termination,
    raised_on: dt.date,
    initiated_by: str,
    final_session_on: dt.date | None,
    more_help_needed: str = "",
    counseling_helped: str = "",
    break_kind: str = "",
    client_view: str = "",
    override_reason: str = "",
    version: str | None = None,
) -> Termination:
    _ensure_fresh(termination.notice_recorded_at, version, "The notice")
    policy = PracticePolicy.current()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if initiated_by not in Initiator.values:
        errors["initiated_by"] = "Choose who initiated the ending."
    if raised_on > today:
        errors["raised_on"] = "The ending cannot have been raised in the future."
    if termination.kind == EndingKind.PLANNED and final_session_on is None:
        errors["final_session_on"] = "A planned ending needs the date of the final session."
    if final_session_on and final_session_on < raised_on:
        errors["final_session_on"] = "The final session cannot be before the ending was raised."
    elif (
        termination.kind == EndingKind.PLANNED
        and final_session_on
        and (final_session_on - raised_on).days < policy.minimum_notice_days
        and not override_reason.strip()
    ):
        earliest = raised_on + dt.timedelta(days=policy.minimum_notice_days)
        errors["final_session_on"] = (
            f"The practice asks for at least {policy.minimum_notice_days} days' notice: the final "
            f"session should be on or after {date_format(earliest, 'j M Y')}. To end sooner, give "
            "the reason for the shorter notice."
        )
    # An unplanned ending may have had no conversation: the client could not be reached.
    conversation = (
        ("more_help_needed", more_help_needed),
        ("counseling_helped", counseling_helped),
        ("break_kind", break_kind),
    )
    for field, value in conversation if termination.kind == EndingKind.PLANNED else ():
        if not value:
            errors[field] = "Record the client's answer from the pre-ending conversation."
    if errors:
        raise ValidationError(errors)
    termination.raised_on, termination.initiated_by = raised_on, initiated_by
    termination.final_session_on = final_session_on
    termination.notice_override_reason = override_reason.strip()
    termination.more_help_needed, termination.counseling_helped = (
        more_help_needed,
        counseling_helped,
    )
    termination.break_kind, termination.client_view = break_kind, client_view.strip()
    termination.notice_recorded_at = timezone.now()
    termination.save()
    # A draft summary's due date follows a changed final session.
    ClosingSummary.objects.filter(termination=termination, status=SummaryStatus.DRAFT).update(
        due_on=summary_due_on(termination, policy)
    )
    if termination.notice_override_reason:
        return termination, f"Short notice accepted: {termination.notice_override_reason}"
    return termination


# 2. Reasons ----------------------------------------------------------------------------------


@_step("reasons")
def termination_record_reasons(
    *,
    actor: User,
    termination: Termination,
    reason: str,
    narrative: str,
    barriers: str = "",
    feelings_about_future_help: str = "",
    based_on_personal_values: bool = False,
    fees_explained: bool = False,
    client_not_in_danger: bool = False,
    consequences_discussed: bool = False,
    version: str | None = None,
) -> Termination:
    _ensure_fresh(termination.reasons_recorded_at, version, "The reasons step")
    errors: dict[str, str] = {}
    if reason not in Reason.values:
        errors["reason"] = "Choose the reason for the ending."
    if based_on_personal_values:
        errors["based_on_personal_values"] = (
            "A counselor's personal values, attitudes or beliefs are never a sufficient reason to "
            "end counseling or refer a client. Seek supervision about the values conflict instead."
        )
    if not narrative.strip():
        errors["narrative"] = "Describe the reason in your own words."
    if reason and reason != Reason.GOALS_MET:
        if not barriers.strip():
            errors["barriers"] = "The ending is short of its goals: say what stood in the way."
        if not feelings_about_future_help.strip():
            errors["feelings_about_future_help"] = (
                "Record how the client feels about seeking help in the future."
            )
    if reason == Reason.FINANCIAL:
        for field, value, message in (
            ("fees_explained", fees_explained, "Confirm the fees were explained beforehand."),
            (
                "client_not_in_danger",
                client_not_in_danger,
                "Confirm the client is not in danger: nobody in crisis is ended for non-payment.",
            ),
            (
                "consequences_discussed",
                consequences_discussed,
                "Confirm the consequences of non-payment were discussed with the client.",
            ),
        ):
            if not value:
                errors[field] = message
    if errors:
        raise ValidationError(errors)
    termination.reason, termination.reason_narrative = reason, narrative.strip()
    termination.barriers = barriers.strip()
    termination.feelings_about_future_help = feelings_about_future_help.strip()
    termination.fees_explained = fees_explained
    termination.client_not_in_danger = client_not_in_danger
    termination.consequences_discussed = consequences_discussed
    termination.reasons_recorded_at = timezone.now()
    termination.save()
    return termination


# 3. Referral ---------------------------------------------------------------------------------


@_step("referral")
def termination_add_referral(
    *,
    actor: User,
    termination: Termination,
    provider: Provider,
    reason: str,
    made_on: dt.date | None = None,
) -> Referral:
    if not provider.is_active:
        raise ValidationError({"provider": "This provider is no longer in the directory."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the client is referred to this provider."})
    made_on = made_on or timezone.localdate()
    release = disclosure_allowed(
        client=termination.client,
        recipient_name=provider.name,
        recipient_organisation=provider.organisation,
        information=InformationCategory.REFERRAL,
        on=made_on,
    )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                termination=termination,
                provider=provider,
                reason=reason.strip(),
                made_on=made_on,
                release_valid=release.allowed,
                release_note=release.reason[:300],
                made_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"provider": "This provider is already referred to."}) from None
    termination.save(update_fields=["updated_at"])
    return referral, f"Referred to {provider}"


# 4. Relapse plan -----------------------------------------------------------------------------


@_step("relapse_plan")
def termination_record_relapse_plan(
    *,
    actor: User,
    termination: Termination,
    warning_signs: str,
    triggers: str,
    coping_steps: list[dict],
    support_contacts: list[dict],
    crisis_lines: str,
    when_to_come_back: str,
    version: str | None = None,
) -> RelapsePlan:
    existing = RelapsePlan.objects.select_for_update().filter(termination=termination).first()
    _ensure_fresh(existing.updated_at if existing else None, version, "The relapse plan")
    errors: dict[str, str] = {}
    for field, value, message in (
        ("warning_signs", warning_signs, "List the early warning signs you agreed on."),
        ("triggers", triggers, "List the situations that could set things off again."),
        ("crisis_lines", crisis_lines, "Give the crisis lines the client can call."),
        ("when_to_come_back", when_to_come_back, "Say when the client should come back."),
    ):
        if not value.strip():
            errors[field] = message
    steps = _clean_rows(coping_steps, ("sign", "step"))
    if not steps:
        errors["coping_steps"] = "Give at least one coping step."
    elif any(not step["step"] for step in steps):
        errors["coping_steps"] = "Each warning sign or trigger listed needs its coping step."
    contacts = _clean_rows(support_contacts, ("name", "relation", "phone"))
    if any(not contact["name"] or not contact["phone"] for contact in contacts):
        errors["support_contacts"] = "Each support contact needs a name and a phone number."
    if errors:
        raise ValidationError(errors)
    values = {
        "warning_signs": warning_signs.strip(),
        "triggers": triggers.strip(),
        "coping_steps": steps,
        "support_contacts": contacts,
        "crisis_lines": crisis_lines.strip(),
        "when_to_come_back": when_to_come_back.strip(),
    }
    plan, _ = RelapsePlan.objects.update_or_create(termination=termination, defaults=values)
    termination.save(update_fields=["updated_at"])
    return plan


def _clean_rows(rows: list[dict], keys: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows as stripped text under the expected keys only; rows left empty are dropped."""
    cleaned = [{key: str(row.get(key) or "").strip() for key in keys} for row in rows]
    return [row for row in cleaned if any(row.values())]


# 5. Tapering ---------------------------------------------------------------------------------


@_step("tapering")
def termination_schedule_tapering(
    *,
    actor: User,
    termination: Termination,
    first_starts_at: dt.datetime,
    intervals_days: list[int],
    duration_minutes: int = 50,
    modality: str = "in_person",
) -> list[TaperSession]:
    """Schedule sessions spaced out: the first at `first_starts_at`, then after each interval."""
    if not intervals_days or any(days < 1 or days > 120 for days in intervals_days):
        raise ValidationError({"intervals_days": "Give the gaps between sessions in days (1–120)."})
    if first_starts_at <= timezone.now():
        raise ValidationError(
            {"first_starts_at": "The first tapering session must be in the future."}
        )
    starts, gaps = [first_starts_at], list(intervals_days)
    for gap in gaps:
        starts.append(starts[-1] + dt.timedelta(days=gap))
    created = []
    for index, starts_at in enumerate(starts):
        session = session_schedule(
            actor=actor,
            counselor=termination.client.primary_counselor,
            client=termination.client,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            modality=modality,
            kind=SessionKind.FINAL if index == len(starts) - 1 else SessionKind.REGULAR,
        )
        created.append(
            TaperSession.objects.create(
                termination=termination,
                session=session,
                interval_days=gaps[index - 1] if index else 0,
            )
        )
    termination.save(update_fields=["updated_at"])
    return created, f"{len(created)} tapering sessions scheduled"


# Unplanned path: outreach and the closing letter -----------------------------------------------


@_step("outreach")
def termination_log_outreach(
    *,
    actor: User,
    termination: Termination,
    attempted_on: dt.date,
    channel: str,
    outcome: str,
    note: str = "",
) -> OutreachAttempt:
    if attempted_on > timezone.localdate():
        raise ValidationError({"attempted_on": "Log an attempt on or after the day it was made."})
    if channel not in OutreachAttempt.Channel.values:
        raise ValidationError({"channel": "Choose how you tried to reach the client."})
    if outcome not in OutreachAttempt.Outcome.values:
        raise ValidationError({"outcome": "Choose what happened."})
    attempt = OutreachAttempt.objects.create(
        termination=termination,
        attempted_on=attempted_on,
        channel=channel,
        outcome=outcome,
        note=note.strip(),
        recorded_by=actor,
    )
    termination.save(update_fields=["updated_at"])
    return attempt, f"{attempt.get_channel_display()}: {attempt.get_outcome_display()}"


@_step("closing_letter")
def termination_record_closing_letter(
    *,
    actor: User,
    termination: Termination,
    sent_on: dt.date | None = None,
    alternative: str = "",
    version: str | None = None,
) -> Termination:
    _ensure_fresh(termination.closing_letter_recorded_at, version, "The closing letter")
    policy = PracticePolicy.current()
    if termination.kind != EndingKind.UNPLANNED:
        raise ValidationError("A closing letter is part of an unplanned ending.")
    attempts = termination.outreach_attempts.count()
    if attempts < policy.outreach_attempts_before_letter:
        raise ValidationError(
            f"Try to reach the client at least {policy.outreach_attempts_before_letter} times "
            f"before the closing letter ({attempts} logged so far)."
        )
    if termination.client.may_write:
        if sent_on is None:
            raise ValidationError({"sent_on": "Give the date the letter was sent."})
        if sent_on > timezone.localdate():
            raise ValidationError({"sent_on": "Record the letter on or after the day it is sent."})
        termination.closing_letter_sent_on, termination.closing_letter_alternative = sent_on, ""
    else:
        if not alternative.strip():
            raise ValidationError(
                {
                    "alternative": (
                        "The client has not agreed to letters, so no letter is sent. Record what "
                        "was done instead (for example, a phone message with referrals and "
                        "crisis lines)."
                    )
                }
            )
        termination.closing_letter_sent_on = None
        termination.closing_letter_alternative = alternative.strip()
    termination.closing_letter_recorded_at = timezone.now()
    termination.save()
    return termination


# 6. Closing summary --------------------------------------------------------------------------


def _summary(termination: Termination, *, create: bool = False) -> ClosingSummary:
    summary = ClosingSummary.objects.select_for_update().filter(termination=termination).first()
    if summary is None and create:
        policy = PracticePolicy.current()
        summary = ClosingSummary.objects.create(
            termination=termination,
            due_on=summary_due_on(termination, policy),
            **summary_draft_content(termination),
        )
    if summary is None:
        raise ValidationError("Start the closing summary first.")
    return summary


def summary_due_on(termination: Termination, policy: PracticePolicy) -> dt.date:
    end = termination.final_session_on or timezone.localdate()
    return end + dt.timedelta(days=policy.closing_summary_due_days)


@_step("summary_edit")
def termination_summary_save(
    *, actor: User, termination: Termination, version: str | None = None, **content: str
) -> ClosingSummary:
    """Create the draft from the record on first use, then save the counselor's edits."""
    existed = ClosingSummary.objects.filter(termination=termination).exists()
    summary = _summary(termination, create=True)
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError("The summary is signed and can no longer change; add an addendum.")
    if content:
        # A draft created by this very call cannot have been changed by anyone else.
        _ensure_fresh(summary.updated_at if existed else None, version, "The summary")
        for field in SUMMARY_CONTENT_FIELDS:
            if field in content:
                setattr(summary, field, content[field])
        summary.save()
    return summary


@_step("summary_sign")
def termination_summary_sign(*, actor: User, termination: Termination) -> ClosingSummary:
    summary = _summary(termination)
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError("The summary is already signed.")
    missing = {
        field: "Complete this section before signing."
        for field in ("service_dates", "reason", "condition_at_ending", "recommendations")
        if not getattr(summary, field).strip()
    }
    if missing:
        raise ValidationError(missing)
    pending = [
        item
        for step in checklist(termination, PracticePolicy.current())
        if step.key != "summary" and step.required and not step.done
        for item in step.missing
    ]
    if pending:
        # Those steps can only be done while preparing: signing now would strand the ending.
        raise ValidationError(["Complete these steps before signing the summary:", *pending])
    needs_approval = PracticePolicy.current().closure_requires_approval
    summary.status = SummaryStatus.AWAITING_APPROVAL if needs_approval else SummaryStatus.SIGNED
    summary.signed_by, summary.signed_at = actor, timezone.now()
    summary.content_sha256 = summary.compute_sha256()
    summary.save()
    termination.state = State.AWAITING_APPROVAL if needs_approval else State.READY_TO_CLOSE
    termination.save()
    return summary


def _ensure_supervisor(actor: User, termination: Termination) -> None:
    counselor = termination.client.primary_counselor
    if not (actor.is_supervisor and actor.supervises(counselor)):
        raise ValidationError("Only a current supervisor of the client's counselor can review it.")


@_step("summary_approve", editor=False)
def termination_summary_approve(
    *, actor: User, termination: Termination, comment: str = ""
) -> ClosingSummary:
    _ensure_supervisor(actor, termination)
    summary = _summary(termination)
    summary.status = SummaryStatus.SIGNED
    summary.approved_by, summary.approved_at = actor, timezone.now()
    summary.save()
    termination.state = State.READY_TO_CLOSE
    termination.save()
    return summary, comment.strip()


@_step("summary_return", editor=False)
def termination_summary_return(
    *, actor: User, termination: Termination, comment: str
) -> ClosingSummary:
    _ensure_supervisor(actor, termination)
    if not comment.strip():
        raise ValidationError({"comment": "Say what should change in the summary."})
    summary = _summary(termination)
    summary.status = SummaryStatus.DRAFT
    summary.save(update_fields=["status", "updated_at"])
    termination.state = State.PREPARING
    termination.save()
    return summary, comment.strip()


@_step("summary_addendum")
def termination_summary_addendum(
    *, actor: User, termination: Termination, text: str
) -> SummaryAddendum:
    if not text.strip():
        raise ValidationError({"text": "Write the addendum."})
    return SummaryAddendum.objects.create(
        summary=_summary(termination), author=actor, text=text.strip()
    )


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
    relapse_watch_schedule(termination=termination, policy=policy)
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


# A counselor leaving ---------------------------------------------------------------------------


def counselor_departure(
    *,
    actor: User,
    counselor: User,
    transfers: dict[int, User],
    reason: str,
    request: HttpRequest | None = None,
) -> tuple[int, int]:
    """Transfer the listed clients (client pk -> new counselor) and open a "counselor leaving"
    ending for every other open client of the departing counselor. All or nothing."""
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why the counselor is leaving (shown in each history)."}
        )
    with transaction.atomic():
        clients = list(
            Client.objects.assignable_by(actor).filter(
                primary_counselor=counselor, status=ClientStatus.ACTIVE
            )
        )
        if not clients:
            raise ValidationError("This counselor has no active clients you can reassign.")
        unknown = set(transfers) - {client.pk for client in clients}
        if unknown:
            raise ValidationError("Some clients listed are not this counselor's active clients.")
        moved = opened = 0
        for client in clients:
            if client.pk in transfers:
                client_transfer(
                    actor=actor,
                    client=client,
                    to_counselor=transfers[client.pk],
                    reason=reason,
                    request=request,
                )
                moved += 1
            else:
                termination = termination_open(
                    actor=actor,
                    client=client,
                    kind=EndingKind.PLANNED,
                    initiated_by=Initiator.PRACTICE,
                    reason=Reason.COUNSELOR_LEAVING,
                    request=request,
                )
                _record(
                    termination,
                    actor=actor,
                    step="counselor_leaving",
                    old_state=termination.state,
                    note=reason.strip(),
                    request=request,
                )
                opened += 1
        return moved, opened


# The provider directory ------------------------------------------------------------------------


@transaction.atomic
def provider_save(
    *, actor: User, form_instance: Provider, request: HttpRequest | None = None
) -> Provider:
    """Add or change a directory entry (no client data: audited as a change of the directory)."""
    if not (actor.is_counselor or actor.is_practice_admin):
        raise ValidationError("Only counselors and the practice admin keep the directory.")
    adding = form_instance.pk is None
    form_instance.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if adding else AuditEvent.Action.UPDATE,
        obj=form_instance,
        summary=f"{'Added' if adding else 'Changed'} a provider",
        request=request,
    )
    return form_instance
