"""Step 1 (notice and the pre-ending conversation) and step 2 (reasons) with their guards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termination.models import EndingKind, Reason, TerminationState
from tests.termination.conftest import message_of, today

pytestmark = pytest.mark.django_db

NOT_GOALS_MET = [reason for reason in Reason.values if reason != Reason.GOALS_MET]


def earliest(raised_on: dt.date, days: int) -> str:
    return date_format(raised_on + dt.timedelta(days=days), "j M Y")


# Notice -------------------------------------------------------------------------------------


def test_it_records_the_notice_and_the_clients_answers(flow, ending):
    raised_on = today() - dt.timedelta(days=2)
    final = raised_on + dt.timedelta(days=30)
    flow.notice(
        ending,
        raised_on=raised_on,
        final_session_on=final,
        initiated_by="client",
        client_view="  Wants to try alone.  ",
    )

    ending = flow.refresh(ending)
    assert (ending.raised_on, ending.final_session_on, ending.initiated_by) == (
        raised_on,
        final,
        "client",
    )
    assert (ending.more_help_needed, ending.counseling_helped, ending.break_kind) == (
        "no",
        "a_lot",
        "permanent",
    )
    assert ending.client_view == "Wants to try alone."
    assert ending.notice_recorded_at is not None
    assert ending.notice_override_reason == ""
    assert flow.events(ending, "notice").get().note == ""


def test_it_refuses_notice_shorter_than_the_policy_and_names_the_earliest_date(flow, ending):
    raised_on = today() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        flow.notice(ending, raised_on=raised_on, final_session_on=raised_on + dt.timedelta(days=13))
    errors = refused.value.message_dict
    assert list(errors) == ["final_session_on"]
    assert "at least 14 days' notice" in errors["final_session_on"][0]
    assert earliest(raised_on, 14) in errors["final_session_on"][0]
    assert flow.refresh(ending).notice_recorded_at is None


def test_it_accepts_notice_of_exactly_the_policy_minimum(flow, ending):
    flow.notice(ending, raised_on=today(), final_session_on=today() + dt.timedelta(days=14))
    assert flow.refresh(ending).final_session_on == today() + dt.timedelta(days=14)


def test_it_accepts_short_notice_with_a_reason_and_records_it_in_the_event(flow, ending):
    flow.notice(
        ending,
        final_session_on=today() + dt.timedelta(days=3),
        override_reason="  Moving abroad next week.  ",
    )

    ending = flow.refresh(ending)
    assert ending.notice_override_reason == "Moving abroad next week."
    assert flow.events(ending, "notice").get().note == (
        "Short notice accepted: Moving abroad next week."
    )


def test_it_refuses_a_blank_override_reason(flow, ending):
    with pytest.raises(ValidationError, match="give the reason for the shorter notice"):
        flow.notice(ending, final_session_on=today() + dt.timedelta(days=3), override_reason="   ")


@pytest.mark.parametrize(
    ("minimum_days", "accepted"), [(7, True), (10, True), (11, False), (21, False)]
)
def test_it_follows_the_policys_minimum_notice(flow, ending, minimum_days, accepted):
    flow.set_policy(minimum_notice_days=minimum_days)
    final = today() + dt.timedelta(days=10)
    if accepted:
        flow.notice(ending, final_session_on=final)
        assert flow.refresh(ending).notice_recorded_at is not None
    else:
        with pytest.raises(ValidationError) as refused:
            flow.notice(ending, final_session_on=final)
        assert f"at least {minimum_days} days' notice" in message_of(refused.value)
        assert earliest(today(), minimum_days) in message_of(refused.value)


def test_it_does_not_ask_an_unplanned_ending_for_notice(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.notice(unplanned, final_session_on=None)
    flow.set_policy(minimum_notice_days=30)
    flow.notice(unplanned, final_session_on=today() + dt.timedelta(days=1))
    assert flow.refresh(unplanned).final_session_on == today() + dt.timedelta(days=1)


def test_it_refuses_a_final_session_before_the_ending_was_raised(flow, ending):
    with pytest.raises(ValidationError) as refused:
        flow.notice(
            ending,
            raised_on=today(),
            final_session_on=today() - dt.timedelta(days=1),
            override_reason="Would be accepted if the dates made sense.",
        )
    assert refused.value.message_dict == {
        "final_session_on": ["The final session cannot be before the ending was raised."]
    }


def test_it_refuses_an_ending_raised_in_the_future(flow, ending):
    with pytest.raises(ValidationError) as refused:
        flow.notice(ending, raised_on=today() + dt.timedelta(days=1))
    assert "raised_on" in refused.value.message_dict


def test_it_asks_a_planned_ending_for_the_final_session(flow, ending):
    with pytest.raises(ValidationError) as refused:
        flow.notice(ending, final_session_on=None)
    assert refused.value.message_dict["final_session_on"] == [
        "A planned ending needs the date of the final session."
    ]


@pytest.mark.parametrize("answer", ["more_help_needed", "counseling_helped", "break_kind"])
def test_it_requires_each_answer_of_the_pre_ending_conversation(flow, ending, answer):
    with pytest.raises(ValidationError) as refused:
        flow.notice(ending, **{answer: ""})
    assert refused.value.message_dict == {
        answer: ["Record the client's answer from the pre-ending conversation."]
    }


def test_it_records_an_unplanned_notice_without_the_conversation(flow):
    """The client of an unplanned ending may not have been reachable for that conversation."""
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.notice(
        unplanned, final_session_on=None, more_help_needed="", counseling_helped="", break_kind=""
    )
    unplanned = flow.refresh(unplanned)
    assert unplanned.notice_recorded_at is not None
    assert (unplanned.more_help_needed, unplanned.counseling_helped, unplanned.break_kind) == (
        "",
        "",
        "",
    )


def test_it_refuses_a_notice_saved_from_a_stale_page(flow, ending):
    flow.notice(ending)
    with pytest.raises(ValidationError, match="The notice was changed by someone else"):
        flow.notice(ending, version="")
    current = flow.refresh(ending).notice_recorded_at.isoformat()
    flow.notice(ending, version=current, client_view="Second thoughts recorded.")
    assert flow.refresh(ending).client_view == "Second thoughts recorded."


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days_before=st.integers(0, 60),
    notice_days=st.integers(-5, 60),
    minimum=st.integers(0, 30),
    override=st.sampled_from(["", "  ", "Client moving away"]),
)
def test_it_accepts_a_planned_notice_exactly_when_the_rules_allow(
    flow, ending, days_before, notice_days, minimum, override
):
    flow.set_policy(minimum_notice_days=minimum)
    raised_on = today() - dt.timedelta(days=days_before)
    final = raised_on + dt.timedelta(days=notice_days)
    allowed = notice_days >= 0 and (notice_days >= minimum or bool(override.strip()))
    try:
        flow.notice(ending, raised_on=raised_on, final_session_on=final, override_reason=override)
    except ValidationError as error:
        assert not allowed
        assert list(error.message_dict) == ["final_session_on"]
    else:
        assert allowed
        assert flow.refresh(ending).final_session_on == final


# Reasons ------------------------------------------------------------------------------------


def test_it_records_goals_met_without_barriers(flow, ending):
    flow.reasons(ending, Reason.GOALS_MET, narrative="  Sleeping well.  ")
    ending = flow.refresh(ending)
    assert (ending.reason, ending.reason_narrative) == ("goals_met", "Sleeping well.")
    assert (ending.barriers, ending.feelings_about_future_help) == ("", "")
    assert ending.reasons_recorded_at is not None


@pytest.mark.parametrize("reason", Reason.values)
def test_it_never_accepts_the_counselors_personal_values_as_a_reason(flow, ending, reason):
    with pytest.raises(ValidationError) as refused:
        flow.reasons(ending, reason, based_on_personal_values=True)
    errors = refused.value.message_dict
    assert list(errors) == ["based_on_personal_values"]
    assert "never a sufficient reason" in errors["based_on_personal_values"][0]
    assert flow.refresh(ending).reasons_recorded_at is None


@pytest.mark.parametrize(
    "missing", ["fees_explained", "client_not_in_danger", "consequences_discussed"]
)
def test_it_requires_each_confirmation_to_end_for_non_payment(flow, ending, missing):
    with pytest.raises(ValidationError) as refused:
        flow.reasons(ending, Reason.FINANCIAL, **{missing: False})
    assert list(refused.value.message_dict) == [missing]


def test_it_records_a_financial_ending_with_all_three_confirmations(flow, ending):
    flow.reasons(ending, Reason.FINANCIAL)
    ending = flow.refresh(ending)
    assert ending.fees_explained and ending.client_not_in_danger and ending.consequences_discussed


@pytest.mark.parametrize("reason", NOT_GOALS_MET)
@pytest.mark.parametrize("missing", ["barriers", "feelings_about_future_help"])
def test_it_asks_an_ending_short_of_its_goals_what_stood_in_the_way(flow, ending, reason, missing):
    with pytest.raises(ValidationError) as refused:
        flow.reasons(ending, reason, **{missing: "  "})
    assert list(refused.value.message_dict) == [missing]


@pytest.mark.parametrize("reason", ["", "dissatisfied", "GOALS_MET"])
def test_it_refuses_an_unknown_reason(flow, ending, reason):
    with pytest.raises(ValidationError) as refused:
        flow.reasons(ending, reason, barriers="x", feelings_about_future_help="y")
    assert refused.value.message_dict["reason"] == ["Choose the reason for the ending."]


def test_it_requires_the_narrative(flow, ending):
    with pytest.raises(ValidationError) as refused:
        flow.reasons(ending, narrative="")
    assert list(refused.value.message_dict) == ["narrative"]


def test_it_refuses_reasons_saved_from_a_stale_page(flow, ending):
    flow.reasons(ending)
    with pytest.raises(ValidationError, match="changed by someone else"):
        flow.reasons(ending, Reason.RELOCATION, version="")
    assert flow.refresh(ending).reason == Reason.GOALS_MET
    assert flow.refresh(ending).state == TerminationState.PREPARING


def test_it_refuses_an_unknown_initiator_in_the_notice(flow, ending):
    with pytest.raises(ValidationError):
        flow.notice(ending, initiated_by="the cat")
