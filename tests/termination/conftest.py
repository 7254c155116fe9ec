"""Building endings for the termination tests: through the services wherever practical, so each
test starts from a state the workflow itself can reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import Client, Consent, ConsentKind, InformationCategory
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination import services
from termination.models import (
    Answer,
    BreakKind,
    ClosingSummary,
    EndingKind,
    Helped,
    Initiator,
    OutreachAttempt,
    Provider,
    Reason,
    Termination,
    TerminationEvent,
)

RELAPSE_PLAN = {
    "warning_signs": "Sleeping badly for several nights; skipping meals.",
    "triggers": "Deadlines at work; arguments at home.",
    "coping_steps": [
        {"sign": "Sleeping badly", "step": "Wind-down routine and the sleep diary"},
        {"sign": "Skipping meals", "step": "Regular meal times with a reminder"},
    ],
    "support_contacts": [{"name": "Sam", "relation": "sister", "phone": "0123 456 789"}],
    "crisis_lines": "988 Suicide & Crisis Lifeline",
    "when_to_come_back": "Two weeks of poor sleep, or whenever you want to.",
}
SUMMARY_SECTIONS = {
    "condition_at_ending": "Sleeping well most nights; mood stable.",
    "recommendations": "Keep the sleep diary; come back if poor sleep lasts two weeks.",
}


def message_of(error: ValidationError) -> str:
    """Every message a ValidationError carries, field errors included, as one string."""
    return " ".join(error.messages)


def today() -> dt.date:
    return timezone.localdate()


class Workflow:
    """Moves one client's ending through the services, step by step."""

    def __init__(self, *, counselor: User, supervisor: User, client: Client):
        self.counselor, self.supervisor, self.client = counselor, supervisor, client

    @property
    def policy(self) -> PracticePolicy:
        return PracticePolicy.current()

    def set_policy(self, **values: Any) -> PracticePolicy:
        PracticePolicy.objects.filter(pk=1).update(**values)
        return self.policy

    def open(
        self,
        *,
        kind: str = EndingKind.PLANNED,
        client: Client | None = None,
        initiated_by: str = Initiator.BOTH,
    ) -> Termination:
        return services.termination_open(
            actor=self.counselor, client=client or self.client, kind=kind, initiated_by=initiated_by
        )

    @staticmethod
    def refresh(termination: Termination) -> Termination:
        return Termination.objects.select_related("client").get(pk=termination.pk)

    @staticmethod
    def force_state(termination: Termination, state: str) -> Termination:
        """Put an ending straight into a state (tests only: the services never do this)."""
        Termination.objects.filter(pk=termination.pk).update(state=state)
        return Workflow.refresh(termination)

    def notice(self, termination: Termination, **values: Any) -> Termination:
        # By default the final session is today, so the ending may close today without an
        # early-close reason (termination/dates.py).
        default_raised = (
            today()
            if "final_session_on" in values
            else today() - dt.timedelta(days=self.policy.minimum_notice_days + 7)
        )
        raised_on = values.pop("raised_on", default_raised)
        arguments = {
            "raised_on": raised_on,
            "initiated_by": Initiator.BOTH,
            "final_session_on": raised_on + dt.timedelta(days=self.policy.minimum_notice_days + 7),
            "more_help_needed": Answer.NO,
            "counseling_helped": Helped.A_LOT,
            "break_kind": BreakKind.PERMANENT,
            "client_view": "Feels ready to try on her own.",
        }
        arguments.update(values)
        return services.termination_record_notice(
            actor=self.counselor, termination=termination, **arguments
        )

    def reasons(
        self, termination: Termination, reason: str = Reason.GOALS_MET, **values: Any
    ) -> Termination:
        arguments = {"narrative": "The goals agreed at intake are reached."}
        if reason != Reason.GOALS_MET:
            arguments.update(
                barriers="Long working hours.",
                feelings_about_future_help="Would come back if needed.",
            )
        if reason == Reason.FINANCIAL:
            arguments.update(
                fees_explained=True, client_not_in_danger=True, consequences_discussed=True
            )
        arguments.update(values)
        return services.termination_record_reasons(
            actor=self.counselor, termination=termination, reason=reason, **arguments
        )

    def relapse_plan(self, termination: Termination, **values: Any):
        return services.termination_record_relapse_plan(
            actor=self.counselor, termination=termination, **{**RELAPSE_PLAN, **values}
        )

    @staticmethod
    def provider(name: str = "Dr Rosa Rivera", **values: Any) -> Provider:
        return Provider.objects.create(name=name, **values)

    def release(self, provider: Provider, client: Client | None = None, **values: Any) -> Consent:
        """A release of information naming the provider and covering referral information."""
        arguments = {
            "signed_on": today() - dt.timedelta(days=10),
            "recipient_name": provider.name,
            "information": [InformationCategory.REFERRAL],
            "purpose": "Continuity of care",
        }
        arguments.update(values)
        return Consent.objects.create(
            client=client or self.client,
            kind=ConsentKind.RELEASE,
            recorded_by=self.counselor,
            **arguments,
        )

    def referral(self, termination: Termination, provider: Provider | None = None):
        return services.termination_add_referral(
            actor=self.counselor,
            termination=termination,
            provider=provider or self.provider(),
            reason="Longer-term support for sleep.",
        )

    def outreach(self, termination: Termination, times: int = 1) -> list[OutreachAttempt]:
        return [
            services.termination_log_outreach(
                actor=self.counselor,
                termination=termination,
                attempted_on=today(),
                channel=OutreachAttempt.Channel.PHONE,
                outcome=OutreachAttempt.Outcome.NO_ANSWER,
            )
            for _ in range(times)
        ]

    def summary(self, termination: Termination, **content: Any) -> ClosingSummary:
        """Saves the sections; by default every goal still active is given "met"."""
        content.setdefault(
            "goal_outcomes",
            {
                str(pk): "met"
                for pk in termination.client.goals.filter(status="active").values_list(
                    "pk", flat=True
                )
            },
        )
        return services.termination_summary_save(
            actor=self.counselor, termination=termination, **{**SUMMARY_SECTIONS, **content}
        )

    def sign(self, termination: Termination) -> ClosingSummary:
        return services.termination_summary_sign(actor=self.counselor, termination=termination)

    def approve(self, termination: Termination, supervisor: User | None = None) -> ClosingSummary:
        return services.termination_summary_approve(
            actor=supervisor or self.supervisor, termination=termination
        )

    def prepared(self, termination: Termination) -> Termination:
        """Every step a planned, goals-met ending needs, apart from the summary."""
        self.notice(termination)
        self.reasons(termination)
        self.relapse_plan(termination)
        return termination

    def signed(self, termination: Termination) -> Termination:
        """Prepared and signed: awaiting approval when the policy asks for it."""
        self.prepared(termination)
        self.summary(termination)
        self.sign(termination)
        return self.refresh(termination)

    def ready_to_close(self, termination: Termination) -> Termination:
        self.signed(termination)
        if self.policy.closure_requires_approval:
            self.approve(termination)
        return self.refresh(termination)

    def closed(self, termination: Termination) -> Termination:
        self.ready_to_close(termination)
        services.termination_close(actor=self.counselor, termination=termination)
        return self.refresh(termination)

    @staticmethod
    def events(termination: Termination, step: str | None = None):
        events = TerminationEvent.objects.filter(termination=termination)
        return events.filter(step=step) if step else events


@pytest.fixture
def flow(owner, supervisor, own_client, policy) -> Workflow:
    return Workflow(counselor=owner, supervisor=supervisor, client=own_client)


@pytest.fixture
def ending(flow) -> Termination:
    """A planned ending just opened for the owner's client."""
    return flow.open()
