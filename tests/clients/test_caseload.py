import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import ClientStatus, PlanReview
from practice.audit.models import AuditEvent
from sessions_app.models import NoteStatus, SessionStatus
from sessions_app.services import rating_record
from tests.factories import ClientFactory, NoteFactory, SessionFactory, instrument

pytestmark = pytest.mark.django_db

ALLIANCE = {"goals": 9, "tasks": 9, "bond": 9, "overall": 9}
LOW_ALLIANCE = {"goals": 5, "tasks": 5, "bond": 6, "overall": 5}


def rows_for(client, counselor, **params):
    client.force_login(counselor)
    response = client.get("/caseload/", params)
    assert response.status_code == 200
    return response.context["rows"]


def full_history(counselor, index: int):
    """A client with attended sessions, signed notes, ratings and a booked session."""
    person = ClientFactory(primary_counselor=counselor, legal_last_name=f"Client{index:03d}")
    now = timezone.now()
    for weeks_ago in (3, 2, 1):
        session = SessionFactory(client=person, starts_at=now - dt.timedelta(weeks=weeks_ago))
        NoteFactory(session=session, status=NoteStatus.SIGNED)
        rating_record(
            actor=counselor,
            client=person,
            instrument=instrument("Alliance"),
            answers=ALLIANCE,
            administered_on=session.starts_at.date(),
            session=session,
        )
        rating_record(
            actor=counselor,
            client=person,
            instrument=instrument("PHQ-9"),
            answers={f"phq{i}": 2 - weeks_ago // 2 for i in range(1, 10)},
            administered_on=session.starts_at.date(),
        )
    SessionFactory(
        client=person, starts_at=now + dt.timedelta(days=3), status=SessionStatus.SCHEDULED
    )
    PlanReview.objects.create(
        client=person,
        reviewed_by=counselor,
        reviewed_on=timezone.localdate() - dt.timedelta(days=10),
    )
    return person


def test_it_shows_only_the_counselors_own_open_clients(client, owner, colleague):
    mine = ClientFactory(primary_counselor=owner)
    ClientFactory(primary_counselor=colleague)
    assert [row.client for row in rows_for(client, owner)] == [mine]


def test_it_summarises_sessions_alliance_and_outcome(client, owner):
    person = full_history(owner, 1)
    (row,) = rows_for(client, owner)
    assert row.client == person
    assert row.attended_count == 3
    assert row.next_session_at is not None and row.last_session_at is not None
    assert row.measures.alliance_latest == 36
    assert row.measures.alliance_direction == "same"
    assert [reading.instrument for reading in row.measures.outcomes] == ["PHQ-9"]
    assert row.flags == []


def test_it_flags_an_alliance_alert(client, owner):
    person = full_history(owner, 1)
    rating_record(
        actor=owner,
        client=person,
        instrument=instrument("Alliance"),
        answers=LOW_ALLIANCE,
        administered_on=timezone.localdate(),
    )
    (row,) = rows_for(client, owner)
    assert row.measures.alliance_direction == "down"
    assert row.flags == ["alliance"]


def test_it_flags_a_silent_client_but_not_one_with_a_booking(client, owner, policy):
    silent = ClientFactory(primary_counselor=owner, legal_last_name="Silent")
    SessionFactory(
        client=silent, starts_at=timezone.now() - dt.timedelta(days=policy.silent_client_days + 1)
    )
    booked = ClientFactory(primary_counselor=owner, legal_last_name="Booked")
    SessionFactory(client=booked, starts_at=timezone.now() - dt.timedelta(days=60))
    SessionFactory(
        client=booked,
        starts_at=timezone.now() + dt.timedelta(days=2),
        status=SessionStatus.SCHEDULED,
    )
    flags = {row.client.legal_last_name: row.flags for row in rows_for(client, owner)}
    assert "silent" in flags["Silent"] and "silent" not in flags["Booked"]


def test_it_flags_notes_unsigned_past_the_policys_hours(client, owner, policy):
    late = ClientFactory(primary_counselor=owner, legal_last_name="Late")
    SessionFactory(
        client=late,
        starts_at=timezone.now() - dt.timedelta(hours=policy.note_signing_due_hours + 2),
    )
    recent = ClientFactory(primary_counselor=owner, legal_last_name="Recent")
    SessionFactory(client=recent, starts_at=timezone.now() - dt.timedelta(hours=5))
    flags = {row.client.legal_last_name: row.flags for row in rows_for(client, owner)}
    assert "notes" in flags["Late"] and "notes" not in flags["Recent"]


def test_it_flags_a_plan_review_past_the_policy_interval(client, owner, policy):
    ClientFactory(
        primary_counselor=owner,
        intake_date=timezone.localdate() - dt.timedelta(days=policy.plan_review_interval_days + 1),
    )
    (row,) = rows_for(client, owner)
    assert "review" in row.flags


def test_it_filters_by_flag_status_and_name_and_sorts(client, owner):
    full_history(owner, 1)
    ClientFactory(primary_counselor=owner, legal_last_name="Zephyr", legal_first_name="Ann")
    closed = ClientFactory(primary_counselor=owner, legal_last_name="Closed")
    closed.status = ClientStatus.CLOSED
    closed.closed_on = timezone.localdate()
    closed.save()
    names = lambda rows: [row.client.legal_last_name for row in rows]  # noqa: E731
    assert names(rows_for(client, owner)) == ["Client001", "Zephyr"]
    assert names(rows_for(client, owner, sort="-name")) == ["Zephyr", "Client001"]
    assert names(rows_for(client, owner, status="closed")) == ["Closed"]
    assert names(rows_for(client, owner, q="zeph")) == ["Zephyr"]
    assert names(rows_for(client, owner, flag="review")) == ["Zephyr"]


def test_nonsense_parameters_fall_back_to_defaults(client, owner):
    full_history(owner, 1)
    assert len(rows_for(client, owner, sort="'; drop", status="nope", flag="<x>", q="a" * 500)) == 1
    assert len(rows_for(client, owner, sort="'; drop", status="nope", flag="<x>")) == 1


@pytest.mark.parametrize(
    "params, label",
    [
        ({"status": "nope"}, "Status"),
        ({"flag": "<x>"}, "Flag"),
        ({"sort": "'; drop"}, "Sort"),
        ({"q": "Ada\x00"}, "Search"),
        ({"q": "a" * 500}, "Search"),
    ],
)
def test_a_filter_the_caseload_cannot_use_is_named_on_the_page(client, owner, params, label):
    """Every GET filter goes through a form (issue 12): the page says what it did not use."""
    full_history(owner, 1)
    client.force_login(owner)
    response = client.get("/caseload/", params)
    assert response.status_code == 200
    assert f"{label} in the address was not used" in response.content.decode()
    assert len(response.context["rows"]) == 1
    assert (response.context["status"], response.context["sort"]) == ("open", "name")


def test_the_query_count_does_not_grow_with_the_caseload(client, owner):
    full_history(owner, 0)
    client.force_login(owner)
    client.get("/caseload/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get("/caseload/").status_code == 200
    for index in range(1, 50):
        full_history(owner, index)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/caseload/")
    assert len(response.context["rows"]) == 50
    assert len(fifty) == len(one), f"{len(one)} queries for 1 client, {len(fifty)} for 50"


def test_the_client_page_query_count_does_not_grow_with_history(client, owner):
    person = full_history(owner, 0)
    client.force_login(owner)
    client.get(f"/clients/{person.pk}/")  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/clients/{person.pk}/").status_code == 200
    for weeks_ago in range(4, 40):
        session = SessionFactory(
            client=person, starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago)
        )
        NoteFactory(session=session, status=NoteStatus.SIGNED)
        rating_record(
            actor=owner,
            client=person,
            instrument=instrument("Alliance"),
            answers=ALLIANCE,
            administered_on=session.starts_at.date(),
            session=session,
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/clients/{person.pk}/").status_code == 200
    assert len(large) == len(small), f"{len(small)} queries then {len(large)}"


def test_viewing_a_client_is_audited(client, owner, own_client):
    client.force_login(owner)
    client.get(f"/clients/{own_client.pk}/")
    assert AuditEvent.objects.filter(actor=owner, action="view", client_id=own_client.pk).exists()


def test_a_supervisor_reads_a_supervisees_client_without_edit_actions(
    client, supervisor, own_client
):
    client.force_login(supervisor)
    response = client.get(f"/clients/{own_client.pk}/")
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert "Read-only" in response.content.decode()


def test_endings_in_progress_show_their_next_deadline_at_constant_cost(client, owner):
    from termination.services import termination_open, termination_record_notice

    def with_ending(index):
        person = full_history(owner, index)
        ending = termination_open(actor=owner, client=person, kind="planned", initiated_by="both")
        termination_record_notice(
            actor=owner,
            termination=ending,
            raised_on=timezone.localdate(),
            initiated_by="both",
            final_session_on=timezone.localdate() + dt.timedelta(days=21),
            more_help_needed="no",
            counseling_helped="a_lot",
            break_kind="permanent",
        )
        return ending

    with_ending(0)
    client.force_login(owner)
    client.get("/caseload/")
    with CaptureQueriesContext(connection) as one:
        response = client.get("/caseload/")
    (row,) = response.context["rows"]
    assert "ending" in row.flags
    assert row.ending.next_step == "Closing summary"
    assert row.ending.next_deadline == timezone.localdate() + dt.timedelta(days=21 + 15)
    for index in range(1, 20):
        with_ending(index)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get("/caseload/", {"flag": "ending"}).context["rows"]) == 20
    assert len(twenty) == len(one)


def test_a_silent_client_can_start_an_unplanned_ending_in_one_click(client, owner, policy):
    silent = ClientFactory(primary_counselor=owner)
    SessionFactory(
        client=silent, starts_at=timezone.now() - dt.timedelta(days=policy.silent_client_days + 5)
    )
    client.force_login(owner)
    page = client.get("/caseload/").content.decode()
    assert "Start unplanned ending" in page
    response = client.post(
        f"/clients/{silent.pk}/ending/new/", {"kind": "unplanned", "initiated_by": "client"}
    )
    assert response.status_code == 302
    silent.refresh_from_db()
    assert silent.status == ClientStatus.ENDING
    assert silent.terminations.get().kind == "unplanned"
