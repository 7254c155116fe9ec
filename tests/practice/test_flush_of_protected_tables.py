"""A transactional test's flush still empties the tables the database protects (tests/dbflush.py),
and puts the protection back."""

import pytest
from django.db import DatabaseError, connection, transaction

from clients.models import Client
from practice.audit import audit_record
from practice.models import AuditEvent
from tests.factories import ClientFactory


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_protected_rows_behind(owner):
    person = ClientFactory(primary_counselor=owner)
    audit_record(actor=owner, action=AuditEvent.Action.VIEW, obj=person, summary="Viewed")


@pytest.mark.django_db(transaction=True)
def test_the_flush_emptied_them_and_the_protection_is_back(owner):
    assert not Client.objects.exists()
    assert not AuditEvent.objects.exists()
    person = ClientFactory(primary_counselor=owner)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Client._meta.db_table} WHERE id = %s", [person.pk])
