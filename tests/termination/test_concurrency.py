"""Two people acting on the same ending at the same moment: the row lock lets one through and
tells the other what happened. Only PostgreSQL runs these (SQLite serialises whole-database
writes, so there is no race to test)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from practice.models import PracticePolicy
from termination import services
from termination.models import ClosingSummary, EndingKind, Initiator, Termination, TerminationState
from tests.factories import SupervisionFactory, SupervisorFactory

from .conftest import message_of

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks (SELECT ... FOR UPDATE) only race on PostgreSQL; "
        "SQLite takes one write lock for the whole database.",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_setup, django_db_blocker):
    """A transactional test empties every table when it ends, including the rows the data
    migrations put there (the shipped instruments, the policy). Put them back for later tests
    and for the next run with --reuse-db."""
    yield
    shipped = importlib.import_module("sessions_app.migrations.0003_shipped_instruments")
    with django_db_blocker.unblock():
        shipped.ship(apps, None)
        PracticePolicy.current()


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each result is a value or an exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck on a lock"
    return results


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
