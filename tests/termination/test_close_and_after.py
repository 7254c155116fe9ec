"""Steps 7–8: closing (sessions, dates, follow-ups), follow-up outcomes, reopening, withdrawing,
and a counselor leaving the practice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, ClientStatus, ClientTransfer
from practice.policy.models import PracticePolicy
from sessions_app.models import CounselingSession, SessionKind, SessionStatus
from termination import services
from termination.models import (
    EndingKind,
    FollowUp,
    Initiator,
    Reason,
    Termination,
    TerminationState,
)
from termination.services import retention_date
from tests.factories import ClientFactory, CounselorFactory, SessionFactory
from tests.termination.conftest import message_of, today

pytestmark = pytest.mark.django_db


def years_before(day: dt.date, years: int, days: int = 0) -> dt.date:
    """`years` whole years and `days` more before `day` (29 February falls back to the 28th)."""
    try:
        moved = day.replace(year=day.year - years)
    except ValueError:
        moved = day.replace(year=day.year - years, day=28)
    return moved - dt.timedelta(days=days)


def close(flow, termination):
    return services.termination_close(actor=flow.counselor, termination=termination)


def session_at(client, days_from_now: int, **values) -> CounselingSession:
    starts_at = (timezone.now() + dt.timedelta(days=days_from_now)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    return SessionFactory(client=client, starts_at=starts_at, **values)


# Close --------------------------------------------------------------------------------------


def test_it_refuses_to_close_a_planned_ending_and_lists_what_is_missing(flow, ending):
    termination = flow.force_state(ending, TerminationState.READY_TO_CLOSE)
    with pytest.raises(ValidationError) as refused:
        close(flow, termination)
    assert refused.value.messages == [
        "The ending cannot close yet. Missing:",
        "When the ending was raised, the final session, and the client's answers",
        "The reason for the ending",
        "Warning signs, triggers, coping steps and when to come back",
        "The counselor's signature on the closing summary",
    ]
    assert flow.refresh(termination).state == TerminationState.READY_TO_CLOSE
    assert Client.objects.get(pk=flow.client.pk).status == ClientStatus.ENDING


def test_it_refuses_to_close_an_unplanned_ending_and_lists_what_is_missing(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.outreach(unplanned)
    flow.reasons(unplanned, Reason.STOPPED_ATTENDING)
    with pytest.raises(ValidationError) as refused:
        close(flow, flow.force_state(unplanned, TerminationState.READY_TO_CLOSE))
    message = message_of(refused.value)
    for item in [
        "When the ending was raised",
        "1 more outreach attempt(s) (1 of 2)",
        "The closing letter to the client",
        "At least one referral",
        "The counselor's signature on the closing summary",
    ]:
        assert item in message
    assert "The reason for the ending" not in message
    assert "Warning signs" not in message


def test_it_lists_the_supervisors_approval_when_it_is_all_that_is_missing(flow, ending):
    termination = flow.force_state(flow.signed(ending), TerminationState.READY_TO_CLOSE)
    with pytest.raises(ValidationError) as refused:
        close(flow, termination)
    assert refused.value.messages == [
        "The ending cannot close yet. Missing:",
        "The supervisor's approval of the closing summary",
    ]


@pytest.mark.parametrize("build", ["open", "signed"])
def test_it_answers_an_early_close_with_what_is_missing_rather_than_the_state(flow, build):
    termination = flow.open()
    if build == "signed":
        flow.signed(termination)
    with pytest.raises(ValidationError) as refused:
        close(flow, termination)
    assert refused.value.messages[0] == "The ending cannot close yet. Missing:"
    assert "now" not in message_of(refused.value)


def test_it_closes_a_complete_ending(flow, ending, owner, own_client):
    last_attended = session_at(own_client, -3)
    session_at(own_client, -40)
    no_show_later = session_at(own_client, -1, status=SessionStatus.NO_SHOW)
    future = session_at(own_client, 5, status=SessionStatus.SCHEDULED)
    future_final = session_at(
        own_client, 12, status=SessionStatus.SCHEDULED, kind=SessionKind.FINAL
    )
    follow_up_session = session_at(
        own_client, 40, status=SessionStatus.SCHEDULED, kind=SessionKind.FOLLOW_UP
    )
    someone_else = SessionFactory(
        client=ClientFactory(primary_counselor=owner),
        starts_at=future.starts_at + dt.timedelta(hours=2),
        status=SessionStatus.SCHEDULED,
    )
    termination = flow.ready_to_close(ending)

    close(flow, termination)

    termination = flow.refresh(termination)
    ended_on = timezone.localtime(last_attended.starts_at).date()
    assert termination.state == TerminationState.CLOSED
    assert (termination.closed_by, termination.ended_on) == (owner, ended_on)
    assert termination.closed_at is not None
    assert termination.relationship_barred_until == ended_on.replace(year=ended_on.year + 5)
    assert termination.retain_until == ended_on.replace(year=ended_on.year + 7)

    statuses = dict(CounselingSession.objects.values_list("pk", "status"))
    assert statuses[future.pk] == statuses[future_final.pk] == SessionStatus.CANCELLED
    assert statuses[follow_up_session.pk] == SessionStatus.SCHEDULED
    assert statuses[someone_else.pk] == SessionStatus.SCHEDULED
    assert statuses[no_show_later.pk] == SessionStatus.NO_SHOW
    assert CounselingSession.objects.get(pk=future.pk).status_reason == "Counseling ended"

    own_client.refresh_from_db()
    assert (own_client.status, own_client.closed_on) == (ClientStatus.CLOSED, today())
    follow_ups = list(
        FollowUp.objects.filter(termination=termination).values_list(
            "offset_days", "due_on", "outcome"
        )
    )
    # Follow-ups count from the close (today), not from the last contact.
    assert follow_ups == [
        (days, today() + dt.timedelta(days=days), "pending") for days in (30, 90, 180)
    ]
    assert flow.events(termination, "close").get().to_state == "closed"


def test_it_follows_the_policy_for_follow_ups_and_the_relationship_bar(flow, ending, own_client):
    last_attended = session_at(own_client, -10)
    flow.set_policy(follow_up_offsets_days=[14, 60], no_relationship_years=2, retention_years=10)
    termination = close_complete(flow, ending)
    ended_on = timezone.localtime(last_attended.starts_at).date()
    assert termination.relationship_barred_until == ended_on.replace(year=ended_on.year + 2)
    assert termination.retain_until == ended_on.replace(year=ended_on.year + 10)
    assert list(termination.follow_ups.values_list("offset_days", "due_on")) == [
        (14, today() + dt.timedelta(days=14)),
        (60, today() + dt.timedelta(days=60)),
    ]


def close_complete(flow, termination):
    close(flow, flow.ready_to_close(termination))
    return flow.refresh(termination)


def test_it_ends_on_the_final_session_date_when_no_session_was_attended(flow, ending):
    termination = close_complete(flow, ending)
    assert termination.ended_on == termination.final_session_on


def test_it_keeps_records_of_a_child_until_three_years_after_majority(flow, ending, own_client):
    last_attended = session_at(own_client, -2)
    ended_on = timezone.localtime(last_attended.starts_at).date()
    born = years_before(ended_on, 12, days=30)
    Client.objects.filter(pk=own_client.pk).update(date_of_birth=born)

    termination = close_complete(flow, ending)

    majority = born.replace(year=born.year + 18)
    assert termination.retain_until == majority.replace(year=majority.year + 3)
    assert termination.retain_until > ended_on.replace(year=ended_on.year + 7)


# Retention dates --------------------------------------------------------------------------------


def retain(born: dt.date, last_contact: dt.date, **policy_values) -> dt.date:
    policy = PracticePolicy(**policy_values)
    return retention_date(
        client=Client(date_of_birth=born), last_contact=last_contact, policy=policy
    )


def test_it_keeps_an_adults_record_for_the_retention_years():
    assert retain(dt.date(1990, 5, 17), dt.date(2026, 3, 10)) == dt.date(2033, 3, 10)
    assert retain(dt.date(1990, 5, 17), dt.date(2026, 3, 10), retention_years=10) == (
        dt.date(2036, 3, 10)
    )


def test_it_keeps_a_16_year_olds_record_until_majority_plus_three_when_that_is_later():
    # With the default 7 years, last contact + 7 beats majority + 3 for anyone 14 or older, so
    # this practice keeps records 4 years: majority + 3 (age 21) is then later than age 20.
    born, last_contact = dt.date(2010, 1, 15), dt.date(2026, 6, 1)
    assert retain(born, last_contact, retention_years=4) == dt.date(2031, 1, 15)


def test_it_keeps_a_12_year_olds_record_until_majority_plus_three_by_default():
    assert retain(dt.date(2014, 1, 15), dt.date(2026, 6, 1)) == dt.date(2035, 1, 15)


def test_it_keeps_a_nearly_adult_clients_record_for_the_retention_years_when_that_is_later():
    born, last_contact = dt.date(2008, 7, 1), dt.date(2026, 5, 20)  # 17.9 years old
    assert retain(born, last_contact) == dt.date(2033, 5, 20)
    assert retain(born, last_contact, minor_retention_years_after_majority=10) == (
        dt.date(2036, 7, 1)
    )


def test_it_treats_a_client_who_turned_18_that_day_as_an_adult():
    assert retain(dt.date(2008, 6, 1), dt.date(2026, 6, 1), retention_years=1) == (
        dt.date(2027, 6, 1)
    )


def test_it_follows_the_policys_age_of_majority():
    born, last_contact = dt.date(2006, 1, 15), dt.date(2026, 6, 1)  # 20 years old
    assert retain(born, last_contact, retention_years=1) == dt.date(2027, 6, 1)
    assert retain(born, last_contact, retention_years=1, age_of_majority=21) == (
        dt.date(2030, 1, 15)
    )


def test_it_handles_a_last_contact_on_29_february():
    kept = retain(dt.date(1990, 5, 17), dt.date(2024, 2, 29))
    assert kept in {dt.date(2031, 2, 28), dt.date(2031, 3, 1)}


def test_it_handles_a_29_february_birthday():
    born = dt.date(2008, 2, 29)
    kept = retain(born, dt.date(2024, 6, 1), retention_years=4)  # 16 at last contact
    assert kept in {dt.date(2029, 2, 28), dt.date(2029, 3, 1)}
    assert retain(born, dt.date(2026, 2, 27)) == dt.date(2033, 2, 27)


def test_it_counts_majority_of_a_29_february_birthday_as_age_on_does():
    born = dt.date(2008, 2, 29)
    assert Client(date_of_birth=born).age_on(dt.date(2026, 2, 28)) == 17
    assert retain(born, dt.date(2024, 6, 1), retention_years=4) == dt.date(2029, 3, 1)


# Follow-ups ------------------------------------------------------------------------------------


def test_it_records_a_follow_up_once(flow, ending, owner):
    termination = close_complete(flow, ending)
    first = termination.follow_ups.first()
    services.termination_record_follow_up(
        actor=owner,
        termination=termination,
        follow_up=first,
        outcome=FollowUp.Outcome.REACHED,
        done_on=today(),
        note="  Doing well.  ",
    )
    first.refresh_from_db()
    assert (first.outcome, first.done_on, first.note, first.recorded_by) == (
        "reached",
        today(),
        "Doing well.",
        owner,
    )
    assert flow.events(termination, "follow_up").get().note == "Follow-up at 30 days: Reached"

    with pytest.raises(ValidationError, match="already recorded"):
        services.termination_record_follow_up(
            actor=owner,
            termination=termination,
            follow_up=first,
            outcome=FollowUp.Outcome.NOT_REACHED,
            done_on=today(),
        )
    first.refresh_from_db()
    assert first.outcome == "reached"


@pytest.mark.parametrize(
    ("outcome", "done_in_days", "field"),
    [("pending", 0, "outcome"), ("forgotten", 0, "outcome"), ("reached", 1, "done_on")],
)
def test_it_refuses_a_follow_up_outcome_that_does_not_add_up(
    flow, ending, owner, outcome, done_in_days, field
):
    termination = close_complete(flow, ending)
    with pytest.raises(ValidationError) as refused:
        services.termination_record_follow_up(
            actor=owner,
            termination=termination,
            follow_up=termination.follow_ups.first(),
            outcome=outcome,
            done_on=today() + dt.timedelta(days=done_in_days),
        )
    assert list(refused.value.message_dict) == [field]


# Reopen and withdraw -----------------------------------------------------------------------------


def test_it_reopens_a_closed_record_with_a_reason(flow, ending, own_client):
    actor = flow.counselor
    termination = close_complete(flow, ending)
    with pytest.raises(ValidationError) as refused:
        services.termination_reopen(actor=actor, termination=termination, reason="  ")
    assert list(refused.value.message_dict) == ["reason"]

    services.termination_reopen(
        actor=actor, termination=termination, reason="Client returned after a relapse."
    )

    own_client.refresh_from_db()
    assert (own_client.status, own_client.closed_on) == (ClientStatus.ACTIVE, None)
    termination = flow.refresh(termination)
    assert termination.state == TerminationState.REOPENED
    assert termination.reopen_reason == "Client returned after a relapse."
    assert termination.reopened_at is not None
    assert list(Termination.objects.filter(client=own_client)) == [termination]
    assert [step for (step,) in flow.events(termination).values_list("step")][-2:] == [
        "close",
        "reopen",
    ]
    event = flow.events(termination, "reopen").get()
    assert (event.from_state, event.to_state, event.actor, event.note) == (
        "closed",
        "reopened",
        actor,
        "Client returned after a relapse.",
    )
    assert termination.follow_ups.count() == 3


@pytest.mark.parametrize(
    "stranger", ["colleague", "outsider_supervisor", "practice_admin", "supervisor"]
)
def test_only_the_counselor_withdraws_an_ending(request, flow, stranger):
    """The counselor's supervisor reviews the ending but does not withdraw it (issue 12)."""
    actor = request.getfixturevalue(stranger)
    open_one = flow.open()
    with pytest.raises(ValidationError):
        services.termination_withdraw(actor=actor, termination=open_one, reason="No.")
    assert flow.refresh(open_one).state == TerminationState.PREPARING


@pytest.mark.parametrize(
    "stranger", ["colleague", "outsider_supervisor", "practice_admin", "supervisor"]
)
def test_only_the_counselor_reopens_a_closed_record(request, flow, stranger):
    """The counselor's supervisor reviews the closed record but does not reopen it (issue 12)."""
    actor = request.getfixturevalue(stranger)
    open_one = flow.open()
    closed_one = close_complete(flow, open_one)
    with pytest.raises(ValidationError, match="Only the client's counselor"):
        services.termination_reopen(actor=actor, termination=closed_one, reason="No.")
    closed_one = flow.refresh(closed_one)
    assert (closed_one.state, closed_one.reopen_reason) == (TerminationState.CLOSED, "")
    assert not flow.events(closed_one, "reopen").exists()
    assert Client.objects.get(pk=closed_one.client_id).status == ClientStatus.CLOSED


def test_a_supervisor_posting_a_reopen_gets_404_and_the_record_stays_closed(
    client, flow, ending, supervisor
):
    termination = close_complete(flow, ending)
    client.force_login(supervisor)
    page = client.get(reverse("termination_workspace", args=[termination.pk]))
    assert page.status_code == 200
    assert reverse("termination_reopen", args=[termination.pk]) not in page.content.decode()

    response = client.post(
        reverse("termination_reopen", args=[termination.pk]), {"reason": "Back after a move."}
    )

    assert response.status_code == 404
    termination = flow.refresh(termination)
    assert (termination.state, termination.reopened_at) == (TerminationState.CLOSED, None)
    assert not flow.events(termination, "reopen").exists()
    assert Client.objects.get(pk=termination.client_id).status == ClientStatus.CLOSED


def test_the_counselor_reopens_from_the_workspace(client, flow, ending, owner):
    termination = close_complete(flow, ending)
    client.force_login(owner)
    page = client.get(reverse("termination_workspace", args=[termination.pk]))
    assert reverse("termination_reopen", args=[termination.pk]) in page.content.decode()

    response = client.post(
        reverse("termination_reopen", args=[termination.pk]), {"reason": "Back after a move."}
    )

    assert response.status_code == 302
    assert flow.refresh(termination).state == TerminationState.REOPENED


@pytest.mark.parametrize("build", ["open", "signed", "ready_to_close"])
def test_it_withdraws_an_open_ending_and_the_client_carries_on(flow, own_client, build):
    termination = flow.open()
    if build != "open":
        getattr(flow, build)(termination)
    with pytest.raises(ValidationError) as refused:
        services.termination_withdraw(actor=flow.counselor, termination=termination, reason="")
    assert list(refused.value.message_dict) == ["reason"]

    services.termination_withdraw(
        actor=flow.counselor, termination=termination, reason="We agreed to continue."
    )

    assert flow.refresh(termination).state == TerminationState.WITHDRAWN
    own_client.refresh_from_db()
    assert own_client.status == ClientStatus.ACTIVE


# A counselor leaving ------------------------------------------------------------------------------


@pytest.fixture
def caseload(owner):
    """The owner's clients: two active, one already ending, one closed."""
    stays = ClientFactory(primary_counselor=owner, legal_last_name="Stays")
    moves = ClientFactory(primary_counselor=owner, legal_last_name="Moves")
    ending_already = ClientFactory(primary_counselor=owner, legal_last_name="Ending")
    closed = ClientFactory(primary_counselor=owner, legal_last_name="Closed")
    Client.objects.filter(pk=ending_already.pk).update(status=ClientStatus.ENDING)
    Client.objects.filter(pk=closed.pk).update(status=ClientStatus.CLOSED, closed_on=today())
    return {"stays": stays, "moves": moves, "ending": ending_already, "closed": closed}


@pytest.mark.parametrize("actor_name", ["practice_admin", "supervisor"])
def test_it_transfers_listed_clients_and_opens_endings_for_the_rest(
    request, owner, colleague, caseload, actor_name
):
    actor = request.getfixturevalue(actor_name)
    moved, opened = services.counselor_departure(
        actor=actor,
        counselor=owner,
        transfers={caseload["moves"].pk: colleague},
        reason="Leaving the practice at the end of the month.",
    )

    assert (moved, opened) == (1, 1)
    transfer = ClientTransfer.objects.get()
    assert (
        transfer.client,
        transfer.from_counselor,
        transfer.to_counselor,
        transfer.recorded_by,
    ) == (caseload["moves"], owner, colleague, actor)
    assert transfer.reason == "Leaving the practice at the end of the month."
    assert Client.objects.get(pk=caseload["moves"].pk).primary_counselor == colleague
    assert Client.objects.get(pk=caseload["moves"].pk).status == ClientStatus.ACTIVE

    leaving = Termination.objects.get()
    assert leaving.client == caseload["stays"]
    assert (leaving.kind, leaving.initiated_by, leaving.opened_by) == (
        EndingKind.PLANNED,
        Initiator.PRACTICE,
        actor,
    )
    assert Client.objects.get(pk=caseload["stays"].pk).status == ClientStatus.ENDING
    assert list(leaving.events.values_list("step", "note")) == [
        ("open", "Planned ending opened"),
        ("counselor_leaving", "Leaving the practice at the end of the month."),
    ]
    assert Client.objects.get(pk=caseload["ending"].pk).status == ClientStatus.ENDING
    assert Client.objects.get(pk=caseload["closed"].pk).status == ClientStatus.CLOSED


@pytest.mark.parametrize("actor_name", ["owner", "colleague", "outsider_supervisor"])
def test_it_lets_only_an_admin_or_the_counselors_supervisor_handle_a_departure(
    request, owner, colleague, caseload, actor_name
):
    with pytest.raises(ValidationError, match="no active clients you can reassign"):
        services.counselor_departure(
            actor=request.getfixturevalue(actor_name),
            counselor=owner,
            transfers={caseload["moves"].pk: colleague},
            reason="Leaving.",
        )
    assert not Termination.objects.exists()
    assert not ClientTransfer.objects.exists()


def test_it_needs_a_reason_for_a_departure(practice_admin, owner, caseload):
    with pytest.raises(ValidationError) as refused:
        services.counselor_departure(
            actor=practice_admin, counselor=owner, transfers={}, reason=" "
        )
    assert list(refused.value.message_dict) == ["reason"]


def test_it_handles_a_departure_all_or_nothing(practice_admin, owner, caseload):
    retired = CounselorFactory(username="retired", is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.counselor_departure(
            actor=practice_admin,
            counselor=owner,
            transfers={caseload["moves"].pk: retired},
            reason="Leaving.",
        )
    assert refused.value.message_dict == {"to_counselor": ["Choose an active counselor."]}
    assert not Termination.objects.exists()
    assert not ClientTransfer.objects.exists()
    assert Client.objects.get(pk=caseload["stays"].pk).status == ClientStatus.ACTIVE


def test_it_marks_departure_endings_with_the_counselor_leaving_reason(
    practice_admin, owner, caseload
):
    services.counselor_departure(
        actor=practice_admin, counselor=owner, transfers={}, reason="Leaving."
    )
    assert set(Termination.objects.values_list("reason", flat=True)) == {Reason.COUNSELOR_LEAVING}
