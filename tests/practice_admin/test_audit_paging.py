"""The audit search pages by keyset: every row once, newest first, both ways, at the same cost
on the first page and the last, and nothing counts the whole log."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.administration.views.audit import AUDIT_PAGE_SIZE
from practice.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("admin_audit")


@pytest.fixture
def log():
    """Two and a half pages of events, several sharing one moment (the tie is broken by id)."""
    moment = timezone.now() - dt.timedelta(days=3)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=moment - dt.timedelta(minutes=n // 3),
            actor_username="someone",
            action="view",
            summary=f"event {n}",
        )
        for n in range(AUDIT_PAGE_SIZE * 2 + AUDIT_PAGE_SIZE // 2)
    )
    return list(AuditEvent.objects.order_by("-at", "-id").values_list("pk", flat=True))


def shown(response) -> list[int]:
    return [row.event.pk for row in response.context["rows"]]


def test_it_walks_every_row_once_older_then_newer(admin_session, log):
    pages = [admin_session.get(URL)]
    while pages[-1].context["page"].older:
        pages.append(admin_session.get(URL, {"older": pages[-1].context["page"].older}))
    assert [pk for page in pages for pk in shown(page)] == log
    assert [len(shown(page)) for page in pages] == [50, 50, len(log) - 100]
    back = admin_session.get(URL, {"newer": pages[-1].context["page"].newer})
    assert shown(back) == shown(pages[1])
    first = admin_session.get(URL, {"newer": back.context["page"].newer})
    assert shown(first) == shown(pages[0]) and first.context["page"].newer is None


def test_no_page_counts_the_log_and_a_deep_page_costs_the_same(admin_session, log):
    admin_session.get(URL)  # the session's first request writes it
    with CaptureQueriesContext(connection) as first:
        response = admin_session.get(URL)
    with CaptureQueriesContext(connection) as deep:
        admin_session.get(URL, {"older": response.context["page"].older})
    assert len(first) == len(deep)
    assert not [
        q
        for q in first.captured_queries
        if re.search(r'COUNT\(\*\).*"practice_auditevent"', q["sql"])
    ]


@pytest.mark.parametrize(
    "cursor", ["nonsense", "2026-13-40T00:00:00+00:00_1", "2026-01-01T00:00:00_1", "_", "x" * 500,
               "2026-01-01T00:00:00+00:00_-5", "2026-01-01T00:00:00+00:00_9" + "9" * 30, "\x00"],
)  # fmt: skip
def test_a_cursor_that_is_not_ours_shows_the_first_page(admin_session, log, cursor):
    for direction in ("older", "newer"):
        response = admin_session.get(URL, {direction: cursor})
        assert response.status_code == 200
        assert shown(response) == log[:AUDIT_PAGE_SIZE]
