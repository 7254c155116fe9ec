import pytest
from django.db import DatabaseError, connection, transaction

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(owner):
    return audit_record(actor=owner, action=AuditEvent.Action.VIEW, client_id=7, summary="Viewed")


def test_a_row_cannot_be_changed_or_deleted_through_the_application(event):
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_change_a_row(event):
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET summary = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "Viewed"


def test_the_database_refuses_to_delete_a_row(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])


def test_it_records_who_from_where_and_never_content(owner, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Tablet")
    row = audit_record(actor=owner, action="view", obj=owner, request=request, summary="x" * 400)
    assert (row.actor_username, row.ip_address, row.user_agent) == ("owner", "192.0.2.44", "Tablet")
    assert (row.object_type, row.object_id) == ("practice.user", str(owner.pk))
    assert len(row.summary) == 300
