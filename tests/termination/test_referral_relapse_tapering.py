"""Step 3 (referral and the release of information), step 4 (relapse plan), step 5 (tapering)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sessions_app.models import CounselingSession, SessionKind, SessionStatus
from termination import services
from termination.models import (
    REASONS_NEEDING_REFERRAL,
    ClosingSummary,
    EndingKind,
    Reason,
    Referral,
    RelapsePlan,
    SummaryStatus,
    TaperSession,
    TerminationState,
)
from termination.selectors import missing_for_close
from tests.factories import ClientFactory, SessionFactory
from tests.termination.conftest import RELAPSE_PLAN, message_of, today

pytestmark = pytest.mark.django_db

REFERRAL_MISSING = "At least one referral (the reason implies further care)"


def ready_but_for_referral(flow, termination, reason):
    """Every other step done and the summary signed, straight into ready to close."""
    flow.notice(termination)
    flow.reasons(termination, reason)
    flow.relapse_plan(termination)
    ClosingSummary.objects.create(
        termination=termination,
        status=SummaryStatus.SIGNED,
        service_dates="From 1 May to 1 June.",
        reason="Relocation",
        condition_at_ending="Stable",
        recommendations="Continue.",
    )
    return flow.force_state(termination, TerminationState.READY_TO_CLOSE)


# Referral -----------------------------------------------------------------------------------


def test_it_lists_exactly_the_six_reasons_that_need_a_referral():
    assert set(REASONS_NEEDING_REFERRAL) == {
        "not_benefiting",
        "higher_care",
        "scope",
        "counselor_leaving",
        "risk_to_counselor",
        "relocation",
    }


@pytest.mark.parametrize("reason", sorted(REASONS_NEEDING_REFERRAL))
def test_it_requires_a_referral_when_the_reason_implies_further_care(flow, ending, reason):
    termination = ready_but_for_referral(flow, ending, reason)
    assert missing_for_close(termination, flow.policy) == [REFERRAL_MISSING]
    with pytest.raises(ValidationError) as refused:
        services.termination_close(actor=flow.counselor, termination=termination)
    assert REFERRAL_MISSING in message_of(refused.value)

    Referral.objects.create(
        termination=termination,
        provider=flow.provider(),
        reason="Care",
        made_on=today(),
        release_valid=False,
        release_note="None",
        made_by=flow.counselor,
    )
    services.termination_close(actor=flow.counselor, termination=termination)
    assert flow.refresh(termination).state == TerminationState.CLOSED


@pytest.mark.parametrize(
    "reason",
    [
        Reason.GOALS_MET,
        Reason.FINANCIAL,
        Reason.OTHER,
        Reason.CONFLICT_OF_INTEREST,
        Reason.STOPPED_ATTENDING,
    ],
)
def test_it_does_not_require_a_referral_for_a_planned_ending_that_needs_no_more_care(
    flow, ending, reason
):
    termination = ready_but_for_referral(flow, ending, reason)
    assert missing_for_close(termination, flow.policy) == []


def test_it_requires_a_referral_for_every_unplanned_ending(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED)
    flow.reasons(unplanned, Reason.STOPPED_ATTENDING)
    assert "At least one referral" in missing_for_close(flow.refresh(unplanned), flow.policy)


def test_it_records_a_valid_release_naming_the_provider(flow, ending):
    provider = flow.provider("Dr Rosa Rivera", organisation="Harbour Clinic")
    flow.release(provider, recipient_organisation="Harbour Clinic")

    referral = flow.referral(ending, provider)

    assert referral.release_valid is True
    assert "covers referral information" in referral.release_note
    assert (referral.made_on, referral.made_by, referral.reason) == (
        today(),
        flow.counselor,
        "Longer-term support for sleep.",
    )


def test_it_records_a_missing_release_with_the_reason(flow, ending):
    provider = flow.provider("Dr Rosa Rivera")
    flow.release(flow.provider("Somebody Else"))

    referral = flow.referral(ending, provider)

    assert referral.release_valid is False
    assert referral.release_note == "No release of information names Dr Rosa Rivera."


def test_it_records_an_expired_release_with_the_reason(flow, ending):
    provider = flow.provider()
    expired = today() - dt.timedelta(days=1)
    flow.release(provider, signed_on=today() - dt.timedelta(days=200), expires_on=expired)

    referral = flow.referral(ending, provider)

    assert referral.release_valid is False
    assert referral.release_note == f"The release to Dr Rosa Rivera expired on {expired:%d %b %Y}."


def test_it_records_a_revoked_release_with_the_reason(flow, ending):
    provider = flow.provider()
    revoked = today() - dt.timedelta(days=2)
    flow.release(provider, revoked_on=revoked)

    referral = flow.referral(ending, provider)

    assert referral.release_valid is False
    assert referral.release_note == f"The release to Dr Rosa Rivera revoked on {revoked:%d %b %Y}."


def test_it_records_a_release_that_does_not_cover_referrals(flow, ending):
    provider = flow.provider()
    flow.release(provider, information=["attendance"])
    referral = flow.referral(ending, provider)
    assert referral.release_valid is False
    assert "does not cover referral information" in referral.release_note


def test_it_does_not_count_another_clients_release(flow, ending, owner):
    provider = flow.provider()
    flow.release(provider, client=ClientFactory(primary_counselor=owner))
    assert flow.referral(ending, provider).release_valid is False


def test_it_refuses_a_second_referral_to_the_same_provider(flow, ending):
    provider = flow.provider()
    flow.referral(ending, provider)
    with pytest.raises(ValidationError) as refused:
        flow.referral(ending, provider)
    assert refused.value.message_dict == {"provider": ["This provider is already referred to."]}
    assert Referral.objects.filter(termination=ending).count() == 1
    assert flow.events(ending, "referral").count() == 1


def test_it_refuses_a_provider_no_longer_in_the_directory(flow, ending):
    with pytest.raises(ValidationError, match="no longer in the directory"):
        flow.referral(ending, flow.provider(is_active=False))


def test_it_refuses_a_referral_without_a_reason(flow, ending):
    with pytest.raises(ValidationError) as refused:
        services.termination_add_referral(
            actor=flow.counselor, termination=ending, provider=flow.provider(), reason="  "
        )
    assert list(refused.value.message_dict) == ["reason"]


# Relapse plan ---------------------------------------------------------------------------------


def test_it_records_the_relapse_plan_and_drops_blank_rows(flow, ending):
    plan = flow.relapse_plan(
        ending,
        coping_steps=[*RELAPSE_PLAN["coping_steps"], {"sign": " ", "step": ""}],
        support_contacts=[
            *RELAPSE_PLAN["support_contacts"],
            {"name": "", "relation": "", "phone": ""},
        ],
    )
    plan.refresh_from_db()
    assert plan.coping_steps == RELAPSE_PLAN["coping_steps"]
    assert plan.support_contacts == RELAPSE_PLAN["support_contacts"]
    assert plan.crisis_lines == RELAPSE_PLAN["crisis_lines"]


@pytest.mark.parametrize(
    "field", ["warning_signs", "triggers", "crisis_lines", "when_to_come_back"]
)
def test_it_requires_each_part_of_the_relapse_plan(flow, ending, field):
    with pytest.raises(ValidationError) as refused:
        flow.relapse_plan(ending, **{field: "  "})
    assert list(refused.value.message_dict) == [field]
    assert not RelapsePlan.objects.exists()


@pytest.mark.parametrize(
    ("coping_steps", "message"),
    [
        ([], "Give at least one coping step."),
        ([{"sign": "", "step": ""}], "Give at least one coping step."),
        (
            [{"sign": "Poor sleep", "step": "Wind down"}, {"sign": "Skipping meals", "step": " "}],
            "Each warning sign or trigger listed needs its coping step.",
        ),
        ([{"sign": "Poor sleep"}], "Each warning sign or trigger listed needs its coping step."),
    ],
)
def test_it_requires_a_coping_step_for_each_sign(flow, ending, coping_steps, message):
    with pytest.raises(ValidationError) as refused:
        flow.relapse_plan(ending, coping_steps=coping_steps)
    assert refused.value.message_dict == {"coping_steps": [message]}


@pytest.mark.parametrize(
    "contact",
    [
        {"name": "Sam", "relation": "sister", "phone": ""},
        {"name": "", "relation": "sister", "phone": "0123"},
        {"relation": "neighbour"},
    ],
)
def test_it_requires_a_name_and_a_phone_for_each_support_contact(flow, ending, contact):
    with pytest.raises(ValidationError) as refused:
        flow.relapse_plan(ending, support_contacts=[*RELAPSE_PLAN["support_contacts"], contact])
    assert refused.value.message_dict == {
        "support_contacts": ["Each support contact needs a name and a phone number."]
    }


def test_it_updates_the_relapse_plan_and_refuses_a_stale_page(flow, ending):
    first = flow.relapse_plan(ending)
    with pytest.raises(ValidationError, match="changed by someone else"):
        flow.relapse_plan(ending, triggers="Changed from a stale page", version="")
    flow.relapse_plan(ending, triggers="Exams", version=first.updated_at.isoformat())
    assert RelapsePlan.objects.get(termination=ending).triggers == "Exams"
    assert flow.events(ending, "relapse_plan").count() == 2


# Tapering -------------------------------------------------------------------------------------


def next_morning(days: int = 2) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


def test_it_schedules_tapering_sessions_at_the_intervals(flow, ending):
    first = next_morning()
    created = services.termination_schedule_tapering(
        actor=flow.counselor,
        termination=ending,
        first_starts_at=first,
        intervals_days=[7, 14, 28],
        duration_minutes=45,
        modality="video",
    )

    assert [taper.interval_days for taper in created] == [0, 7, 14, 28]
    sessions = [taper.session for taper in TaperSession.objects.filter(termination=ending)]
    assert [session.starts_at for session in sessions] == [
        first,
        first + dt.timedelta(days=7),
        first + dt.timedelta(days=21),
        first + dt.timedelta(days=49),
    ]
    assert [session.kind for session in sessions] == [
        SessionKind.REGULAR,
        SessionKind.REGULAR,
        SessionKind.REGULAR,
        SessionKind.FINAL,
    ]
    assert {
        (s.status, s.client, s.counselor, s.duration_minutes, s.modality) for s in sessions
    } == {(SessionStatus.SCHEDULED, flow.client, flow.counselor, 45, "video")}
    assert flow.events(ending, "tapering").get().note.startswith("4 tapering sessions scheduled")


def test_it_refuses_a_double_booked_tapering_slot_and_schedules_none(flow, ending, owner):
    first = next_morning()
    other = ClientFactory(
        primary_counselor=owner, legal_first_name="Grace", legal_last_name="Hopper"
    )
    SessionFactory(
        client=other,
        starts_at=first + dt.timedelta(days=14, minutes=20),
        status=SessionStatus.SCHEDULED,
    )

    with pytest.raises(ValidationError) as refused:
        services.termination_schedule_tapering(
            actor=owner, termination=ending, first_starts_at=first, intervals_days=[7, 7, 7]
        )

    assert "already has a session with Grace Hopper" in message_of(refused.value)
    assert list(refused.value.message_dict) == ["starts_at"]
    assert not CounselingSession.objects.filter(client=flow.client).exists()
    assert not TaperSession.objects.exists()
    assert not flow.events(ending, "tapering").exists()


@pytest.mark.parametrize("intervals", [[], [0], [7, -7], [121]])
def test_it_refuses_gaps_out_of_range(flow, ending, intervals):
    with pytest.raises(ValidationError) as refused:
        services.termination_schedule_tapering(
            actor=flow.counselor,
            termination=ending,
            first_starts_at=next_morning(),
            intervals_days=intervals,
        )
    assert list(refused.value.message_dict) == ["intervals_days"]


def test_it_refuses_a_first_tapering_session_in_the_past(flow, ending):
    with pytest.raises(ValidationError) as refused:
        services.termination_schedule_tapering(
            actor=flow.counselor,
            termination=ending,
            first_starts_at=timezone.now() - dt.timedelta(hours=1),
            intervals_days=[7],
        )
    assert list(refused.value.message_dict) == ["first_starts_at"]
