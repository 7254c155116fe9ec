"""The closing summary: drafted from the record, saved, signed, approved or returned by a
supervisor, and amended by dated addenda once signed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import GoalStatus
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination import dates
from termination.models import (
    SUMMARY_CONTENT_FIELDS,
    ClosingSummary,
    SummaryAddendum,
    SummaryStatus,
    Termination,
)
from termination.selectors import (
    GOAL_OUTCOMES,
    active_goals_without_outcome,
    checklist,
    goals_text,
    summary_draft_content,
)
from termination.services.workflow import State, _ensure_fresh, _step

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
        raise ValidationError(_("Start the closing summary first."))
    return summary


def summary_due_on(termination: Termination, policy: PracticePolicy) -> dt.date | None:
    return dates.summary_due_on(termination, policy)


def summary_refresh_due(termination: Termination, policy: PracticePolicy) -> None:
    """A draft summary's due date follows its sources (the final session, the closing letter)."""
    ClosingSummary.objects.filter(termination=termination, status=SummaryStatus.DRAFT).update(
        due_on=dates.summary_due_on(termination, policy)
    )


@_step("summary_edit")
def termination_summary_save(
    *,
    actor: User,
    termination: Termination,
    version: str | None = None,
    goal_outcomes: dict[str, str] | None = None,
    **content: str,
) -> ClosingSummary:
    """Create the draft from the record on first use, then save the counselor's edits and the
    outcome given to each goal still active (applied to the goals at close)."""
    existed = ClosingSummary.objects.filter(termination=termination).exists()
    summary = _summary(termination, create=True)
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(_("The summary is signed and can no longer change; add an addendum."))
    if content:
        # A draft created by this very call cannot have been changed by anyone else.
        _ensure_fresh(summary.updated_at if existed else None, version, _("The summary"))
        for field in SUMMARY_CONTENT_FIELDS:
            if field in content:
                setattr(summary, field, content[field])
    if goal_outcomes is not None:
        _set_goal_outcomes(termination, summary, goal_outcomes)
    if content or goal_outcomes is not None:
        summary.save()
    return summary


def _set_goal_outcomes(
    termination: Termination, summary: ClosingSummary, outcomes: dict[str, str]
) -> None:
    active = {
        str(goal.pk): goal
        for goal in termination.client.goals.filter(status=GoalStatus.ACTIVE).order_by("pk")
    }
    allowed = (*GOAL_OUTCOMES, "")
    if any(key not in active or value not in allowed for key, value in outcomes.items()):
        raise ValidationError(_("Give each goal one of the outcomes listed."))
    chosen = {key: value for key, value in outcomes.items() if value}
    goals = list(termination.client.goals.all())
    # The goals section follows the outcomes unless the counselor rewrote it.
    if summary.goals_outcome.strip() == goals_text(goals, summary.goal_outcomes or {}).strip():
        summary.goals_outcome = goals_text(goals, chosen)
    summary.goal_outcomes = chosen


@_step("summary_sign")
def termination_summary_sign(*, actor: User, termination: Termination) -> ClosingSummary:
    summary = _summary(termination)
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(_("The summary is already signed."))
    missing = {
        field: _("Complete this section before signing.")
        for field in ("service_dates", "reason", "condition_at_ending", "recommendations")
        if not getattr(summary, field).strip()
    }
    unsettled = active_goals_without_outcome(termination, summary.goal_outcomes)
    if unsettled:
        missing["__all__"] = _("Give each goal still active its outcome at the end: %(goals)s") % {
            "goals": ", ".join(goal.description for goal in unsettled)
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
        raise ValidationError([_("Complete these steps before signing the summary:"), *pending])
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
        raise ValidationError(
            _("Only a current supervisor of the client's counselor can review it.")
        )


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
        raise ValidationError({"comment": _("Say what should change in the summary.")})
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
        raise ValidationError({"text": _("Write the addendum.")})
    return SummaryAddendum.objects.create(
        summary=_summary(termination), author=actor, text=text.strip()
    )
