"""The notification list (own entries only, unread count in the navigation, mark read, open the
record), the choice of channels per kind, and the admin's schedule with "run now"."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.reminders.kinds import KINDS
from practice.reminders.models import (
    EmailState,
    Notification,
    NotificationPreference,
    ReminderKind,
    SweepRun,
)

pytestmark = pytest.mark.django_db
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


OBJECT_IDS = itertools.count(1000)


def notify(
    user,
    number: int = 1,
    kind: str = ReminderKind.PLAN_REVIEW_DUE,
    email_state: str = EmailState.SKIPPED,
    **values,
):
    batch = uuid.uuid4()
    rows = [
        Notification(
            kind=kind,
            object_id=next(OBJECT_IDS),
            due_on=timezone.localdate(),
            recipient_key=f"user:{user.pk}",
            recipient=user,
            title=f"Plan review for A.L. due ({n})",
            link=f"/clients/{1000 + n}/",
            source="test",
            batch=batch,
            email_state=email_state,
            **values,
        )
        for n in range(number)
    ]
    return Notification.objects.bulk_create(rows)


def test_the_list_shows_only_the_users_own_entries(client, owner, colleague):
    notify(owner, 2)
    notify(colleague, 1)
    client.force_login(owner)
    page = client.get(reverse("notification_list")).content.decode()
    assert page.count('<tr class="fw-semibold">') == 2
    assert "2 notifications" in page


def test_the_navigation_shows_the_unread_count(client, owner):
    notify(owner, 3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at=timezone.now())
    client.force_login(owner)
    page = client.get(reverse("counselor_home")).content.decode()
    assert '2<span class="visually-hidden"> unread</span>' in page


def test_the_navigation_count_is_one_query_whatever_the_number(client, owner):
    client.force_login(owner)
    notify(owner, 1)
    client.get(reverse("notification_list"))  # the session's first touch saves it once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notification_list"))
    notify(owner, 30)
    with CaptureQueriesContext(connection) as thirty:
        client.get(reverse("notification_list"))
    assert len(one) == len(thirty)


def test_marking_one_read_and_opening_the_record(client, owner):
    first, second = notify(owner, 2)
    client.force_login(owner)
    response = client.post(reverse("notification_read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notification_list")
    response = client.post(reverse("notification_read", args=[second.pk]), {"open": "1"})
    assert response["Location"] == second.link
    assert Notification.objects.unread_for(owner).count() == 0


def test_nobody_marks_anothers_notification(client, owner, colleague):
    (mine,) = notify(owner)
    client.force_login(colleague)
    assert client.post(reverse("notification_read", args=[mine.pk])).status_code == 404
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_mark_all_read_and_the_unread_filter(client, owner, colleague):
    notify(owner, 4)
    notify(colleague, 1)
    client.force_login(owner)
    assert "Unread (4)" in client.get(reverse("notification_list")).content.decode()
    client.post(reverse("notification_read_all"))
    page = client.get(reverse("notification_list") + "?show=unread").content.decode()
    assert "Nothing unread." in page
    assert Notification.objects.unread_for(colleague).count() == 1


def test_a_hostile_next_is_ignored(client, owner):
    (mine,) = notify(owner)
    client.force_login(owner)
    response = client.post(
        reverse("notification_read", args=[mine.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notification_list")


# Preferences --------------------------------------------------------------------------------


def test_a_counselor_chooses_channels_for_their_kinds(client, owner):
    client.force_login(owner)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Progress note not signed" in page and "Alliance alert" in page
    assert "waiting for approval" not in page  # a supervisor's kind
    assert "Records past their retention date" not in page
    response = client.post(
        reverse("notification_preferences"),
        {"note_unsigned__in_app": "on", "agenda__email": "on", "agenda__in_app": "on"},
    )
    assert response.status_code == 302
    note = NotificationPreference.objects.get(user=owner, kind=ReminderKind.NOTE_UNSIGNED)
    assert (note.email, note.in_app) == (False, True)
    silent = NotificationPreference.objects.get(user=owner, kind=ReminderKind.SILENT_CLIENT)
    assert (silent.email, silent.in_app) == (False, False)


def test_mandatory_alerts_cannot_be_turned_off(client, owner):
    client.force_login(owner)
    client.post(reverse("notification_preferences"), {})
    assert not NotificationPreference.objects.filter(
        user=owner, kind=ReminderKind.ALLIANCE_ALERT
    ).exists()
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Required by the practice" in page
    assert 'name="alliance_alert__email" id="id_alliance_alert__email" checked disabled' in page


def test_the_admin_chooses_for_the_retention_report_only(client, practice_admin):
    client.force_login(practice_admin)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Records past their retention date" in page
    assert "Progress note not signed" not in page


@FAST
@given(
    field=st.sampled_from(
        [f"{kind}__{channel}" for kind in KINDS for channel in ("email", "in_app")]
    ),
    text=st.text(max_size=200),
)
def test_any_text_in_any_preference_never_fails(client, owner, supervisor, field, text):
    client.force_login(supervisor)
    response = client.post(reverse("notification_preferences"), {field: text})
    assert response.status_code in (200, 302)


# The admin's schedule ----------------------------------------------------------------------


def test_the_admin_sees_each_sweep_with_its_last_run(client, practice_admin):
    SweepRun.objects.create(
        sweep="notes",
        finished_at=timezone.now(),
        duration_ms=42,
        deliveries=7,
        queries=8,
    )
    SweepRun.objects.create(sweep="endings", error="OperationalError: database is locked")
    client.force_login(practice_admin)
    page = client.get(reverse("admin_schedule")).content.decode()
    for label in ("Daily agendas", "Unsigned notes", "Retention report", "Email delivery"):
        assert label in page
    assert "42 ms" in page and "database is locked" in page
    assert "never" in page


def test_run_now_runs_the_sweep_through_the_task(client, practice_admin, owner, own_client):
    client.force_login(practice_admin)
    response = client.post(reverse("admin_sweep_run"), {"sweep": "plan_reviews"}, follow=True)
    assert "Plan reviews due: queued" in response.content.decode()
    run = SweepRun.objects.get(sweep="plan_reviews")
    assert run.triggered_by == practice_admin and run.deliveries == 1  # the client's review
    assert "run now by" in response.content.decode()


def test_run_now_says_so_when_the_broker_is_down(client, practice_admin):
    client.force_login(practice_admin)
    with mock.patch("practice.reminders.tasks.run_sweep.delay", side_effect=OSError("refused")):
        response = client.post(reverse("admin_sweep_run"), {"sweep": "notes"})
    assert response.status_code == 200
    assert "task queue cannot be reached" in response.content.decode()


@FAST
@given(text=st.text(max_size=100))
def test_any_sweep_name_never_fails(client, practice_admin, text):
    client.force_login(practice_admin)
    response = client.post(reverse("admin_sweep_run"), {"sweep": text})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Select a valid choice" in page or "This field is required" in page


def test_the_schedule_takes_the_same_queries_for_few_or_many_runs(client, practice_admin, owner):
    client.force_login(practice_admin)
    client.get(reverse("admin_schedule"))  # the session's first touch saves it once
    SweepRun.objects.create(sweep="notes")
    notify(owner, 1, email_state=EmailState.FAILED, attempts=5, last_error="451")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin_schedule"))
    for name in ("agenda", "notes", "endings", "consents", "deliver"):
        for _ in range(5):
            SweepRun.objects.create(sweep=name, started_at=timezone.now() - dt.timedelta(hours=1))
    batch = notify(owner, 20, kind=ReminderKind.SILENT_CLIENT, email_state=EmailState.FAILED)
    assert batch
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin_schedule"))
    assert len(few) == len(many)


def test_the_retention_report_lists_closed_records_past_their_date(client, practice_admin, owner):
    from clients.models import ClientStatus
    from termination.models import EndingKind, Initiator, Termination, TerminationState
    from tests.factories import ClientFactory

    today = timezone.localdate()
    for last_name, retain, hold in (("Past", -10, False), ("Held", -10, True), ("Kept", 99, False)):
        record = ClientFactory(
            primary_counselor=owner,
            legal_last_name=last_name,
            status=ClientStatus.CLOSED,
            opened_on=today - dt.timedelta(days=4000),
            closed_on=today - dt.timedelta(days=3000),
            legal_hold=hold,
        )
        Termination.objects.create(
            client=record,
            kind=EndingKind.PLANNED,
            initiated_by=Initiator.BOTH,
            opened_by=owner,
            state=TerminationState.CLOSED,
            retain_until=today + dt.timedelta(days=retain),
        )
    client.force_login(practice_admin)
    page = client.get(reverse("notification_retention_report")).content.decode()
    assert "Past," in page and "Held," in page and "Kept," not in page
    assert "<strong>1</strong> record eligible" in page and "On hold" in page
