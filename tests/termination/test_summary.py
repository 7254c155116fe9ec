"""Step 6: the closing summary, assembled from the record, signed, approved or returned, and frozen
by the database once signed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from clients.models import GoalStatus
from practice.staff.models import Supervision
from sessions_app.models import SessionStatus
from sessions_app.services import rating_record
from termination import services
from termination.models import (
    ClosingSummary,
    SummaryAddendum,
    SummaryStatus,
    TerminationEvent,
    TerminationState,
)
from tests.factories import (
    GoalFactory,
    SessionFactory,
    SupervisionFactory,
    SupervisorFactory,
    instrument,
)
from tests.termination.conftest import SUMMARY_SECTIONS, today

pytestmark = pytest.mark.django_db


def phq9(level: int) -> dict[str, int]:
    return {f"phq{item}": level for item in range(1, 10)}


def at(days_ago: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=days_ago)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )


def long_day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment).date(), "j F Y")


def refuse_by_sql(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# The first draft ------------------------------------------------------------------------------


def test_it_assembles_the_first_draft_from_the_record(flow, owner, own_client):
    own_client.presenting_concerns = "Poor sleep after a bereavement."
    own_client.save()
    first, last = at(90), at(5)
    for moment, status in [
        (first, SessionStatus.ATTENDED),
        (at(60), SessionStatus.ATTENDED),
        (last, SessionStatus.ATTENDED),
        (at(40), SessionStatus.NO_SHOW),
        (at(30), SessionStatus.LATE_CANCELLED),
        (at(20), SessionStatus.CANCELLED),
        (at(15), SessionStatus.CANCELLED),
    ]:
        SessionFactory(client=own_client, starts_at=moment, status=status)
    SessionFactory(client=own_client, starts_at=at(-7), status=SessionStatus.SCHEDULED)
    GoalFactory(client=own_client, description="Sleep through the night", status=GoalStatus.MET)
    GoalFactory(client=own_client, description="Return to running", status=GoalStatus.PARTLY_MET)
    rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("PHQ-9"),
        answers=phq9(2),
        administered_on=first.date(),
    )
    rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("PHQ-9"),
        answers=phq9(1),
        administered_on=last.date(),
    )
    rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("Alliance"),
        answers={"goals": 7, "tasks": 8, "bond": 8, "overall": 7},
        administered_on=first.date(),
    )
    rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("Alliance"),
        answers={"goals": 9, "tasks": 9, "bond": 10, "overall": 9},
        administered_on=last.date(),
    )
    termination = flow.open()
    flow.prepared(termination)
    flow.referral(termination, flow.provider("Dr Rosa Rivera"))

    summary = services.termination_summary_save(actor=owner, termination=termination)

    assert summary.status == SummaryStatus.DRAFT
    assert summary.service_dates == f"From {long_day(first)} to {long_day(last)}."
    assert summary.attendance == (
        "3 sessions attended, 1 missed without notice, 1 cancelled late, 2 cancelled."
    )
    assert summary.presenting_concerns == "Poor sleep after a bereavement."
    assert summary.goals_outcome == (
        "• Sleep through the night — met\n• Return to running — partly met"
    )
    assert summary.measures == (
        "• PHQ-9: 18 (moderately severe) at first, 9 (mild) latest (2 ratings) — recovered"
    )
    assert summary.alliance_trend == (
        "2 alliance check-ins, from 30 at first to 37 latest (lowest 30)."
    )
    assert summary.reason == "Goals met. The goals agreed at intake are reached."
    assert summary.referrals == "• Dr Rosa Rivera: Longer-term support for sleep."
    assert summary.relapse_plan.startswith("Warning signs: Sleeping badly")
    assert "When to come back: Two weeks of poor sleep" in summary.relapse_plan
    assert (summary.condition_at_ending, summary.recommendations) == ("", "")
    final = flow.refresh(termination).final_session_on
    assert summary.due_on == final + dt.timedelta(days=flow.policy.closing_summary_due_days)
    assert flow.events(termination, "summary_edit").count() == 1


def test_it_says_so_when_the_record_has_no_goals_or_measures(flow, ending):
    summary = services.termination_summary_save(actor=flow.counselor, termination=ending)
    assert summary.service_dates == "From — to —."
    assert (
        summary.attendance == "0 sessions attended, 0 missed without notice, 0 cancelled "
        "late, 0 cancelled."
    )
    assert summary.goals_outcome == "No treatment goals were recorded."
    assert summary.measures == "No outcome measures were recorded."
    assert summary.alliance_trend == "No alliance ratings were recorded."


def test_it_keeps_the_first_draft_and_saves_the_counselors_edits(flow, ending):
    draft = services.termination_summary_save(actor=flow.counselor, termination=ending)
    services.termination_summary_save(
        actor=flow.counselor,
        termination=ending,
        version=draft.updated_at.isoformat(),
        recommendations="Keep the diary.",
        not_a_section="ignored",
    )
    summary = ClosingSummary.objects.get(termination=ending)
    assert summary.recommendations == "Keep the diary."
    assert summary.goals_outcome == draft.goals_outcome
    assert ClosingSummary.objects.count() == 1


def test_it_refuses_summary_edits_from_a_stale_page(flow, ending):
    draft = flow.summary(ending)
    stale = draft.updated_at.isoformat()
    flow.summary(ending, version=stale, recommendations="First edit.")
    with pytest.raises(ValidationError, match="The summary was changed by someone else"):
        flow.summary(ending, version=stale, recommendations="Second edit over the first.")
    assert ClosingSummary.objects.get(termination=ending).recommendations == "First edit."


def test_it_accepts_the_first_save_from_a_page_opened_before_the_summary_existed(flow, ending):
    flow.summary(ending, version="", recommendations="Typed on the first visit.")
    assert ClosingSummary.objects.get(termination=ending).recommendations == (
        "Typed on the first visit."
    )


# Signing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "section", ["service_dates", "reason", "condition_at_ending", "recommendations"]
)
def test_it_refuses_to_sign_with_a_section_missing(flow, ending, section):
    flow.prepared(ending)
    flow.summary(ending, **{section: "  "})
    with pytest.raises(ValidationError) as refused:
        flow.sign(ending)
    assert refused.value.message_dict == {section: ["Complete this section before signing."]}
    assert flow.refresh(ending).state == TerminationState.PREPARING
    assert ClosingSummary.objects.get(termination=ending).status == SummaryStatus.DRAFT


def test_it_refuses_to_sign_before_the_reasons_are_recorded(flow, ending):
    flow.summary(ending, reason="Goals met.", service_dates="From May to June.")
    with pytest.raises(ValidationError) as refused:
        flow.sign(ending)
    assert "Complete these steps before signing the summary:" in refused.value.messages
    assert "The reason for the ending" in refused.value.messages


def test_it_refuses_to_sign_before_a_summary_was_started(flow, ending):
    flow.prepared(ending)
    with pytest.raises(ValidationError, match="Start the closing summary first"):
        flow.sign(ending)


def test_it_refuses_to_sign_while_other_required_steps_are_missing(flow, ending):
    flow.set_policy(closure_requires_approval=False)
    flow.reasons(ending)
    flow.summary(ending)
    with pytest.raises(ValidationError):
        flow.sign(ending)


def test_it_sends_a_signed_summary_for_approval_when_the_policy_asks(flow, ending, owner):
    assert flow.policy.closure_requires_approval
    termination = flow.signed(ending)

    summary = ClosingSummary.objects.get(termination=termination)
    assert termination.state == TerminationState.AWAITING_APPROVAL
    assert summary.status == SummaryStatus.AWAITING_APPROVAL
    assert (summary.signed_by, summary.approved_by) == (owner, None)
    assert summary.signed_at is not None
    assert summary.content_sha256 == summary.compute_sha256()


def test_it_makes_a_signed_summary_ready_to_close_when_no_approval_is_needed(flow, ending):
    flow.set_policy(closure_requires_approval=False)
    termination = flow.signed(ending)
    assert termination.state == TerminationState.READY_TO_CLOSE
    assert ClosingSummary.objects.get(termination=termination).status == SummaryStatus.SIGNED
    assert flow.events(termination, "summary_sign").get().to_state == "ready_to_close"


# Approval and return --------------------------------------------------------------------------


def test_it_lets_the_counselors_supervisor_approve(flow, ending, supervisor):
    termination = flow.signed(ending)
    services.termination_summary_approve(
        actor=supervisor, termination=termination, comment="  Clear and complete.  "
    )
    summary = ClosingSummary.objects.get(termination=termination)
    assert flow.refresh(termination).state == TerminationState.READY_TO_CLOSE
    assert (summary.status, summary.approved_by) == (SummaryStatus.SIGNED, supervisor)
    assert summary.approved_at is not None
    assert flow.events(termination, "summary_approve").get().note == "Clear and complete."


def test_it_lets_a_second_current_supervisor_approve(flow, ending, owner):
    second = SupervisorFactory(username="second_supervisor")
    SupervisionFactory(supervisor=second, supervisee=owner)
    termination = flow.signed(ending)
    flow.approve(termination, supervisor=second)
    assert ClosingSummary.objects.get(termination=termination).approved_by == second


@pytest.fixture
def former_supervisor(owner):
    former = SupervisorFactory(username="former_supervisor")
    SupervisionFactory(
        supervisor=former,
        supervisee=owner,
        starts_on=today() - dt.timedelta(days=400),
        ends_on=today() - dt.timedelta(days=1),
    )
    return former


@pytest.mark.parametrize(
    "reviewer", ["owner", "colleague", "outsider_supervisor", "practice_admin", "former_supervisor"]
)
@pytest.mark.parametrize("review", ["approve", "return"])
def test_it_lets_only_a_current_supervisor_review_the_summary(
    request, flow, ending, reviewer, review
):
    actor = request.getfixturevalue(reviewer)
    termination = flow.signed(ending)
    with pytest.raises(ValidationError, match="Only a current supervisor"):
        if review == "approve":
            services.termination_summary_approve(actor=actor, termination=termination)
        else:
            services.termination_summary_return(
                actor=actor, termination=termination, comment="Redo it."
            )
    assert flow.refresh(termination).state == TerminationState.AWAITING_APPROVAL
    summary = ClosingSummary.objects.get(termination=termination)
    assert (summary.status, summary.approved_by) == (SummaryStatus.AWAITING_APPROVAL, None)


def test_it_stops_approval_when_the_supervision_has_ended(flow, ending, owner, supervisor):
    termination = flow.signed(ending)
    Supervision.objects.filter(supervisor=supervisor, supervisee=owner).update(
        ends_on=today() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="Only a current supervisor"):
        flow.approve(termination)


def test_it_returns_the_summary_with_a_comment_to_preparing(flow, ending, supervisor):
    termination = flow.signed(ending)
    with pytest.raises(ValidationError) as refused:
        services.termination_summary_return(actor=supervisor, termination=termination, comment="  ")
    assert list(refused.value.message_dict) == ["comment"]

    services.termination_summary_return(
        actor=supervisor, termination=termination, comment="Add the alliance trend."
    )
    assert flow.refresh(termination).state == TerminationState.PREPARING
    assert ClosingSummary.objects.get(termination=termination).status == SummaryStatus.DRAFT
    event = flow.events(termination, "summary_return").get()
    assert (event.from_state, event.to_state, event.note) == (
        "awaiting_approval",
        "preparing",
        "Add the alliance trend.",
    )

    # The counselor edits and signs again; the supervisor approves.
    flow.summary(termination, alliance_trend="Steady, from 30 to 37.")
    flow.sign(termination)
    flow.approve(termination)
    summary = ClosingSummary.objects.get(termination=termination)
    assert summary.alliance_trend == "Steady, from 30 to 37."
    assert flow.refresh(termination).state == TerminationState.READY_TO_CLOSE


# Frozen once signed ---------------------------------------------------------------------------


def test_it_lets_a_draft_change_freely(flow, ending):
    summary = flow.summary(ending)
    ClosingSummary.objects.filter(pk=summary.pk).update(recommendations="Changed in draft.")


def test_it_refuses_any_change_to_a_signed_summarys_content(flow, ending):
    summary = ClosingSummary.objects.get(termination=flow.ready_to_close(ending))
    assert summary.status == SummaryStatus.SIGNED

    with pytest.raises(DatabaseError), transaction.atomic():
        ClosingSummary.objects.filter(pk=summary.pk).update(recommendations="Rewritten.")
    refuse_by_sql(
        "UPDATE termination_closingsummary SET measures = %s WHERE id = %s",
        ["Rewritten by SQL.", summary.pk],
    )
    refuse_by_sql(
        "UPDATE termination_closingsummary SET status = %s WHERE id = %s", ["draft", summary.pk]
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        summary.recommendations = "Saved through the model."
        summary.save()
    assert (
        ClosingSummary.objects.get(pk=summary.pk).recommendations
        == (SUMMARY_SECTIONS["recommendations"])
    )


@pytest.mark.parametrize("field", ["reason", "condition_at_ending", "signed_at", "content_sha256"])
def test_it_refuses_content_changes_while_awaiting_approval(flow, ending, field):
    summary = ClosingSummary.objects.get(termination=flow.signed(ending))
    value = timezone.now() if field == "signed_at" else "changed"
    with pytest.raises(DatabaseError), transaction.atomic():
        ClosingSummary.objects.filter(pk=summary.pk).update(**{field: value})


def test_it_lets_the_state_of_a_summary_awaiting_approval_change(flow, ending, supervisor):
    summary = ClosingSummary.objects.get(termination=flow.signed(ending))
    ClosingSummary.objects.filter(pk=summary.pk).update(
        status=SummaryStatus.SIGNED, approved_by=supervisor, approved_at=timezone.now()
    )
    assert ClosingSummary.objects.get(pk=summary.pk).status == SummaryStatus.SIGNED


def test_it_refuses_edits_to_a_summary_that_is_no_longer_a_draft(flow, ending):
    summary = ClosingSummary.objects.get(termination=flow.signed(ending))
    flow.force_state(ending, TerminationState.PREPARING)
    with pytest.raises(ValidationError, match="can no longer change; add an addendum"):
        flow.summary(ending, version=summary.updated_at.isoformat(), recommendations="Late.")


def test_it_never_lets_an_event_row_change(flow, ending):
    event = flow.events(ending).get()
    with pytest.raises(DatabaseError), transaction.atomic():
        TerminationEvent.objects.filter(pk=event.pk).update(note="rewritten")
    refuse_by_sql(
        "UPDATE termination_terminationevent SET to_state = %s WHERE id = %s", ["closed", event.pk]
    )
    assert flow.events(ending).get().note == event.note


def test_it_adds_addenda_to_a_signed_summary_and_never_changes_them(flow, ending, owner):
    termination = flow.closed(ending)
    addendum = services.termination_summary_addendum(
        actor=owner, termination=termination, text="  Client wrote to say thanks. "
    )
    assert (addendum.text, addendum.author) == ("Client wrote to say thanks.", owner)
    with pytest.raises(ValidationError) as refused:
        services.termination_summary_addendum(actor=owner, termination=termination, text=" ")
    assert list(refused.value.message_dict) == ["text"]
    with pytest.raises(DatabaseError), transaction.atomic():
        SummaryAddendum.objects.filter(pk=addendum.pk).update(text="rewritten")


def test_it_refuses_to_delete_a_signed_summary_or_an_event(flow, ending):
    termination = flow.signed(ending)
    summary = ClosingSummary.objects.get(termination=termination)
    refuse_by_sql("DELETE FROM termination_closingsummary WHERE id = %s", [summary.pk])
    refuse_by_sql(
        "DELETE FROM termination_terminationevent WHERE termination_id = %s", [termination.pk]
    )
