"""The database itself refuses to lose the audit log or anything clinical: DELETE on both
engines, TRUNCATE on PostgreSQL (SQLite has none; a bare DELETE is its truncate).

The rows come from the demo practice, loaded once for the module inside a transaction rolled
back at the end, plus the few kinds of row the demo does not make.
"""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from clients.models import ChartReview, ClientTransfer, Coverage, ReviewComment
from practice.audit.models import AuditEvent
from practice.policy.models import PracticePolicy
from sessions_app.models import (
    CheckIn,
    CheckInOptOut,
    CheckInSchedule,
    CheckInToken,
    NoteAddendum,
    ProgressNote,
)
from sessions_app.shipped_instruments import ship
from termination.models import (
    ClosingSummary,
    Document,
    DocumentKind,
    SummaryAddendum,
    TaperSession,
    Termination,
)
from tests.factories import ClientFactory, CounselorFactory, SessionFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

# Not clinical: the directory, the instrument library, and a summary derived from the ratings
# (MeasureSeries is rebuilt from them whenever needed).
NOT_CLINICAL = {"termination.Provider", "sessions_app.Instrument", "sessions_app.MeasureSeries"}


def protected_models() -> list:
    clinical = [
        model
        for label in ("clients", "sessions_app", "termination")
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_CLINICAL
    ]
    return [AuditEvent, *clinical]


PROTECTED = protected_models()


def fill_the_gaps() -> None:
    """A row in each protected table the demo leaves empty (plain rows: only their removal
    is under test)."""
    counselor = CounselorFactory(username="gap-filler")
    supervisor = SupervisorFactory(username="gap-supervisor")
    person = ClientFactory(primary_counselor=counselor)
    today = dt.date(2026, 1, 1)
    ClientTransfer.objects.create(
        client=person,
        from_counselor=counselor,
        to_counselor=counselor,
        reason="r",
        recorded_by=supervisor,
    )
    Coverage.objects.create(
        client=person, counselor=counselor, starts_on=today, ends_on=today, recorded_by=supervisor
    )
    ReviewComment.objects.create(client=person, author=supervisor, text="t")
    ChartReview.objects.create(client=person, supervisor=supervisor, month=today)
    NoteAddendum.objects.create(note=ProgressNote.objects.first(), author=counselor, text="t")
    termination = Termination.objects.first()
    TaperSession.objects.create(
        termination=termination, session=SessionFactory(client=person), interval_days=14
    )
    summary = ClosingSummary.objects.first() or ClosingSummary.objects.create(
        termination=termination
    )
    SummaryAddendum.objects.create(summary=summary, author=counselor, text="t")
    Document.objects.create(
        termination=termination,
        kind=DocumentKind.CLOSING_SUMMARY,
        version=1,
        record_version="x",
        generated_by=counselor,
    )
    checkin = CheckIn.objects.first()
    moment = timezone.now()
    CheckInToken.objects.create(
        checkin=checkin, token_hash="0" * 64, channel=checkin.channel, created_at=moment
    )
    CheckInOptOut.objects.create(client=person, at=moment)
    CheckInSchedule.objects.create(
        client=person, enabled=False, changed_by=counselor, changed_at=moment
    )


@pytest.fixture(scope="module")
def every_table_has_a_row(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ship(apps)  # a transactional test before this module may have flushed them
        PracticePolicy.current()
        call_command("seed_demo", stdout=io.StringIO())
        fill_the_gaps()
        empty = [model._meta.label for model in PROTECTED if not model.objects.exists()]
        yield empty
        transaction.set_rollback(True)


def refused(sql: str, table: str) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(error.value)


def test_the_demo_and_the_gap_fillers_leave_no_protected_table_empty(every_table_has_a_row):
    assert every_table_has_a_row == []


@pytest.mark.parametrize("model", PROTECTED, ids=lambda model: model._meta.label)
def test_deleting_any_row_is_refused(every_table_has_a_row, model):
    table = model._meta.db_table
    count = model.objects.count()
    message = refused(f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} LIMIT 1)", table)
    assert table in message
    message = refused(f"DELETE FROM {table}", table)
    assert table in message
    assert model.objects.count() == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize("model", PROTECTED, ids=lambda model: model._meta.label)
def test_truncating_any_table_is_refused(every_table_has_a_row, model):
    table = model._meta.db_table
    count = model.objects.count()
    with connection.cursor() as cursor:  # TRUNCATE waits for no deferred foreign-key check
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    message = refused(f"TRUNCATE {table} CASCADE", table)
    assert "cannot be changed or deleted" in message
    assert table in message
    assert model.objects.count() == count
