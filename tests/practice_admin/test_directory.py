"""The client directory: names, counselors, statuses and dates; never clinical content."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from practice.audit.models import AuditEvent
from tests.factories import (
    ClientFactory,
    CounselorFactory,
    GoalFactory,
    NoteFactory,
    SessionFactory,
    SupervisionFactory,
    SupervisorFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("admin_clients")


def test_it_lists_name_counselor_status_and_dates_with_a_transfer_link(
    admin_session, own_client, colleagues_client
):
    page = admin_session.get(URL).content.decode()
    row = page.split("Ada Lovelace")[1].split("</tr>")[0]
    assert "Olivia Owner" in row and "Active" in row
    assert own_client.intake_date.strftime("%Y") in row
    assert reverse("client_transfer", args=[own_client.pk]) in row
    assert "Carl Gauss" in page


def test_it_never_shows_clinical_content(admin_session, owner):
    person = ClientFactory(primary_counselor=owner, presenting_concerns="Panic on the bus")
    NoteFactory(session=SessionFactory(client=person), data="Talked about her brother")
    GoalFactory(client=person, description="Ride the bus alone")
    page = admin_session.get(URL).content.decode()
    assert person.legal_last_name in page
    for secret in ("Panic on the bus", "Talked about her brother", "Ride the bus alone"):
        assert secret not in page
    assert f'href="{reverse("client_detail", args=[person.pk])}"' not in page


def test_it_filters_by_name_counselor_and_status(admin_session, own_client, colleagues_client):
    Client.objects.filter(pk=colleagues_client.pk).update(
        status="closed", closed_on=timezone.localdate()
    )
    by_name = admin_session.get(URL, {"q": "love"}).content.decode()
    assert "Ada Lovelace" in by_name and "Carl Gauss" not in by_name
    by_counselor = admin_session.get(URL, {"counselor": colleagues_client.primary_counselor_id})
    assert "Carl Gauss" in by_counselor.content.decode()
    assert "Ada Lovelace" not in by_counselor.content.decode()
    closed = admin_session.get(URL, {"status": "closed"}).content.decode()
    assert "Carl Gauss" in closed and "Ada Lovelace" not in closed
    assert reverse("client_transfer", args=[colleagues_client.pk]) not in closed


def test_it_explains_unreadable_filters_instead_of_failing(admin_session, own_client):
    response = admin_session.get(URL, {"counselor": "abc", "status": "lost"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert "Ada Lovelace" not in page


def test_it_audits_opening_it_without_content(admin_session, practice_admin):
    admin_session.get(URL)
    event = AuditEvent.objects.get(actor=practice_admin, action=AuditEvent.Action.VIEW)
    assert event.summary == "Opened the client directory"


def add_supervised_counselors(count: int) -> None:
    lead = SupervisorFactory()
    for number in range(count):
        counselor = CounselorFactory()
        SupervisionFactory(supervisor=lead, supervisee=counselor)
        for _ in range(3):
            ClientFactory(
                primary_counselor=counselor,
                intake_date=timezone.localdate() - dt.timedelta(days=number),
            )


def directory_queries(browser, **query) -> int:
    browser.get(URL)  # the first request of a session writes to it
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(URL, query).status_code == 200
    return len(queries)


def test_it_keeps_its_query_count_with_2_or_20_supervisees(admin_session):
    add_supervised_counselors(2)
    few = directory_queries(admin_session)
    few_filtered = directory_queries(admin_session, status="active", q="a")
    add_supervised_counselors(20)
    assert directory_queries(admin_session) == few
    assert directory_queries(admin_session, status="active", q="a") == few_filtered
