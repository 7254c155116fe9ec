"""One source for each date of an ending (termination/dates.py), at its boundaries: tapering,
an early close, an unplanned close, the promise of a closing letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practice.reminders.sweeps.endings import summary_due_date
from sessions_app.models import SessionStatus
from termination import dates, services
from termination.models import (
    Document,
    DocumentKind,
    DocumentState,
    EndingKind,
    FollowUp,
    OutreachAttempt,
    Reason,
    TerminationState,
)
from termination.selectors import checklist
from tests.factories import SessionFactory
from tests.termination.conftest import message_of, today

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def summary_step(flow, termination):
    steps = {step.key: step for step in checklist(flow.refresh(termination), flow.policy)}
    return steps["summary"]


def taper(flow, termination, first: dt.date, gaps: list[int]):
    return services.termination_schedule_tapering(
        actor=flow.counselor,
        termination=termination,
        first_starts_at=at_noon(first),
        intervals_days=gaps,
    )


# The final session and the summary ----------------------------------------------------------


def test_tapering_moves_the_final_session_and_the_summary_due_date(flow, ending):
    notice_final = today() + days(21)
    flow.notice(ending, raised_on=today(), final_session_on=notice_final)
    flow.summary(ending)  # a draft started before tapering
    taper(flow, ending, today() + days(7), [14, 28])

    moved = today() + days(7 + 14 + 28)
    termination = flow.refresh(ending)
    assert termination.final_session_on == moved
    assert termination.summary.due_on == moved + days(15)
    assert summary_step(flow, ending).deadline == moved + days(15)
    assert summary_due_date(termination, flow.policy) == moved + days(15)
    assert "final session moved to" in flow.events(ending, "tapering").get().note


def test_a_cancelled_tapering_session_does_not_count_as_the_final_one(flow, ending):
    flow.notice(ending, raised_on=today(), final_session_on=today() + days(21))
    created = taper(flow, ending, today() + days(7), [7])
    last = created[-1].session
    last.status = SessionStatus.CANCELLED
    last.save()
    termination = flow.refresh(ending)
    assert dates.final_session_on(termination, notice_date=None) == today() + days(7)


def test_re_recording_the_notice_keeps_the_final_session_tapering_booked(flow, ending):
    taper(flow, ending, today() + days(7), [14])
    flow.notice(ending, raised_on=today(), final_session_on=today() + days(15))
    assert flow.refresh(ending).final_session_on == today() + days(21)


def test_an_unplanned_summary_is_due_from_the_closing_letter_step(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.notice(unplanned, final_session_on=None)
    assert summary_step(flow, unplanned).deadline is None
    flow.outreach(unplanned, times=flow.policy.outreach_attempts_before_letter)
    services.termination_record_closing_letter(
        actor=flow.counselor, termination=unplanned, sent_on=today()
    )
    assert summary_step(flow, unplanned).deadline == today() + days(15)


# Closing early ---------------------------------------------------------------------------------


def ready_with_notice(flow, termination, **notice):
    flow.notice(termination, **notice)
    flow.reasons(termination)
    flow.relapse_plan(termination)
    flow.summary(termination)
    flow.sign(termination)
    if flow.policy.closure_requires_approval:
        flow.approve(termination)
    return flow.refresh(termination)


def test_closing_before_the_final_session_needs_a_reason(flow, ending):
    termination = ready_with_notice(
        flow, ending, raised_on=today() - days(14), final_session_on=today() + days(1)
    )

    with pytest.raises(ValidationError) as refused:
        services.termination_close(actor=flow.counselor, termination=termination)
    assert "final session is planned for" in message_of(refused.value)
    assert refused.value.error_dict.keys() == {"early_reason"}

    services.termination_close(
        actor=flow.counselor, termination=termination, early_reason="The client moved away."
    )
    closed = flow.refresh(termination)
    assert closed.state == TerminationState.CLOSED
    assert flow.events(closed, "close").get().note == "Closed early: The client moved away."


def test_closing_on_the_day_of_the_final_session_needs_no_reason(flow, ending):
    termination = ready_with_notice(
        flow, ending, raised_on=today() - days(21), final_session_on=today()
    )
    services.termination_close(actor=flow.counselor, termination=termination)
    assert flow.refresh(termination).state == TerminationState.CLOSED
    assert flow.events(termination, "close").get().note == ""


def promise(termination, owner, close_on: dt.date) -> Document:
    return Document.objects.create(
        termination=termination,
        kind=DocumentKind.CLOSING_LETTER,
        version=Document.objects.filter(termination=termination).count() + 1,
        options={"close_on": close_on.isoformat(), "provider_ids": []},
        record_version="0" * 64,
        generated_by=owner,
        state=DocumentState.PENDING,
    )


def unplanned_ready(flow, silent_for: int = 60, reached_on: dt.date | None = None):
    SessionFactory(client=flow.client, starts_at=timezone.now() - days(silent_for))
    termination = flow.open(kind=EndingKind.UNPLANNED)
    flow.notice(termination, final_session_on=None)
    flow.reasons(termination, Reason.STOPPED_ATTENDING)
    if reached_on:
        services.termination_log_outreach(
            actor=flow.counselor,
            termination=termination,
            attempted_on=reached_on,
            channel=OutreachAttempt.Channel.PHONE,
            outcome=OutreachAttempt.Outcome.REACHED,
        )
    flow.outreach(termination, times=flow.policy.outreach_attempts_before_letter)
    services.termination_record_closing_letter(
        actor=flow.counselor, termination=termination, sent_on=today()
    )
    flow.referral(termination)
    flow.summary(termination)
    flow.sign(termination)
    if flow.policy.closure_requires_approval:
        flow.approve(termination)
    return flow.refresh(termination)


def test_closing_before_the_date_promised_in_the_letter_needs_a_reason(flow, owner):
    termination = unplanned_ready(flow)
    promise(termination, owner, today() + days(1))

    with pytest.raises(ValidationError) as refused:
        services.termination_close(actor=flow.counselor, termination=termination)
    assert "told the client the file closes on" in message_of(refused.value)

    services.termination_close(
        actor=flow.counselor, termination=termination, early_reason="The client phoned to end."
    )
    assert flow.refresh(termination).state == TerminationState.CLOSED


def test_the_latest_letter_holds_the_promise_and_its_day_needs_no_reason(flow, owner):
    termination = unplanned_ready(flow)
    promise(termination, owner, today() + days(5))
    promise(termination, owner, today())
    assert dates.promised_close_on(termination) == today()
    services.termination_close(actor=flow.counselor, termination=termination)
    assert flow.refresh(termination).state == TerminationState.CLOSED


def test_a_failed_letter_promised_nothing(flow, owner):
    termination = unplanned_ready(flow)
    failed = promise(termination, owner, today() + days(5))
    Document.objects.filter(pk=failed.pk).update(state=DocumentState.FAILED)
    assert dates.promised_close_on(termination) is None
    services.termination_close(actor=flow.counselor, termination=termination)


# Follow-ups and the dates counted from the last contact --------------------------------------


def test_an_unplanned_ending_never_closes_with_a_follow_up_overdue(flow):
    termination = unplanned_ready(flow, silent_for=60)
    flow.set_policy(follow_up_offsets_days=[1, 30])
    services.termination_close(actor=flow.counselor, termination=termination)

    due = list(FollowUp.objects.filter(termination=termination).values_list("due_on", flat=True))
    assert due == [today() + days(1), today() + days(30)]
    assert all(day >= today() for day in due)
    # The last contact stays weeks ago: the relationship bar and retention count from it.
    closed = flow.refresh(termination)
    last = today() - days(60)
    assert closed.ended_on == last
    assert closed.relationship_barred_until == dates.add_years(last, 5)
    assert closed.retain_until == dates.add_years(last, 7)


def test_an_outreach_that_reached_the_client_is_the_last_contact(flow):
    termination = unplanned_ready(flow, silent_for=60, reached_on=today() - days(3))
    services.termination_close(actor=flow.counselor, termination=termination)
    assert flow.refresh(termination).ended_on == today() - days(3)


def test_without_any_contact_the_dates_count_from_the_close(flow, ending):
    termination = flow.closed(ending)
    assert termination.ended_on == today()
    assert termination.relationship_barred_until == dates.add_years(today(), 5)


def test_a_follow_up_that_reaches_the_client_moves_the_last_contact(flow, ending, own_client):
    SessionFactory(client=own_client, starts_at=timezone.now() - days(10))
    termination = flow.closed(ending)
    first = termination.follow_ups.first()
    services.termination_record_follow_up(
        actor=flow.counselor,
        termination=termination,
        follow_up=first,
        outcome=FollowUp.Outcome.REACHED,
        done_on=today(),
    )
    moved = flow.refresh(termination)
    assert moved.ended_on == today()
    assert moved.retain_until == dates.add_years(today(), 7)


def test_a_follow_up_not_reached_moves_nothing(flow, ending, own_client):
    SessionFactory(client=own_client, starts_at=timezone.now() - days(10))
    termination = flow.closed(ending)
    services.termination_record_follow_up(
        actor=flow.counselor,
        termination=termination,
        follow_up=termination.follow_ups.first(),
        outcome=FollowUp.Outcome.NOT_REACHED,
        done_on=today(),
    )
    assert flow.refresh(termination).ended_on == today() - days(10)


def test_the_expected_follow_ups_count_from_the_final_session_until_it_passes(flow, ending):
    flow.notice(ending, raised_on=today(), final_session_on=today() + days(20))
    termination = flow.refresh(ending)
    expected = dates.follow_up_dates(termination, flow.policy, today=today())
    assert expected[0] == today() + days(20 + 30)
    # Once the final session has passed, the ending can close no earlier than today.
    later = dates.follow_up_dates(termination, flow.policy, today=today() + days(25))
    assert later[0] == today() + days(25 + 30)


def test_a_29_february_last_contact_ends_the_bar_on_1_march():
    assert dates.add_years(dt.date(2028, 2, 29), 5) == dt.date(2033, 3, 1)
