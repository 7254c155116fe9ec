"""What each document says, read from its context (no WeasyPrint involved)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import InformationCategory
from termination import services
from termination.documents import (
    aftercare_letter_context,
    closing_letter_context,
    closing_summary_context,
    record_version,
    referral_letter_context,
)
from termination.models import EndingKind, Provider, SummaryStatus
from tests.documents.conftest import ALL_CATEGORIES, release
from tests.termination.conftest import Workflow, message_of, today

pytestmark = pytest.mark.django_db


def test_it_prints_a_draft_summary_without_any_signature(draft_ending, letterhead):
    context = closing_summary_context(draft_ending, policy=letterhead)

    assert context["status"] == SummaryStatus.DRAFT
    assert context["signature"] is None and context["approval"] is None
    assert context["status_label"] == "Draft — not signed"


def test_it_never_signs_a_summary_returned_to_draft(flow, supervisor, letterhead, own_client):
    termination = flow.signed(flow.open())
    services.termination_summary_return(
        actor=supervisor, termination=termination, comment="Add the measures."
    )
    summary = Workflow.refresh(termination).summary
    assert summary.signed_by is not None, "the row still names the earlier signer"

    context = closing_summary_context(Workflow.refresh(termination), policy=letterhead)

    assert context["signature"] is None


def test_it_carries_the_signature_and_the_approval(signed_ending, owner, supervisor, letterhead):
    owner.time_zone = "America/Chicago"
    owner.save()
    context = closing_summary_context(Workflow.refresh(signed_ending), policy=letterhead)
    summary = signed_ending.summary

    assert context["signature"]["name"] == "Olivia Owner"
    assert context["signature"]["credentials"] == "LPC"
    assert context["signature"]["sha256"] == summary.content_sha256
    assert context["signature"]["signed_at"].endswith(("CST", "CDT"))
    assert context["approval"]["name"] == "Sofia Super"
    assert context["sections"][0]["label"] == "Dates of service"
    assert context["letterhead"]["name"] == "Harbour Counseling"
    assert context["letterhead"]["address_lines"] == ["12 Harbour Street", "Springfield, IL 62701"]


def test_the_record_version_follows_the_facts(signed_ending, letterhead):
    first = record_version(closing_summary_context(signed_ending, policy=letterhead))
    again = record_version(closing_summary_context(signed_ending, policy=letterhead))
    services.termination_summary_addendum(
        actor=signed_ending.client.primary_counselor, termination=signed_ending, text="Called."
    )
    changed = record_version(
        closing_summary_context(Workflow.refresh(signed_ending), policy=letterhead)
    )

    assert first == again != changed


@pytest.fixture
def referred(flow, own_client):
    termination = flow.open()
    provider = Provider.objects.create(
        name="Dr Rosa Rivera", organisation="Eastside Clinic", address="1 Main St\nSpringfield"
    )
    referral = flow.referral(termination, provider)
    return termination, referral


def test_a_referral_letter_needs_a_release_naming_the_recipient(referred, letterhead):
    termination, referral = referred

    with pytest.raises(ValidationError) as refused:
        referral_letter_context(
            termination, referral=referral, sections=[], policy=letterhead, today=today()
        )

    assert "No release of information names Dr Rosa Rivera." in message_of(refused.value)


def test_it_says_which_release_expired(referred, letterhead, own_client):
    termination, referral = referred
    release(
        own_client,
        referral.provider,
        ALL_CATEGORIES,
        signed_on=today() - dt.timedelta(days=400),
        expires_on=today() - dt.timedelta(days=3),
    )

    with pytest.raises(ValidationError) as refused:
        referral_letter_context(
            termination, referral=referral, sections=[], policy=letterhead, today=today()
        )

    expired_on = (today() - dt.timedelta(days=3)).strftime("%d %b %Y")
    assert f"The release to Dr Rosa Rivera expired on {expired_on}." in message_of(refused.value)


def test_it_refuses_sections_the_release_does_not_cover(referred, letterhead, own_client):
    termination, referral = referred
    release(own_client, referral.provider, [InformationCategory.REFERRAL])

    with pytest.raises(ValidationError) as refused:
        referral_letter_context(
            termination,
            referral=referral,
            sections=["attendance", "measures"],
            policy=letterhead,
            today=today(),
        )

    message = message_of(refused.value)
    assert "does not cover attendance and dates of service" in message
    assert "does not cover measure scores" in message


def test_a_referral_letter_holds_only_the_sections_chosen(referred, letterhead, own_client):
    termination, referral = referred
    own_client.presenting_concerns = "Poor sleep after a bereavement."
    own_client.save()
    release(own_client, referral.provider, ALL_CATEGORIES)

    context = referral_letter_context(
        Workflow.refresh(termination),
        referral=referral,
        sections=["presenting_concerns"],
        policy=letterhead,
        today=today(),
    )

    assert [section["key"] for section in context["sections"]] == ["presenting_concerns"]
    assert context["sections"][0]["paragraphs"] == ["Poor sleep after a bereavement."]
    assert context["reason"] == "Longer-term support for sleep."
    assert context["recipient"]["address_lines"] == ["1 Main St", "Springfield"]
    assert context["client"]["date_of_birth"] == "17 May 1990"


def test_the_aftercare_letter_is_built_from_the_relapse_plan(flow, letterhead):
    termination = Workflow.refresh(flow.prepared(flow.open()))

    context = aftercare_letter_context(termination, policy=letterhead, today=today())

    assert context["warning_signs"] == ["Sleeping badly for several nights; skipping meals."]
    assert context["coping_steps"][0] == {
        "sign": "Sleeping badly",
        "step": "Wind-down routine and the sleep diary",
    }
    assert context["support_contacts"][0]["name"] == "Sam"
    assert context["crisis_lines"][0] == "988 Suicide & Crisis Lifeline"
    assert "Crisis Text Line: text HOME to 741741" in context["crisis_lines"]
    final = termination.final_session_on
    assert context["follow_ups"] == [
        f"{(final + dt.timedelta(days=days)):%-d %B %Y}" for days in (30, 90, 180)
    ]


def test_the_aftercare_letter_needs_the_relapse_plan(flow, letterhead):
    with pytest.raises(ValidationError, match="Write the relapse plan first"):
        aftercare_letter_context(flow.open(), policy=letterhead, today=today())


def directory(count: int, **values) -> list[Provider]:
    return [
        Provider.objects.create(name=f"Service {index}", phone=f"555-01{index:02}", **values)
        for index in range(count)
    ]


def test_a_closing_letter_needs_consent_to_write(flow, own_client, letterhead):
    own_client.may_write = False
    own_client.save()
    termination = flow.open(kind=EndingKind.UNPLANNED)

    with pytest.raises(ValidationError, match="has not agreed to letters"):
        closing_letter_context(
            termination,
            providers=directory(3),
            close_on=today() + dt.timedelta(days=14),
            policy=letterhead,
            today=today(),
        )


def test_a_closing_letter_lists_the_policy_number_of_reachable_referrals(flow, letterhead):
    termination = flow.open(kind=EndingKind.UNPLANNED)
    unreachable = Provider.objects.create(name="No contact details")

    with pytest.raises(ValidationError) as refused:
        closing_letter_context(
            termination,
            providers=[*directory(2), unreachable],
            close_on=today() + dt.timedelta(days=14),
            policy=letterhead,
            today=today(),
        )

    assert "at least 3 referrals with contact details (2 chosen" in message_of(refused.value)


def test_a_closing_letter_holds_dates_referrals_and_crisis_lines(flow, own_client, letterhead):
    own_client.address = "4 Elm Row\nSpringfield"
    own_client.save()
    termination = flow.open(kind=EndingKind.UNPLANNED)
    close_on = timezone.localdate() + dt.timedelta(days=21)

    context = closing_letter_context(
        termination,
        providers=directory(3),
        close_on=close_on,
        policy=letterhead,
        today=today(),
    )

    assert context["close_on"] == f"{close_on:%-d %B %Y}"
    assert [item["name"] for item in context["referrals"]] == [
        "Service 0",
        "Service 1",
        "Service 2",
    ]
    assert context["crisis_lines"][0] == "Emergency services: call 911"
    assert context["address_lines"] == ["4 Elm Row", "Springfield"]


def test_a_closing_letter_belongs_to_an_unplanned_ending(flow, letterhead):
    with pytest.raises(ValidationError, match="part of an unplanned ending"):
        closing_letter_context(
            flow.open(),
            providers=directory(3),
            close_on=today(),
            policy=letterhead,
            today=today(),
        )
