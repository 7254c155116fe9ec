"""Words that mislead: each page says what happened, and who did it."""

import datetime as dt

import pytest
from django.utils import timezone

from termination.models import Answer, EndingKind, Initiator, Reason
from termination.selectors import checklist, reason_in_words
from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db


def steps(flow, termination):
    return {step.key: step for step in checklist(flow.refresh(termination), flow.policy)}


def test_the_caseloads_unplanned_ending_is_raised_by_the_counselor(client, owner, policy):
    silent = ClientFactory(primary_counselor=owner)
    SessionFactory(
        client=silent, starts_at=timezone.now() - dt.timedelta(days=policy.silent_client_days + 5)
    )
    client.force_login(owner)
    page = client.get("/caseload/").content.decode()
    form = page.split('value="unplanned"')[1].split("</form>")[0]
    assert 'name="initiated_by" value="counselor"' in form


def test_an_unplanned_notice_asks_only_for_what_it_needs(flow):
    unplanned = flow.open(kind=EndingKind.UNPLANNED, initiated_by=Initiator.COUNSELOR)
    assert steps(flow, unplanned)["notice"].missing == ["When the ending was raised"]
    planned = steps(flow, flow.open(client=ClientFactory(primary_counselor=flow.counselor)))
    assert "final session" in planned["notice"].missing[0]


def test_more_help_needed_makes_the_referral_required(flow, ending):
    flow.notice(ending, more_help_needed=Answer.YES)
    flow.reasons(ending, Reason.GOALS_MET)
    referral = steps(flow, ending)["referral"]
    assert referral.required
    assert referral.missing == ["At least one referral (the client needs more or different help)"]


def test_more_help_not_needed_leaves_a_goals_met_referral_optional(flow, ending):
    flow.notice(ending, more_help_needed=Answer.NO)
    flow.reasons(ending, Reason.GOALS_MET)
    assert not steps(flow, ending)["referral"].required


def test_a_summary_awaiting_approval_names_the_signer_as_signer(flow, ending, client, owner):
    flow.signed(ending)
    client.force_login(owner)
    page = client.get(f"/endings/{ending.pk}/").content.decode()
    status = page.split('data-testid="summary-status">')[1].split("</p>")[0]
    assert status.startswith(f"Signed by {owner.display_with_credentials}")
    assert "Awaiting a supervisor's approval." in status
    assert "awaiting approval by" not in page


@pytest.mark.parametrize(
    ("narrative", "expected"),
    [
        ("Goals met.", "Goals met."),
        ("goals met: sleeping well", "goals met: sleeping well"),
        ("Sleeping well again.", "Goals met. Sleeping well again."),
    ],
)
def test_the_reason_is_never_said_twice(flow, ending, narrative, expected):
    flow.reasons(ending, Reason.GOALS_MET, narrative=narrative)
    assert reason_in_words(flow.refresh(ending)) == expected
