"""Signing and approving the summary in the workspace queue its PDF after commit."""

import pytest

from termination.models import Document, DocumentState

pytestmark = pytest.mark.django_db


def test_signing_and_approving_render_a_new_version_each(
    client, owner, supervisor, draft_ending, private_files, django_capture_on_commit_callbacks
):
    summary = draft_ending.summary
    fields = {field: getattr(summary, field) for field in summary.content()}
    # The page offers the outcome given to each goal still active; the browser posts it back.
    fields |= {f"goal_outcome_{key}": value for key, value in summary.goal_outcomes.items()}
    fields |= {"sign": "1", "version": summary.updated_at.isoformat()}
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/endings/{draft_ending.pk}/summary/", fields).status_code == 302
    assert Document.objects.get(termination=draft_ending).state == DocumentState.READY

    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/endings/{draft_ending.pk}/summary/approve/")
    versions = list(Document.objects.filter(termination=draft_ending).order_by("version"))
    assert [document.version for document in versions] == [1, 2]
    assert all(document.state == DocumentState.READY for document in versions)


def test_a_returned_summary_queues_nothing(client, owner, supervisor, draft_ending, private_files):
    summary = draft_ending.summary
    fields = {field: getattr(summary, field) for field in summary.content()}
    # The page offers the outcome given to each goal still active; the browser posts it back.
    fields |= {f"goal_outcome_{key}": value for key, value in summary.goal_outcomes.items()}
    client.force_login(owner)
    client.post(
        f"/endings/{draft_ending.pk}/summary/",
        fields | {"sign": "1", "version": summary.updated_at.isoformat()},
    )
    client.force_login(supervisor)
    client.post(f"/endings/{draft_ending.pk}/summary/return/", {"comment": "Add the referral."})
    assert Document.objects.filter(termination=draft_ending).count() == 1
