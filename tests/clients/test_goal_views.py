"""Treatment goals, progress entries and the plan review through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import ClientStatus, Goal, GoalProgress, GoalStatus, PlanReview
from clients.services import client_set_status, goal_progress_add
from practice.audit.models import AuditEvent
from tests.factories import ClientFactory, GoalFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def test_it_adds_a_goal(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        reverse("goal_create", args=[own_client.pk]),
        {
            "description": "Speak up in meetings",
            "measure": "Two contributions a week",
            "target_date": (today() + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response["Location"] == reverse("client_detail", args=[own_client.pk]) + "#goals"
    goal = Goal.objects.get(client=own_client)
    assert goal.created_by == owner and goal.status == GoalStatus.ACTIVE


def test_a_target_before_the_intake_shows_beside_the_date(client, owner, own_client):
    client.force_login(owner)
    early = (own_client.intake_date - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("goal_create", args=[own_client.pk]),
        {"description": "Sleep", "measure": "Diary", "target_date": early},
    )
    form = response.context["form"]
    assert form.errors["target_date"] == ["The target date is before the intake."]
    assert form["description"].value() == "Sleep"


def test_it_edits_a_goal_and_its_status(client, owner, own_client):
    goal = GoalFactory(client=own_client)
    client.force_login(owner)
    url = reverse("goal_edit", args=[goal.pk])
    assert client.get(url).context["form"]["description"].value() == goal.description
    response = client.post(
        url,
        {"description": "Sleeps well", "measure": goal.measure, "target_date": "", "status": "met"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.status_changed_on) == (GoalStatus.MET, today())
    assert AuditEvent.objects.filter(
        client_id=own_client.pk, object_type="clients.goal", action=AuditEvent.Action.VIEW
    ).exists()


def test_it_records_progress_with_an_optional_rating(client, owner, own_client):
    goal = GoalFactory(client=own_client)
    client.force_login(owner)
    url = reverse("goal_progress", args=[goal.pk])
    client.post(url, {"recorded_on": today().isoformat(), "note": "Slept 4 nights", "rating": "6"})
    client.post(url, {"recorded_on": today().isoformat(), "note": "No rating", "rating": ""})
    assert sorted(GoalProgress.objects.values_list("rating", flat=True), key=str) == [6, None]
    too_high = client.post(url, {"recorded_on": today().isoformat(), "note": "x", "rating": "11"})
    assert "rating" in too_high.context["form"].errors


def test_progress_on_a_finished_goal_shows_the_service_message(client, owner, own_client):
    goal = GoalFactory(client=own_client, status=GoalStatus.MET)
    client.force_login(owner)
    response = client.post(
        reverse("goal_progress", args=[goal.pk]),
        {"recorded_on": today().isoformat(), "note": "Typed note"},
    )
    assert "no longer active" in response.content.decode()
    assert response.context["form"]["note"].value() == "Typed note"


def test_it_records_a_plan_review(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        reverse("plan_review", args=[own_client.pk]),
        {"reviewed_on": today().isoformat(), "summary": "Goals kept"},
    )
    assert response.status_code == 302
    assert PlanReview.objects.get(client=own_client).reviewed_by == owner


def test_goals_are_found_only_through_the_client_access_rules(
    client, owner, colleague, supervisor, own_client
):
    goal = GoalFactory(client=own_client)
    foreign = GoalFactory(client=ClientFactory(primary_counselor=colleague))
    client.force_login(owner)
    assert client.get(reverse("goal_edit", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("goal_progress", args=[foreign.pk])).status_code == 404
    client.force_login(supervisor)
    assert client.get(reverse("goal_edit", args=[goal.pk])).status_code == 404


def test_the_client_page_shows_goals_progress_and_the_review_due(client, owner, own_client):
    goal = GoalFactory(client=own_client, target_date=today() + dt.timedelta(days=30))
    for days, note in ((3, "First try"), (2, "Second try"), (1, "Third try"), (0, "Latest try")):
        goal_progress_add(
            actor=owner,
            goal=goal,
            note=note,
            recorded_on=today() - dt.timedelta(days=days),
            rating=days,
        )
    client.force_login(owner)
    # The factory's intake is 120 days ago and the interval 90 days: the review is overdue.
    content = client.get(reverse("client_detail", args=[own_client.pk])).content.decode()
    assert goal.description in content and goal.measure in content
    assert "Latest try" in content and "Second try" in content and "First try" not in content
    assert "and 1 earlier" in content
    assert "<strong>Plan review due</strong>" in content
    assert reverse("goal_progress", args=[goal.pk]) in content


def test_a_closed_record_offers_no_goal_actions(client, owner, own_client):
    goal = GoalFactory(client=own_client)
    client_set_status(actor=owner, client=own_client, status=ClientStatus.CLOSED)
    client.force_login(owner)
    content = client.get(reverse("client_detail", args=[own_client.pk])).content.decode()
    assert reverse("goal_edit", args=[goal.pk]) not in content
    assert reverse("goal_create", args=[own_client.pk]) not in content
    response = client.post(
        reverse("goal_edit", args=[goal.pk]),
        {"description": "x", "measure": "y", "target_date": "", "status": "met"},
    )
    assert "closed and locked" in response.content.decode()
