"""Turning what a sweep found due into notification rows, once per (kind, object, due date,
recipient), whatever the number of sweeps running."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from practice.outbox.services import outbox_nudge
from practice.reminders.kinds import is_mandatory
from practice.reminders.models import EmailState, Notification, NotificationPreference
from practice.reminders.text import language_of
from practice.staff.models import User


@dataclass(frozen=True)
class Due:
    """One reminder to one recipient: a staff member (recipient) or a client (client_id)."""

    kind: str
    object_id: int
    due_on: dt.date
    title: str
    link: str = ""
    context: dict = field(default_factory=dict)
    recipient: User | None = None
    client_id: int | None = None
    client_email: str = ""

    @property
    def recipient_key(self) -> str:
        if self.recipient is not None:
            return f"user:{self.recipient.pk}"
        return f"client:{self.client_id}"

    @property
    def key(self) -> tuple[str, int, dt.date, str]:
        return (self.kind, self.object_id, self.due_on, self.recipient_key)


def channels_for(users: Iterable[User], kinds: Iterable[str]) -> dict[tuple[int, str], tuple]:
    """(user, kind) -> (email, in_app) for the users' saved choices, in one query."""
    rows = NotificationPreference.objects.filter(
        user__in=[user.pk for user in users], kind__in=list(kinds)
    ).values_list("user_id", "kind", "email", "in_app")
    return {(user_id, kind): (email, in_app) for user_id, kind, email, in_app in rows}


def record_due(dues: Iterable[Due], *, source: str) -> int:
    """Insert a row per due reminder unless its key exists; return how many this call made.

    Rows are inserted in key order so that two sweeps inserting the same keys at once wait for
    each other instead of deadlocking; the unique key makes the second insert a no-op."""
    dues = sorted({due.key: due for due in dues}.values(), key=lambda due: due.key)
    if not dues:
        return 0
    staff = {due.recipient.pk: due.recipient for due in dues if due.recipient is not None}
    chosen = channels_for(staff.values(), {due.kind for due in dues}) if staff else {}
    batch = uuid.uuid4()
    now = timezone.now()
    rows = []
    for due in dues:
        if due.recipient is not None:
            email, in_app = chosen.get((due.recipient.pk, due.kind), (True, True))
            if is_mandatory(due.kind):
                email, in_app = True, True
            address = due.recipient.email if email else ""
        else:  # a client: email only, consent checked by the sweep
            in_app, address = False, due.client_email
        rows.append(
            Notification(
                kind=due.kind,
                object_id=due.object_id,
                due_on=due.due_on,
                recipient_key=due.recipient_key,
                recipient=due.recipient,
                title=due.title[:200],
                link=due.link,
                context=with_language(due),
                source=source,
                batch=batch,
                created_at=now,
                in_app=in_app,
                email_to=address,
                email_state=EmailState.PENDING if address else EmailState.SKIPPED,
                next_attempt_at=now,
            )
        )
    insert_ignoring_duplicates(rows)
    # Rows of this batch are the ones this call made: a key that existed kept its old batch.
    made = Notification.objects.filter(batch=batch).aggregate(
        created=Count("pk"), to_email=Count("pk", filter=Q(email_state=EmailState.PENDING))
    )
    if made["to_email"]:
        transaction.on_commit(queue_delivery)
    return made["created"]


def with_language(due: Due) -> dict:
    """The email is written in the language its title was: the recipient's."""
    if "language" in due.context:
        return due.context
    return {**due.context, "language": language_of(due.recipient)}


def insert_ignoring_duplicates(rows: list[Notification]) -> None:
    """One INSERT ... ON CONFLICT DO NOTHING executed for every row (SQLite and PostgreSQL).

    bulk_create would split the rows into many statements on SQLite (999 parameters each): one
    prepared statement keeps a sweep's query count the same for 50 or 5,000 reminders."""
    if not rows:
        return
    meta = Notification._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "
        "ON CONFLICT DO NOTHING"
    )
    params = [
        [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def queue_delivery() -> None:
    """Ask a worker to send pending email now. If the broker is down the next beat tick of the
    delivery sweep sends them: nothing is lost by a failed queueing."""
    outbox_nudge("practice.reminders.tasks.deliver_reminders")
