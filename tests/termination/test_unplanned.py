"""The unplanned path: outreach attempts, then a closing letter only with correspondence consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from clients.models import Client
from termination import services
from termination.models import EndingKind, OutreachAttempt
from tests.termination.conftest import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def unplanned(flow):
    return flow.open(kind=EndingKind.UNPLANNED)


def record_letter(flow, termination, **values):
    return services.termination_record_closing_letter(
        actor=flow.counselor, termination=termination, **values
    )


def test_it_logs_an_outreach_attempt_with_a_note_in_the_event(flow, unplanned):
    attempt = services.termination_log_outreach(
        actor=flow.counselor,
        termination=unplanned,
        attempted_on=today(),
        channel=OutreachAttempt.Channel.PHONE,
        outcome=OutreachAttempt.Outcome.MESSAGE_LEFT,
        note="  Left a voicemail.  ",
    )
    assert (attempt.note, attempt.recorded_by) == ("Left a voicemail.", flow.counselor)
    assert flow.events(unplanned, "outreach").get().note == "Phone call: Message left"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"days_from_today": 1}, "attempted_on"),
        ({"channel": "pigeon"}, "channel"),
        ({"outcome": "ignored"}, "outcome"),
    ],
)
def test_it_refuses_an_outreach_attempt_that_does_not_add_up(flow, unplanned, values, field):
    values = dict(values)
    attempted_on = today() + dt.timedelta(days=values.pop("days_from_today", 0))
    arguments = {"attempted_on": attempted_on, "channel": "phone", "outcome": "no_answer", **values}
    with pytest.raises(ValidationError) as refused:
        services.termination_log_outreach(actor=flow.counselor, termination=unplanned, **arguments)
    assert list(refused.value.message_dict) == [field]
    assert not OutreachAttempt.objects.exists()


@pytest.mark.parametrize("attempts", [0, 1])
def test_it_refuses_the_closing_letter_before_the_outreach_attempts(flow, unplanned, attempts):
    flow.outreach(unplanned, times=attempts)
    with pytest.raises(ValidationError) as refused:
        record_letter(flow, unplanned, sent_on=today())
    assert refused.value.messages == [
        f"Try to reach the client at least 2 times before the closing letter "
        f"({attempts} logged so far)."
    ]


def test_it_follows_the_policys_number_of_outreach_attempts(flow, unplanned):
    flow.set_policy(outreach_attempts_before_letter=3)
    flow.outreach(unplanned, times=2)
    with pytest.raises(ValidationError, match="at least 3 times"):
        record_letter(flow, unplanned, sent_on=today())
    flow.outreach(unplanned)
    record_letter(flow, unplanned, sent_on=today())
    assert flow.refresh(unplanned).closing_letter_sent_on == today()


def test_it_needs_the_date_a_letter_was_sent_when_the_client_agreed_to_letters(flow, unplanned):
    assert flow.client.may_write
    flow.outreach(unplanned, times=2)
    with pytest.raises(ValidationError) as refused:
        record_letter(flow, unplanned, alternative="Phoned instead.")
    assert list(refused.value.message_dict) == ["sent_on"]
    with pytest.raises(ValidationError, match="on or after the day it is sent"):
        record_letter(flow, unplanned, sent_on=today() + dt.timedelta(days=1))

    record_letter(flow, unplanned, sent_on=today() - dt.timedelta(days=1))
    unplanned = flow.refresh(unplanned)
    assert unplanned.closing_letter_sent_on == today() - dt.timedelta(days=1)
    assert unplanned.closing_letter_alternative == ""
    assert unplanned.closing_letter_recorded_at is not None


def test_it_needs_the_alternative_when_the_client_did_not_agree_to_letters(flow, unplanned):
    Client.objects.filter(pk=flow.client.pk).update(may_write=False)
    flow.outreach(unplanned, times=2)
    with pytest.raises(ValidationError) as refused:
        record_letter(flow, unplanned, sent_on=today())
    assert "has not agreed to letters" in refused.value.message_dict["alternative"][0]

    record_letter(flow, unplanned, sent_on=today(), alternative="  Phone message with referrals. ")
    unplanned = flow.refresh(unplanned)
    assert unplanned.closing_letter_sent_on is None
    assert unplanned.closing_letter_alternative == "Phone message with referrals."


def test_it_refuses_a_closing_letter_for_a_planned_ending(flow, ending):
    flow.outreach(ending, times=2)
    with pytest.raises(ValidationError, match="part of an unplanned ending"):
        record_letter(flow, ending, sent_on=today())


def test_it_refuses_a_closing_letter_saved_from_a_stale_page(flow, unplanned):
    flow.outreach(unplanned, times=2)
    record_letter(flow, unplanned, sent_on=today(), version="")
    with pytest.raises(ValidationError, match="changed by someone else"):
        record_letter(flow, unplanned, sent_on=today(), version="")
