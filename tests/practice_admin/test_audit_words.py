"""The audit search shows what people read elsewhere: step and state labels, not internal names;
people's names, not usernames."""

import pytest
from django.urls import reverse

from practice.administration.views.audit import summary_in_words
from practice.audit.models import AuditEvent
from tests.practice_admin.test_audit_search import listed, past_event
from tests.termination.conftest import Workflow

pytestmark = pytest.mark.django_db
URL = reverse("admin_audit")


def test_an_old_row_with_internal_names_reads_in_words():
    assert summary_in_words("Ending step summary_approve: awaiting_approval → ready_to_close") == (
        "Ending: Summary approved (Summary awaiting approval → Ready to close)"
    )
    assert summary_in_words("Viewed client record") == "Viewed client record"


def test_new_ending_rows_are_written_in_words(owner, supervisor, own_client, policy):
    flow = Workflow(counselor=owner, supervisor=supervisor, client=own_client)
    flow.closed(flow.open())
    summaries = list(
        AuditEvent.objects.filter(object_type="termination.termination").values_list(
            "summary", flat=True
        )
    )
    assert "Ending: Closed (Ready to close → Closed)" in summaries
    assert "Ending: Notice recorded" in summaries
    assert not any("_" in summary for summary in summaries)
    client_rows = AuditEvent.objects.filter(object_type="clients.client", action="transition")
    assert "Status Ending → Closed" in client_rows.values_list("summary", flat=True)


def test_the_search_shows_names_and_labels(admin_session, owner, own_client):
    past_event(
        days_ago=1,
        actor=owner,
        actor_username=owner.username,
        action="transition",
        object_type="termination.termination",
        object_id="7",
        client_id=own_client.pk,
        summary="Ending step summary_approve: awaiting_approval → ready_to_close",
    )
    rows = listed(admin_session.get(URL))
    assert str(owner) in rows and f">{owner.username}<" not in rows
    assert "Summary approved (Summary awaiting approval → Ready to close)" in rows
    assert "summary_approve" not in rows
    assert "Ending #7" in rows
