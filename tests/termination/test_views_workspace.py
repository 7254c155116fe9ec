"""The ending workspace and its step pages, as a counselor and a supervisor use them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.audit.models import AuditEvent
from practice.policy.models import PracticePolicy
from termination import services
from termination.models import Provider, Termination
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ending(owner, own_client):
    SessionFactory(client=own_client)
    return services.termination_open(
        actor=owner, client=own_client, kind="unplanned", initiated_by="client"
    )


def add_history(ending, owner, count: int) -> None:
    for index in range(count):
        provider = Provider.objects.create(name=f"Provider {ending.pk}-{index}")
        services.termination_add_referral(
            actor=owner, termination=ending, provider=provider, reason="Evening appointments"
        )
        services.termination_log_outreach(
            actor=owner,
            termination=ending,
            attempted_on=timezone.localdate(),
            channel="phone",
            outcome="no_answer",
        )


def test_the_workspace_query_count_does_not_grow_with_the_steps(client, owner, ending):
    add_history(ending, owner, 1)
    client.force_login(owner)
    client.get(f"/endings/{ending.pk}/")
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/endings/{ending.pk}/").status_code == 200
    add_history(ending, owner, 19)
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/endings/{ending.pk}/")
    assert len(response.context["history"]) == 1 + 2 * 20
    assert len(large) == len(small), f"{len(small)} queries, then {len(large)}"


def test_the_workspace_lists_each_step_with_what_is_missing(client, owner, ending):
    client.force_login(owner)
    page = client.get(f"/endings/{ending.pk}/").content.decode()
    for text in (
        "Notice and the pre-ending conversation",
        "Outreach to the client",
        "Closing letter",
        "Referral",
        "Closing summary",
        "2 more outreach attempt(s)",
    ):
        assert text in page
    assert AuditEvent.objects.filter(
        actor=owner,
        action="view",
        client_id=ending.client_id,
        object_type="termination.termination",
    ).exists()


def test_a_short_notice_is_explained_beside_the_field_and_typing_is_kept(client, owner, own_client):
    ending = services.termination_open(
        actor=owner, client=own_client, kind="planned", initiated_by="both"
    )
    client.force_login(owner)
    today = timezone.localdate()
    response = client.post(
        f"/endings/{ending.pk}/notice/",
        {
            "raised_on": today.isoformat(),
            "initiated_by": "both",
            "final_session_on": (today + dt.timedelta(days=3)).isoformat(),
            "more_help_needed": "no",
            "counseling_helped": "a_lot",
            "break_kind": "permanent",
            "client_view": "Feels ready.",
            "version": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "at least 14 days' notice" in form.errors["final_session_on"][0]
    assert form["client_view"].value() == "Feels ready."


def test_the_notice_form_follows_the_policy_the_admin_sets(client, owner, own_client):
    PracticePolicy.objects.filter(pk=1).update(minimum_notice_days=3)
    ending = services.termination_open(
        actor=owner, client=own_client, kind="planned", initiated_by="both"
    )
    client.force_login(owner)
    today = timezone.localdate()
    response = client.post(
        f"/endings/{ending.pk}/notice/",
        {
            "raised_on": today.isoformat(),
            "initiated_by": "both",
            "final_session_on": (today + dt.timedelta(days=3)).isoformat(),
            "more_help_needed": "no",
            "counseling_helped": "a_lot",
            "break_kind": "permanent",
            "version": "",
        },
    )
    assert response.status_code == 302
    assert Termination.objects.get(pk=ending.pk).notice_recorded_at is not None


def test_a_stale_page_cannot_overwrite_a_step_someone_else_completed(client, owner, ending):
    client.force_login(owner)
    data = {
        "raised_on": timezone.localdate().isoformat(),
        "initiated_by": "practice",
        "version": "",
    }
    assert client.post(f"/endings/{ending.pk}/notice/", data).status_code == 302
    response = client.post(f"/endings/{ending.pk}/notice/", {**data, "initiated_by": "client"})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert Termination.objects.get(pk=ending.pk).initiated_by == "practice"


def test_closing_too_early_lists_what_is_missing(client, owner, ending):
    client.force_login(owner)
    response = client.post(f"/endings/{ending.pk}/close/", follow=True)
    page = response.content.decode()
    assert "The ending cannot close yet" in page
    assert "The counselor&#x27;s signature on the closing summary" in page


def test_a_supervisor_sees_the_approval_actions_and_no_edit_links(client, supervisor, ending):
    client.force_login(supervisor)
    response = client.get(f"/endings/{ending.pk}/")
    assert response.context["can_review"] and not response.context["can_edit"]
    assert "Record the notice" not in response.content.decode()


def test_the_relapse_plan_keeps_every_row_typed_when_a_step_is_missing(client, owner, own_client):
    ending = services.termination_open(
        actor=owner, client=own_client, kind="planned", initiated_by="both"
    )
    client.force_login(owner)
    data = {
        "version": "",
        "warning_signs": "Sleeping badly",
        "triggers": "Deadlines",
        "crisis_lines": "988",
        "when_to_come_back": "Two bad weeks",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-sign": "Sleeping badly",
        "steps-0-step": "",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Sam",
        "contacts-0-relation": "Friend",
        "contacts-0-phone": "555-0101",
    }
    response = client.post(f"/endings/{ending.pk}/relapse-plan/", data)
    assert response.status_code == 200
    assert "needs its coping step" in response.content.decode()
    assert response.context["steps"].forms[0]["sign"].value() == "Sleeping badly"
    assert response.context["contacts"].forms[0]["name"].value() == "Sam"
