"""A transactional test's flush still empties the tables the database protects (tests/dbflush.py),
and puts the protection back."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from clients.models import Client
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.policy.models import PracticePolicy
from sessions_app.shipped_instruments import ship
from tests.factories import ClientFactory


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_setup, django_db_blocker):
    """The flush empties the rows the migrations ship; tests after this module expect them."""
    yield
    with django_db_blocker.unblock():
        ship(apps)
        PracticePolicy.current()


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
