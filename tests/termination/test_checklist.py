"""The ending's checklist: which steps, which are required, what is missing, and the deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client
from termination import services
from termination.models import EndingKind, Reason, Termination
from termination.selectors import checklist, next_deadline, workspace_termination
from tests.factories import ClientFactory
from tests.termination.conftest import today

pytestmark = pytest.mark.django_db


def steps_of(flow, termination) -> dict:
    return {step.key: step for step in checklist(flow.refresh(termination), flow.policy)}


def test_it_lists_the_steps_of_a_planned_ending(flow, ending):
    steps = steps_of(flow, ending)
    assert list(steps) == ["notice", "reasons", "referral", "relapse_plan", "tapering", "summary"]
    assert {key: step.required for key, step in steps.items()} == {
        "notice": True,
        "reasons": True,
        "referral": False,
        "relapse_plan": True,
        "tapering": False,
        "summary": True,
    }
    assert {key: step.missing for key, step in steps.items()} == {
        "notice": ["When the ending was raised, the final session, and the client's answers"],
        "reasons": ["The reason for the ending"],
        "referral": [],
        "relapse_plan": ["Warning signs, triggers, coping steps and when to come back"],
        "tapering": [],
        "summary": ["The counselor's signature on the closing summary"],
    }
    assert not any(step.done for step in steps.values())
    assert all(step.available for step in steps.values())


def test_it_lists_the_steps_of_an_unplanned_ending(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    steps = steps_of(flow, unplanned)
    assert list(steps) == [
        "notice",
        "reasons",
        "outreach",
        "closing_letter",
        "referral",
        "relapse_plan",
        "tapering",
        "summary",
    ]
    assert {key: step.required for key, step in steps.items()} == {
        "notice": True,
        "reasons": True,
        "outreach": True,
        "closing_letter": True,
        "referral": True,
        "relapse_plan": False,
        "tapering": False,
        "summary": True,
    }
    assert steps["outreach"].missing == ["2 more outreach attempt(s) (0 of 2)"]
    assert steps["closing_letter"].missing == ["The closing letter to the client"]
    assert steps["closing_letter"].available is False
    assert steps["referral"].missing == ["At least one referral"]
    assert steps["relapse_plan"].missing == []


def test_it_opens_the_closing_letter_once_the_outreach_is_done(flow):
    Client.objects.filter(pk=flow.client.pk).update(may_write=False)
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.outreach(unplanned)
    steps = steps_of(flow, unplanned)
    assert steps["outreach"].missing == ["1 more outreach attempt(s) (1 of 2)"]
    assert not steps["closing_letter"].available
    flow.outreach(unplanned)
    steps = steps_of(flow, unplanned)
    assert steps["outreach"].done and steps["outreach"].missing == []
    assert steps["closing_letter"].available
    assert steps["closing_letter"].missing == [
        "What was done instead of a letter (no consent to letters)"
    ]
    services.termination_record_closing_letter(
        actor=flow.counselor, termination=unplanned, alternative="Phoned with referrals."
    )
    assert steps_of(flow, unplanned)["closing_letter"].done


@pytest.mark.parametrize(
    ("reason", "required"),
    [
        (Reason.RELOCATION, True),
        (Reason.HIGHER_CARE, True),
        (Reason.GOALS_MET, False),
        (Reason.FINANCIAL, False),
    ],
)
def test_it_requires_a_referral_for_a_planned_ending_by_its_reason(flow, ending, reason, required):
    flow.reasons(ending, reason)
    referral = steps_of(flow, ending)["referral"]
    assert referral.required is required
    assert referral.missing == (
        ["At least one referral (the reason implies further care)"] if required else []
    )
    flow.referral(ending)
    referral = steps_of(flow, ending)["referral"]
    assert referral.done and referral.missing == []


def test_it_marks_the_steps_done_as_the_ending_moves_on(flow, ending):
    flow.prepared(ending)
    services.termination_schedule_tapering(
        actor=flow.counselor,
        termination=ending,
        intervals_days=[14],
        first_starts_at=(timezone.now() + dt.timedelta(days=2)).replace(microsecond=0),
    )
    steps = steps_of(flow, ending)
    assert all(
        steps[key].done and steps[key].missing == []
        for key in ("notice", "reasons", "relapse_plan", "tapering")
    )

    flow.summary(ending)
    assert steps_of(flow, ending)["summary"].missing == [
        "The counselor's signature on the closing summary"
    ]
    flow.sign(ending)
    summary = steps_of(flow, ending)["summary"]
    assert not summary.done
    assert summary.missing == ["The supervisor's approval of the closing summary"]
    flow.approve(ending)
    summary = steps_of(flow, ending)["summary"]
    assert summary.done and summary.missing == []


def test_it_dates_the_summary_from_the_final_session_and_the_policy(flow, ending):
    assert steps_of(flow, ending)["summary"].deadline is None
    flow.notice(ending)
    final = flow.refresh(ending).final_session_on
    steps = steps_of(flow, ending)
    assert steps["notice"].deadline == final
    assert steps["summary"].deadline == final + dt.timedelta(days=15)

    flow.set_policy(closing_summary_due_days=30)
    assert steps_of(flow, ending)["summary"].deadline == final + dt.timedelta(days=30)

    flow.summary(ending)
    flow.set_policy(closing_summary_due_days=5)
    # Once started, the summary keeps the due date it was given.
    assert steps_of(flow, ending)["summary"].deadline == final + dt.timedelta(days=30)


def test_it_gives_an_unplanned_ending_no_notice_deadline(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.notice(unplanned, final_session_on=today())
    steps = steps_of(flow, unplanned)
    assert steps["notice"].deadline is None
    assert steps["summary"].deadline == today() + dt.timedelta(days=15)


def test_it_flags_an_overdue_summary(flow, ending):
    final = today() - dt.timedelta(days=16)
    flow.notice(ending, raised_on=final - dt.timedelta(days=20), final_session_on=final)
    steps = steps_of(flow, ending)
    assert steps["summary"].deadline == today() - dt.timedelta(days=1)
    assert steps["summary"].overdue
    assert not steps["notice"].overdue  # done, though its date has passed

    flow.set_policy(closing_summary_due_days=16)
    assert not steps_of(flow, ending)["summary"].overdue  # due today is not overdue yet


def test_it_clears_the_overdue_flag_once_the_summary_is_signed(flow, ending):
    final = today() - dt.timedelta(days=30)
    flow.notice(ending, raised_on=final - dt.timedelta(days=20), final_session_on=final)
    flow.set_policy(closure_requires_approval=False)
    flow.reasons(ending)
    flow.relapse_plan(ending)
    flow.summary(ending)
    flow.sign(ending)
    summary = steps_of(flow, ending)["summary"]
    assert summary.done and not summary.overdue


def test_it_gives_the_nearest_unfinished_deadline(flow, ending):
    assert next_deadline(flow.refresh(ending), flow.policy) is None
    final = today() + dt.timedelta(days=20)
    Termination.objects.filter(pk=ending.pk).update(final_session_on=final)
    assert next_deadline(flow.refresh(ending), flow.policy) == (
        "Notice and the pre-ending conversation",
        final,
    )

    flow.notice(ending, final_session_on=final)
    assert next_deadline(flow.refresh(ending), flow.policy) == (
        "Closing summary",
        final + dt.timedelta(days=15),
    )

    flow.ready_to_close(ending)
    assert next_deadline(flow.refresh(ending), flow.policy) is None


def nearest_in_checklist(termination, policy):
    pending = [
        (step.deadline, step.title)
        for step in checklist(termination, policy)
        if step.deadline and not step.done
    ]
    return (min(pending)[1], min(pending)[0]) if pending else None


def test_the_next_deadline_is_the_checklists_nearest_at_every_step(flow, ending):
    """next_deadline reads only the dated steps, without the referrals or the outreach; at each
    step of an ending it gives what the whole checklist gives."""
    final = today() + dt.timedelta(days=20)

    def agrees():
        with_everything = workspace_termination(ending.pk, Termination.objects.all())
        assert next_deadline(flow.refresh(ending), flow.policy) == nearest_in_checklist(
            with_everything, flow.policy
        )

    agrees()
    Termination.objects.filter(pk=ending.pk).update(final_session_on=final)
    agrees()
    flow.notice(ending, final_session_on=final)
    agrees()
    flow.reasons(ending)
    flow.relapse_plan(ending)
    agrees()
    flow.summary(ending)
    agrees()
    flow.ready_to_close(ending)
    agrees()
    assert next_deadline(flow.refresh(ending), flow.policy) is None


def test_it_builds_the_checklist_in_a_fixed_number_of_queries(flow, owner):
    def queries_for(termination) -> int:
        with CaptureQueriesContext(connection) as captured:
            loaded = workspace_termination(termination.pk, Termination.objects.all())
            checklist(loaded, flow.policy)
        return len(captured)

    small = flow.open(kind=EndingKind.UNPLANNED)
    flow.outreach(small)
    flow.referral(small, flow.provider("Provider 0"))

    large = flow.open(kind=EndingKind.UNPLANNED, client=ClientFactory(primary_counselor=owner))
    flow.outreach(large, times=20)
    for index in range(1, 21):
        flow.referral(large, flow.provider(f"Provider {index}"))

    assert queries_for(small) == queries_for(large)
