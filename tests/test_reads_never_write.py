"""A GET never writes: opening any page of the access test, as anyone allowed to, adds or removes
no row anywhere. The one exception is the audit log's record of reading (viewing a client
record, downloading a document, exporting a list); the session is the framework's, not data."""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse

from practice.audit.models import AuditEvent
from tests.access_walk import visits

pytestmark = pytest.mark.django_db

READ_ACTIONS = {AuditEvent.Action.VIEW, AuditEvent.Action.DOWNLOAD, AuditEvent.Action.EXPORT}
NOT_DATA = {Session, AuditEvent}


def row_counts() -> dict[str, int]:
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in NOT_DATA
    }
    counts["audit rows of changes"] = AuditEvent.objects.exclude(action__in=READ_ACTIONS).count()
    return counts


def test_no_page_writes_anything_but_the_audit_of_reading(visitors):
    pages = 0
    for visit, browser in visits(visitors):
        before = row_counts()
        response = browser.get(visit.url)
        after = row_counts()
        changed = {label: (before[label], after[label]) for label in before}
        changed = {label: counts for label, counts in changed.items() if counts[0] != counts[1]}
        assert changed == {}, f"{visit.visitor} GET {visit.url} ({response.status_code}) wrote"
        pages += 1
    assert pages > 100


def test_viewing_a_client_record_is_audited_as_a_view(client, owner, own_client):
    client.force_login(owner)
    before = AuditEvent.objects.count()
    client.get(reverse("client_detail", args=[own_client.pk]))
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == AuditEvent.Action.VIEW
