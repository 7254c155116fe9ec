"""The client page of a closed client: the dates counted from the last contact, the alliance
alert as history, and the goals settled with the outcome the counselor gave them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from clients.models import Goal, GoalStatus
from practice.audit.models import AuditEvent
from sessions_app.models import AllianceAlert
from termination import services
from tests.factories import GoalFactory
from tests.sessions_app.test_ratings import alliance_answers, record
from tests.termination.conftest import message_of

pytestmark = pytest.mark.django_db


def test_the_closed_client_page_shows_the_dates_and_no_current_alert(
    flow, ending, own_client, owner, client
):
    record(owner, own_client, "Alliance", alliance_answers(20), days_ago=3)
    assert AllianceAlert.objects.filter(client=own_client).exists()
    client.force_login(owner)
    open_page = client.get(f"/clients/{own_client.pk}/").content.decode()
    assert "<strong>Alliance alert.</strong>" in open_page

    closed = flow.closed(ending)
    page = client.get(f"/clients/{own_client.pk}/").content.decode()
    assert 'data-testid="closed-ending"' in page
    barred = page.split('data-testid="client-relationship-barred">')[1].split("<")[0]
    retain = page.split('data-testid="client-retain-until">')[1].split("<")[0]
    assert barred == date_format(closed.relationship_barred_until, "j M Y")
    assert retain == date_format(closed.retain_until, "j M Y")
    assert "<strong>Alliance alert.</strong>" not in page
    assert "Alert at the last rating, before the record closed" in page


def test_active_goals_take_the_outcome_given_in_the_summary_at_close(flow, ending, own_client):
    sleep = GoalFactory(client=own_client, description="Sleep through the night")
    walk = GoalFactory(client=own_client, description="Walk daily")
    already = GoalFactory(client=own_client, description="Old goal", status=GoalStatus.DISCONTINUED)
    flow.prepared(ending)
    summary = flow.summary(ending, goal_outcomes={str(sleep.pk): "met", str(walk.pk): "partly_met"})
    assert "Sleep through the night — met" in summary.goals_outcome
    assert "Walk daily — partly met" in summary.goals_outcome
    # Still active until the ending closes (a withdrawn ending leaves them as they were).
    assert Goal.objects.get(pk=sleep.pk).status == GoalStatus.ACTIVE

    flow.sign(ending)
    flow.approve(ending)
    services.termination_close(actor=flow.counselor, termination=flow.refresh(ending))

    statuses = dict(Goal.objects.values_list("pk", "status"))
    assert statuses == {
        sleep.pk: GoalStatus.MET,
        walk.pk: GoalStatus.PARTLY_MET,
        already.pk: GoalStatus.DISCONTINUED,
    }
    assert AuditEvent.objects.filter(
        object_type="clients.goal", summary="Updated goal (status partly met)"
    ).exists()


def test_signing_needs_an_outcome_for_each_active_goal(flow, ending, own_client):
    sleep = GoalFactory(client=own_client, description="Sleep through the night")
    flow.prepared(ending)
    flow.summary(ending, goal_outcomes={str(sleep.pk): ""})
    with pytest.raises(ValidationError) as refused:
        flow.sign(ending)
    assert "Give each goal still active its outcome" in message_of(refused.value)
    assert "Sleep through the night" in message_of(refused.value)


def test_it_refuses_an_outcome_for_another_clients_goal_or_an_unknown_one(
    flow, ending, own_client, colleagues_client
):
    foreign = GoalFactory(client=colleagues_client)
    own = GoalFactory(client=own_client)
    for outcomes in ({str(foreign.pk): "met"}, {str(own.pk): "active"}):
        with pytest.raises(ValidationError, match="one of the outcomes"):
            flow.summary(ending, goal_outcomes=outcomes)


def test_the_counselors_own_goals_text_is_kept(flow, ending, own_client):
    sleep = GoalFactory(client=own_client, description="Sleep through the night")
    flow.summary(ending, goal_outcomes={})
    summary = flow.summary(
        ending,
        goals_outcome="Sleep: mostly there, in the client's words.",
        goal_outcomes={str(sleep.pk): "met"},
    )
    assert summary.goals_outcome == "Sleep: mostly there, in the client's words."


def test_the_summary_page_offers_each_active_goal_an_outcome(flow, ending, own_client, client):
    sleep = GoalFactory(client=own_client, description="Sleep through the night")
    flow.summary(ending, goal_outcomes={str(sleep.pk): "partly_met"})
    client.force_login(flow.counselor)
    page = client.get(f"/endings/{ending.pk}/summary/").content.decode()
    assert "Outcome at the end: Sleep through the night" in page
    assert f'name="goal_outcome_{sleep.pk}"' in page
    assert 'value="partly_met" selected' in page
