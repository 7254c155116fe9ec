"""Opening an ending, one open ending per client, and the event and audit rows every move writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.models import Client, ClientStatus
from practice.audit.models import AuditEvent
from termination import services
from termination.models import (
    EndingKind,
    Initiator,
    Termination,
    TerminationEvent,
    TerminationState,
)
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_it_opens_an_ending_and_moves_the_client_to_ending(flow, owner, own_client):
    termination = flow.open(kind=EndingKind.UNPLANNED, initiated_by=Initiator.CLIENT)

    assert termination.state == TerminationState.PREPARING
    assert (termination.kind, termination.initiated_by) == ("unplanned", "client")
    assert termination.opened_by == owner
    own_client.refresh_from_db()
    assert own_client.status == ClientStatus.ENDING
    opened = flow.events(termination).get()
    assert (opened.step, opened.from_state, opened.to_state) == ("open", "", "preparing")
    assert opened.actor == owner
    assert opened.note == "Unplanned ending opened"
    assert AuditEvent.objects.filter(
        object_type="termination.termination",
        object_id=str(termination.pk),
        client_id=own_client.pk,
        actor=owner,
        action=AuditEvent.Action.TRANSITION,
    ).exists()


@pytest.mark.parametrize("opener", ["supervisor", "practice_admin"])
def test_it_lets_the_supervisor_or_the_admin_open_an_ending(request, flow, own_client, opener):
    actor = request.getfixturevalue(opener)
    termination = services.termination_open(
        actor=actor, client=own_client, kind=EndingKind.PLANNED, initiated_by=Initiator.PRACTICE
    )
    assert termination.opened_by == actor


@pytest.mark.parametrize("stranger", ["colleague", "outsider_supervisor"])
def test_it_refuses_an_ending_opened_by_a_stranger(request, own_client, stranger):
    with pytest.raises(ValidationError, match="Only the client's counselor, their supervisor"):
        services.termination_open(
            actor=request.getfixturevalue(stranger),
            client=own_client,
            kind=EndingKind.PLANNED,
            initiated_by=Initiator.COUNSELOR,
        )
    assert not Termination.objects.exists()


@pytest.mark.parametrize(
    ("kind", "initiated_by"),
    [("", "client"), ("sudden", "client"), ("planned", ""), ("planned", "the cat")],
)
def test_it_refuses_an_unknown_kind_or_initiator(owner, own_client, kind, initiated_by):
    with pytest.raises(ValidationError, match="Choose the kind of ending"):
        services.termination_open(
            actor=owner, client=own_client, kind=kind, initiated_by=initiated_by
        )


def test_it_refuses_a_second_open_ending_for_the_same_client(flow, own_client):
    flow.open()
    with pytest.raises(ValidationError, match="an ending can only start for an active client"):
        flow.open()
    assert Termination.objects.filter(client=own_client).count() == 1


def test_it_refuses_a_second_open_ending_with_the_services_message_when_the_client_is_active(
    flow, own_client
):
    """Should the client's status and the endings disagree, the constraint still has the say."""
    flow.open()
    Client.objects.filter(pk=own_client.pk).update(status=ClientStatus.ACTIVE)
    with pytest.raises(ValidationError, match="This client already has an ending in progress"):
        flow.open()
    assert Termination.objects.filter(client=own_client).count() == 1


@pytest.mark.parametrize(
    "open_state",
    [
        TerminationState.PREPARING,
        TerminationState.AWAITING_APPROVAL,
        TerminationState.READY_TO_CLOSE,
    ],
)
def test_it_has_the_database_refuse_a_second_open_ending(flow, owner, own_client, open_state):
    flow.force_state(flow.open(), open_state)
    with pytest.raises(IntegrityError), transaction.atomic():
        Termination.objects.create(
            client=own_client,
            kind=EndingKind.PLANNED,
            initiated_by=Initiator.COUNSELOR,
            opened_by=owner,
        )


@pytest.mark.parametrize(
    "ended_state", [TerminationState.CLOSED, TerminationState.REOPENED, TerminationState.WITHDRAWN]
)
def test_it_has_the_database_allow_a_new_ending_beside_finished_ones(
    flow, owner, own_client, ended_state
):
    flow.force_state(flow.open(), ended_state)
    Termination.objects.create(
        client=own_client,
        kind=EndingKind.PLANNED,
        initiated_by=Initiator.COUNSELOR,
        opened_by=owner,
    )
    assert Termination.objects.filter(client=own_client).count() == 2


def test_it_opens_a_new_ending_after_one_was_withdrawn(flow, owner, own_client):
    first = flow.open()
    services.termination_withdraw(actor=owner, termination=first, reason="Continuing.")
    second = flow.open()
    assert second.pk != first.pk
    assert flow.refresh(first).state == TerminationState.WITHDRAWN


def test_it_opens_a_new_ending_after_a_closed_one_was_reopened(flow, owner, own_client):
    first = flow.closed(flow.open())
    services.termination_reopen(actor=owner, termination=first, reason="Back after a move.")
    second = flow.open()
    assert {first.pk, second.pk} == set(
        Termination.objects.filter(client=own_client).values_list("pk", flat=True)
    )


def test_it_refuses_to_open_an_ending_for_a_closed_client(flow, own_client):
    flow.closed(flow.open())
    with pytest.raises(ValidationError, match="The client is closed"):
        flow.open()


def test_it_records_the_event_and_audit_of_every_step_along_the_way(flow, owner, supervisor):
    termination = flow.closed(flow.open())

    steps = list(flow.events(termination).values_list("step", "from_state", "to_state"))
    assert steps == [
        ("open", "", "preparing"),
        ("notice", "preparing", "preparing"),
        ("reasons", "preparing", "preparing"),
        ("relapse_plan", "preparing", "preparing"),
        ("summary_edit", "preparing", "preparing"),
        ("summary_sign", "preparing", "awaiting_approval"),
        ("summary_approve", "awaiting_approval", "ready_to_close"),
        ("close", "ready_to_close", "closed"),
    ]
    actors = dict(flow.events(termination).values_list("step", "actor"))
    assert actors["summary_approve"] == supervisor.pk
    assert actors["close"] == owner.pk
    audited = AuditEvent.objects.filter(
        object_type="termination.termination", object_id=str(termination.pk)
    )
    assert audited.count() == len(steps)
    assert set(audited.values_list("client_id", flat=True)) == {termination.client_id}
    assert audited.filter(summary="Ending: Closed (Ready to close → Closed)").exists()


def test_it_records_notes_on_the_events_that_carry_one(flow, owner, supervisor):
    termination = flow.signed(flow.open())
    services.termination_summary_return(
        actor=supervisor, termination=termination, comment="  Add the PHQ-9 trend.  "
    )
    provider = flow.provider("Harbour Counseling")
    flow.referral(termination, provider)
    services.termination_withdraw(
        actor=owner, termination=termination, reason="We agreed to go on."
    )

    notes = dict(flow.events(termination).values_list("step", "note"))
    assert notes["summary_return"] == "Add the PHQ-9 trend."
    assert notes["referral"] == "Referred to Harbour Counseling"
    assert notes["withdraw"] == "We agreed to go on."
    withdrawn = flow.events(termination, "withdraw").get()
    assert (withdrawn.from_state, withdrawn.to_state, withdrawn.actor) == (
        "preparing",
        "withdrawn",
        owner,
    )


def test_it_writes_no_event_when_a_step_fails_its_own_validation(flow, ending):
    with pytest.raises(ValidationError):
        flow.reasons(ending, narrative="   ")
    assert not TerminationEvent.objects.filter(termination=ending, step="reasons").exists()
    assert flow.refresh(ending).reasons_recorded_at is None


def test_it_keeps_other_clients_endings_apart(flow, owner):
    other = ClientFactory(primary_counselor=owner)
    flow.open()
    second = flow.open(client=other)
    assert second.client == other
    assert Termination.objects.open().count() == 2
