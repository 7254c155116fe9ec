"""Every step of the ending from every state: refused (and saying so) where ALLOWED_FROM does not
list the state, done where it does. Each case prepares the record through the services, then puts
the ending straight into the state under test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from termination import services
from termination.models import (
    EndingKind,
    FollowUp,
    OutreachAttempt,
    Termination,
    TerminationState,
)
from termination.services import ALLOWED_FROM, STEP_VERBS
from tests.termination.conftest import Workflow, message_of, today

pytestmark = pytest.mark.django_db

# A step case: prepare the ending (it is still preparing), return the call that takes the step.
Case = Callable[[Workflow, Termination], Callable[[], object]]


def notice(flow: Workflow, termination: Termination):
    return lambda: flow.notice(termination)


def reasons(flow: Workflow, termination: Termination):
    return lambda: flow.reasons(termination)


def referral(flow: Workflow, termination: Termination):
    provider = flow.provider()
    return lambda: flow.referral(termination, provider)


def relapse_plan(flow: Workflow, termination: Termination):
    return lambda: flow.relapse_plan(termination)


def tapering(flow: Workflow, termination: Termination):
    first = (timezone.now() + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return lambda: services.termination_schedule_tapering(
        actor=flow.counselor, termination=termination, first_starts_at=first, intervals_days=[7, 14]
    )


def outreach(flow: Workflow, termination: Termination):
    return lambda: services.termination_log_outreach(
        actor=flow.counselor,
        termination=termination,
        attempted_on=today(),
        channel=OutreachAttempt.Channel.TEXT,
        outcome=OutreachAttempt.Outcome.MESSAGE_LEFT,
    )


def closing_letter(flow: Workflow, termination: Termination):
    flow.outreach(termination, times=flow.policy.outreach_attempts_before_letter)
    return lambda: services.termination_record_closing_letter(
        actor=flow.counselor, termination=termination, sent_on=today()
    )


def summary_edit(flow: Workflow, termination: Termination):
    return lambda: flow.summary(termination)


def summary_sign(flow: Workflow, termination: Termination):
    flow.prepared(termination)
    flow.summary(termination)
    return lambda: flow.sign(termination)


def summary_approve(flow: Workflow, termination: Termination):
    flow.signed(termination)
    return lambda: flow.approve(termination)


def summary_return(flow: Workflow, termination: Termination):
    flow.signed(termination)
    return lambda: services.termination_summary_return(
        actor=flow.supervisor, termination=termination, comment="Say more about the measures."
    )


def summary_addendum(flow: Workflow, termination: Termination):
    flow.signed(termination)
    return lambda: services.termination_summary_addendum(
        actor=flow.counselor, termination=termination, text="The client phoned to say thanks."
    )


def close(flow: Workflow, termination: Termination):
    flow.ready_to_close(termination)
    return lambda: services.termination_close(actor=flow.counselor, termination=termination)


def follow_up(flow: Workflow, termination: Termination):
    flow.closed(termination)
    first = FollowUp.objects.filter(termination=termination).first()
    return lambda: services.termination_record_follow_up(
        actor=flow.counselor,
        termination=termination,
        follow_up=first,
        outcome=FollowUp.Outcome.REACHED,
        done_on=today(),
    )


def reopen(flow: Workflow, termination: Termination):
    flow.closed(termination)
    return lambda: services.termination_reopen(
        actor=flow.counselor, termination=termination, reason="The client asked to resume."
    )


def withdraw(flow: Workflow, termination: Termination):
    return lambda: services.termination_withdraw(
        actor=flow.counselor, termination=termination, reason="We agreed to continue for now."
    )


CASES: dict[str, Case] = {
    "notice": notice,
    "reasons": reasons,
    "referral": referral,
    "relapse_plan": relapse_plan,
    "tapering": tapering,
    "outreach": outreach,
    "closing_letter": closing_letter,
    "summary_edit": summary_edit,
    "summary_sign": summary_sign,
    "summary_approve": summary_approve,
    "summary_return": summary_return,
    "summary_addendum": summary_addendum,
    "close": close,
    "follow_up": follow_up,
    "reopen": reopen,
    "withdraw": withdraw,
}
# The closing letter belongs to an unplanned ending; every other case starts from a planned one.
KIND = {"closing_letter": EndingKind.UNPLANNED}
MATRIX = [(step, state) for step in ALLOWED_FROM for state in TerminationState.values]


def test_it_has_a_case_for_every_step_the_workflow_allows():
    assert set(CASES) == set(ALLOWED_FROM) == set(STEP_VERBS)


@pytest.mark.parametrize(("step", "state"), MATRIX)
def test_it_takes_a_step_only_from_the_states_allowed(flow, step, state):
    termination = flow.open(kind=KIND.get(step, EndingKind.PLANNED))
    take_step = CASES[step](flow, termination)
    termination = flow.force_state(termination, state)
    events_before = flow.events(termination).count()

    if state in ALLOWED_FROM[step]:
        take_step()
        assert flow.events(termination, step).last().from_state == state
    else:
        with pytest.raises(ValidationError) as refused:
            take_step()
        assert f"You cannot {STEP_VERBS[step]} now" in message_of(refused.value)
        assert flow.refresh(termination).state == state
        assert flow.events(termination).count() == events_before


@pytest.mark.parametrize(
    "step",
    ["notice", "reasons", "referral", "relapse_plan", "tapering", "outreach", "summary_edit"],
)
def test_it_lets_only_the_clients_counselor_take_a_preparing_step(flow, colleague, step):
    termination = flow.open()
    take_step = CASES[step](
        Workflow(counselor=colleague, supervisor=flow.supervisor, client=flow.client), termination
    )
    with pytest.raises(ValidationError, match="Only the client's counselor"):
        take_step()
    assert not flow.events(termination, step).exists()


def test_it_checks_the_state_of_the_locked_row_not_the_callers_copy(flow):
    """A page opened before someone else moved the ending on still holds the old state."""
    termination = flow.open()
    stale_copy = Termination.objects.get(pk=termination.pk)
    services.termination_withdraw(
        actor=flow.counselor, termination=termination, reason="Continuing."
    )
    assert stale_copy.state == TerminationState.PREPARING
    with pytest.raises(ValidationError, match="You cannot record the reasons now"):
        flow.reasons(stale_copy)
