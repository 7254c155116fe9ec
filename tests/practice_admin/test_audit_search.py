"""Searching and exporting the audit log: who touched what and when, never content."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

pytestmark = pytest.mark.django_db
URL = reverse("admin_audit")
CSV_URL = reverse("admin_audit_csv")


def past_event(*, days_ago: int, **values) -> AuditEvent:
    return AuditEvent.objects.create(at=timezone.now() - dt.timedelta(days=days_ago), **values)


@pytest.fixture
def events(owner, colleague, own_client, colleagues_client):
    return {
        "owner_view": past_event(
            days_ago=1,
            actor=owner,
            actor_username="owner",
            action="view",
            object_type="clients.client",
            object_id=str(own_client.pk),
            client_id=own_client.pk,
            summary="Viewed client record",
            ip_address="192.0.2.10",
            user_agent='=HYPERLINK("http://evil.test")',
        ),
        "colleague_update": past_event(
            days_ago=10,
            actor=colleague,
            actor_username="colleague",
            action="update",
            object_type="clients.client",
            object_id=str(colleagues_client.pk),
            client_id=colleagues_client.pk,
            summary="Changed contact details",
        ),
        "failed": past_event(
            days_ago=40, actor=None, actor_username="mallory", action="login_failed"
        ),
    }


def listed(response) -> str:
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_it_shows_who_what_which_record_when_and_from_where(admin_session, events):
    rows = listed(admin_session.get(URL))
    # People by name, as every other page shows them; a failed sign-in's typed username.
    assert str(events["owner_view"].actor) in rows and "Viewed client record" in rows
    assert ">owner<" not in rows
    assert "Client #" in rows and "Ada Lovelace" in rows
    assert "192.0.2.10" in rows
    assert "mallory" in rows and "Failed sign-in" in rows


def test_it_filters_by_user_client_kind_and_dates(admin_session, events, owner, colleagues_client):
    by_user = listed(admin_session.get(URL, {"actor": owner.pk}))
    assert "Viewed client record" in by_user and "Changed contact details" not in by_user
    by_client = listed(admin_session.get(URL, {"client_id": colleagues_client.pk}))
    assert "Changed contact details" in by_client and "Viewed client record" not in by_client
    by_kind = listed(admin_session.get(URL, {"action": "login_failed"}))
    assert "mallory" in by_kind and "owner" not in by_kind
    today = timezone.localdate()
    window = {
        "date_from": (today - dt.timedelta(days=15)).isoformat(),
        "date_to": (today - dt.timedelta(days=5)).isoformat(),
    }
    in_window = listed(admin_session.get(URL, window))
    assert "Changed contact details" in in_window
    assert "Viewed client record" not in in_window and "mallory" not in in_window


def test_it_explains_unreadable_filters(admin_session, events):
    response = admin_session.get(
        URL, {"client_id": "abc", "date_from": "2026-05-10", "date_to": "2026-05-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number" in page
    assert "comes before its start" in page
    assert "Correct the filters above" in page


def test_it_exports_the_same_filters_as_csv_and_audits_it(admin_session, events, owner):
    response = admin_session.get(CSV_URL, {"actor": owner.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store, private"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["at", "actor_username", "action"]
    assert [row[6] for row in rows[1:]] == ["Viewed client record"]
    assert rows[1][8].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert export.actor_username == "practiceadmin"
    assert "staff Olivia Owner" in export.summary


def test_it_sends_an_export_with_unreadable_filters_back_to_the_search(admin_session, events):
    response = admin_session.get(CSV_URL, {"client_id": "abc"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?client_id=abc"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_it_keeps_its_query_count_as_the_log_grows(admin_session, owner, own_client):
    def count() -> int:
        admin_session.get(URL)
        with CaptureQueriesContext(connection) as queries:
            admin_session.get(URL)
        return len(queries)

    audit_record(actor=owner, action="view", obj=own_client, client_id=own_client.pk)
    few = count()
    for _ in range(60):
        audit_record(actor=owner, action="view", obj=own_client, client_id=own_client.pk)
    assert count() == few
