"""Two people acting on the same ending at the same moment: the row lock lets one through and
tells the other what happened. Only PostgreSQL runs these (SQLite serialises whole-database
writes, so there is no race to test)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from termination import services
from termination.models import ClosingSummary, EndingKind, Initiator, Termination, TerminationState
from tests.concurrency import race
from tests.factories import SupervisionFactory, SupervisorFactory
from tests.termination.conftest import message_of

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks (SELECT ... FOR UPDATE) only race on PostgreSQL; "
        "SQLite takes one write lock for the whole database.",
    ),
    pytest.mark.django_db(transaction=True),
]


def refusals(results: list[object]) -> list[ValidationError]:
    assert not [
        result
        for result in results
        if isinstance(result, Exception) and not isinstance(result, ValidationError)
    ]
    return [result for result in results if isinstance(result, ValidationError)]


def test_it_lets_one_of_two_simultaneous_notices_through(flow, ending):
    def record(client_view: str):
        return lambda: flow.notice(
            Termination.objects.get(pk=ending.pk), version="", client_view=client_view
        )

    results = race(record("First counselor's note"), record("Second counselor's note"))

    refused = refusals(results)
    assert len(refused) == 1
    assert "The notice was changed by someone else" in message_of(refused[0])
    saved = flow.refresh(ending)
    winner = next(result for result in results if isinstance(result, Termination))
    assert saved.client_view == winner.client_view
    assert flow.events(ending, "notice").count() == 1


def test_it_lets_one_of_two_supervisors_approve(flow, ending, owner, supervisor):
    second = SupervisorFactory(username="second_supervisor")
    SupervisionFactory(supervisor=second, supervisee=owner)
    termination = flow.signed(ending)

    results = race(
        lambda: flow.approve(termination, supervisor=supervisor),
        lambda: flow.approve(termination, supervisor=second),
    )

    refused = refusals(results)
    assert len(refused) == 1
    assert "You cannot approve the summary now" in message_of(refused[0])
    assert flow.refresh(termination).state == TerminationState.READY_TO_CLOSE
    approval = flow.events(termination, "summary_approve").get()
    assert approval.actor in (supervisor, second)
    summary = ClosingSummary.objects.get(termination=termination)
    assert summary.approved_by == approval.actor


def test_it_opens_one_ending_when_two_people_start_it_at_once(own_client, owner, supervisor):
    def open_by(actor):
        return lambda: services.termination_open(
            actor=actor, client=own_client, kind=EndingKind.PLANNED, initiated_by=Initiator.BOTH
        )

    results = race(open_by(owner), open_by(supervisor))

    refused = refusals(results)
    assert len(refused) == 1
    assert "an ending can only start for an active client" in message_of(refused[0])
    assert Termination.objects.filter(client=own_client).count() == 1
