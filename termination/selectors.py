"""Reads for the ending workspace: the checklist of steps, what is missing, deadlines, and the
closing summary's first draft assembled from the record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import GoalStatus
from practice.policy.models import PracticePolicy
from sessions_app.models import CounselingSession, InstrumentKind, SessionStatus
from termination import dates
from termination.models import REASONS_NEEDING_REFERRAL, EndingKind, SummaryStatus, Termination


@dataclass
class Step:
    key: str
    title: str
    required: bool
    done: bool
    missing: list[str] = field(default_factory=list)
    deadline: dt.date | None = None
    available: bool = True

    @property
    def overdue(self) -> bool:
        return bool(self.deadline and not self.done and self.deadline < timezone.localdate())


def summary_of(termination: Termination):
    try:
        return termination.summary
    except Termination.summary.RelatedObjectDoesNotExist:
        return None


def relapse_plan_of(termination: Termination):
    try:
        return termination.relapse_plan
    except Termination.relapse_plan.RelatedObjectDoesNotExist:
        return None


def checklist(termination: Termination, policy: PracticePolicy) -> list[Step]:
    """Every step with its state. Expects referrals, outreach and taper sessions prefetched
    (see workspace_termination) so the count of queries stays fixed."""
    planned = termination.kind == EndingKind.PLANNED
    referrals = list(termination.referrals.all())
    attempts = len(termination.outreach_attempts.all())
    notice, summary_step = _dated_steps(termination, policy)
    steps = [
        notice,
        Step(
            "reasons",
            _("Reasons"),
            True,
            termination.reasons_recorded_at is not None,
            [] if termination.reasons_recorded_at else [_("The reason for the ending")],
        ),
    ]
    if not planned:
        needed = policy.outreach_attempts_before_letter
        steps.append(
            Step(
                "outreach",
                _("Outreach to the client"),
                True,
                attempts >= needed,
                []
                if attempts >= needed
                else [
                    _("%(more)s more outreach attempt(s) (%(done)s of %(needed)s)")
                    % {"more": needed - attempts, "done": attempts, "needed": needed}
                ],
            )
        )
        letter_done = termination.closing_letter_recorded_at is not None
        letter_missing = []
        if not letter_done:
            letter_missing.append(
                _("The closing letter to the client")
                if termination.client.may_write
                else _("What was done instead of a letter (no consent to letters)")
            )
        steps.append(
            Step(
                "closing_letter",
                _("Closing letter"),
                True,
                letter_done,
                letter_missing,
                available=attempts >= needed,
            )
        )
    referral_required = termination.needs_referral or not planned
    steps.append(
        Step(
            "referral",
            _("Referral"),
            referral_required,
            bool(referrals),
            [] if referrals or not referral_required else [_referral_missing(termination, planned)],
        )
    )
    steps.append(
        Step(
            "relapse_plan",
            _("Relapse warning signs"),
            planned,
            relapse_plan_of(termination) is not None,
            []
            if relapse_plan_of(termination) or not planned
            else [_("Warning signs, triggers, coping steps and when to come back")],
        )
    )
    steps.append(
        Step(
            "tapering",
            _("Tapering sessions"),
            False,
            bool(list(termination.taper_sessions.all())),
        )
    )
    steps.append(summary_step)
    return steps


def _dated_steps(termination: Termination, policy: PracticePolicy) -> tuple[Step, Step]:
    """The steps with a deadline, notice and closing summary (the others have none), on their
    own so that next_deadline needs neither the referrals nor the outreach."""
    planned = termination.kind == EndingKind.PLANNED
    notice = Step(
        "notice",
        _("Notice and the pre-ending conversation"),
        True,
        termination.notice_recorded_at is not None,
        []
        if termination.notice_recorded_at
        else [
            _("When the ending was raised, the final session, and the client's answers")
            if planned
            else _("When the ending was raised")
        ],
        deadline=termination.final_session_on if planned else None,
    )
    summary = summary_of(termination)
    summary_missing = []
    if summary is None or summary.status == SummaryStatus.DRAFT:
        summary_missing.append(_("The counselor's signature on the closing summary"))
    elif summary.status == SummaryStatus.AWAITING_APPROVAL:
        summary_missing.append(_("The supervisor's approval of the closing summary"))
    closing_summary = Step(
        "summary",
        _("Closing summary"),
        True,
        summary is not None and summary.status == SummaryStatus.SIGNED,
        summary_missing,
        deadline=dates.summary_deadline(termination, policy),
    )
    return notice, closing_summary


def _referral_missing(termination: Termination, planned: bool) -> str:
    if not planned:
        return _("At least one referral")
    if termination.reason in REASONS_NEEDING_REFERRAL:
        return _("At least one referral (the reason implies further care)")
    return _("At least one referral (the client needs more or different help)")


def reason_in_words(termination: Termination) -> str:
    """The reason's label and the counselor's words, without saying the same thing twice."""
    label = termination.get_reason_display() if termination.reason else ""
    narrative = termination.reason_narrative.strip()
    if not narrative:
        return f"{label}." if label else ""
    if not label or narrative.lower().rstrip(".").startswith(label.lower()):
        return narrative
    return f"{label}. {narrative}"


def missing_for_close(termination: Termination, policy: PracticePolicy) -> list[str]:
    return [
        item
        for step in checklist(termination, policy)
        if step.required and not step.done
        for item in step.missing
    ]


def next_deadline(termination: Termination, policy: PracticePolicy) -> tuple[str, dt.date] | None:
    """The nearest deadline of an unfinished step, for the caseload and the board. Needs the
    summary and nothing prefetched."""
    pending = [
        (step.deadline, step.title)
        for step in _dated_steps(termination, policy)
        if step.deadline and not step.done
    ]
    if not pending:
        return None
    deadline, title = min(pending)
    return title, deadline


def workspace_termination(pk: int, base_queryset) -> Termination:
    return (
        base_queryset.select_related(
            "client__primary_counselor",
            "summary",
            "summary__signed_by",
            "summary__approved_by",
            "relapse_plan",
            "opened_by",
            "closed_by",
        )
        .prefetch_related(
            "referrals__provider",
            "outreach_attempts",
            "taper_sessions__session",
            "follow_ups",
            "events__actor",
            "summary__addenda__author",
        )
        .get(pk=pk)
    )


# The closing summary's first draft -------------------------------------------------------------


# What a goal still active may become at the end (its outcome, given in the summary step).
GOAL_OUTCOMES = (
    GoalStatus.MET,
    GoalStatus.PARTLY_MET,
    GoalStatus.NOT_MET,
    GoalStatus.DISCONTINUED,
)


def goals_text(goals: list, outcomes: dict[str, str]) -> str:
    """The summary's goals section: each goal with its status, or for a goal still active the
    outcome the counselor gave it in the summary step."""
    lines = []
    for goal in goals:
        outcome = outcomes.get(str(goal.pk)) if goal.status == GoalStatus.ACTIVE else None
        label = GoalStatus(outcome).label if outcome else goal.get_status_display()
        lines.append(f"• {goal.description} — {label.lower()}")
    return "\n".join(lines) or _("No treatment goals were recorded.")


def active_goals_without_outcome(termination: Termination, outcomes: dict | None) -> list:
    outcomes = outcomes or {}
    return [
        goal
        for goal in termination.client.goals.filter(status=GoalStatus.ACTIVE)
        if outcomes.get(str(goal.pk)) not in GOAL_OUTCOMES
    ]


def summary_draft_content(termination: Termination) -> dict[str, str]:
    """Assemble the summary's sections from the record; the counselor edits them before signing."""
    from sessions_app.selectors import measure_summaries

    client = termination.client
    sessions = CounselingSession.objects.filter(client=client)
    attended = sessions.filter(status=SessionStatus.ATTENDED)
    first = attended.order_by("starts_at").values_list("starts_at", flat=True).first()
    last = attended.order_by("-starts_at").values_list("starts_at", flat=True).first()
    counts = dict(sessions.order_by().values_list("status").annotate(n=Count("pk")))
    measures = measure_summaries([client.pk])[client.pk]

    def day(value) -> str:
        return date_format(timezone.localtime(value).date(), "j F Y") if value else "—"

    goals = goals_text(list(client.goals.all()), {})
    outcome_lines = "\n".join(f"• {reading.in_words()}" for reading in measures.outcomes) or _(
        "No outcome measures were recorded."
    )
    alliance_ratings = list(
        client.ratings.filter(instrument__kind=InstrumentKind.ALLIANCE)
        .order_by("administered_on")
        .values_list("total", flat=True)
    )
    if alliance_ratings:
        alliance = ngettext(
            "%(count)s alliance check-in, from %(first)s at first to %(latest)s latest "
            "(lowest %(lowest)s).",
            "%(count)s alliance check-ins, from %(first)s at first to %(latest)s latest "
            "(lowest %(lowest)s).",
            len(alliance_ratings),
        ) % {
            "count": len(alliance_ratings),
            "first": f"{alliance_ratings[0].normalize():f}",
            "latest": f"{alliance_ratings[-1].normalize():f}",
            "lowest": f"{min(alliance_ratings).normalize():f}",
        }
    else:
        alliance = _("No alliance ratings were recorded.")
    referrals = (
        "\n".join(
            f"• {referral.provider}: {referral.reason}"
            for referral in termination.referrals.select_related("provider")
        )
        or ""
    )
    plan = relapse_plan_of(termination)
    relapse = (
        _("Warning signs: %(signs)s\nTriggers: %(triggers)s\nWhen to come back: %(back)s")
        % {
            "signs": plan.warning_signs,
            "triggers": plan.triggers,
            "back": plan.when_to_come_back,
        }
        if plan
        else ""
    )
    reason = reason_in_words(termination)
    return {
        "service_dates": _("From %(first)s to %(last)s.")
        % {"first": day(first), "last": day(last)},
        "attendance": _(
            "%(attended)s sessions attended, %(no_show)s missed without notice, "
            "%(late)s cancelled late, %(cancelled)s cancelled."
        )
        % {
            "attended": counts.get(SessionStatus.ATTENDED, 0),
            "no_show": counts.get(SessionStatus.NO_SHOW, 0),
            "late": counts.get(SessionStatus.LATE_CANCELLED, 0),
            "cancelled": counts.get(SessionStatus.CANCELLED, 0),
        },
        "presenting_concerns": client.presenting_concerns,
        "goals_outcome": goals,
        "measures": outcome_lines,
        "alliance_trend": alliance,
        "reason": reason,
        "condition_at_ending": "",
        "recommendations": "",
        "referrals": referrals,
        "relapse_plan": relapse,
    }
