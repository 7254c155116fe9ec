"""Scheduling, moving and recording sessions through the pages, and the session page itself."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import ClientStatus
from practice.audit.models import AuditEvent
from sessions_app.models import CounselingSession, GroupAttendance, NoteStatus, SessionStatus
from sessions_app.services import rating_record
from tests.factories import (
    ClientFactory,
    GroupFactory,
    GroupMemberFactory,
    NoteFactory,
    SessionFactory,
    instrument,
)

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
ALLIANCE = {"goals": 9, "tasks": 8, "bond": 9, "overall": 9}


@pytest.fixture
def new_yorker(owner):
    owner.time_zone = "America/New_York"
    owner.save()
    return owner


def tomorrow_local(hour: int, zone=NEW_YORK) -> dt.datetime:
    day = timezone.localdate(timezone=zone) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)


def schedule_form(own_client, starts: dt.datetime, **overrides) -> dict:
    return {
        "client": own_client.pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "50",
        "modality": "video",
        "kind": "intake",
        **overrides,
    }


# Scheduling ---------------------------------------------------------------------------------


def test_it_offers_only_the_counselors_open_clients(client, owner, own_client, colleagues_client):
    closed = ClientFactory(primary_counselor=owner, legal_last_name="Closedrecord")
    closed.status = ClientStatus.CLOSED
    closed.save()
    client.force_login(owner)
    response = client.get(reverse("session_new"))
    assert list(response.context["form"].fields["client"].queryset) == [own_client]


def test_it_preselects_the_client_named_in_the_address(client, owner, own_client):
    client.force_login(owner)
    response = client.get(reverse("session_new"), {"client": own_client.pk})
    assert f'<option value="{own_client.pk}" selected>' in response.content.decode()
    assert client.get(reverse("session_new"), {"client": "x'1"}).status_code == 200
    assert client.get(reverse("session_new"), {"client": "9" * 40}).status_code == 200


def test_it_schedules_in_the_counselors_time_zone(client, new_yorker, own_client):
    client.force_login(new_yorker)
    starts = tomorrow_local(9)
    response = client.post(reverse("session_new"), schedule_form(own_client, starts))
    session = CounselingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "session_detail", args=[session.pk]
    )
    assert session.starts_at == starts
    assert (session.modality, session.kind, session.counselor) == ("video", "intake", new_yorker)
    page = client.get(response["Location"]).content.decode()
    assert "09:00–09:50" in page and "America/New_York" in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(session.pk), client_id=own_client.pk
    ).exists()


def test_a_double_booking_is_shown_beside_the_start_and_the_form_keeps_its_values(
    client, new_yorker, own_client
):
    client.force_login(new_yorker)
    client.post(reverse("session_new"), schedule_form(own_client, tomorrow_local(9)))
    other = ClientFactory(
        primary_counselor=new_yorker, legal_first_name="Bo", legal_last_name="Bee"
    )
    clash = schedule_form(other, tomorrow_local(9) + dt.timedelta(minutes=49), modality="phone")
    response = client.post(reverse("session_new"), clash)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["starts_at"]
    assert "already has a session with Ada Lovelace" in form.errors["starts_at"][0]
    page = response.content.decode()
    assert f'value="{clash["starts_at"]}"' in page
    assert f'<option value="{other.pk}" selected>' in page
    assert '<option value="phone" selected>' in page
    assert CounselingSession.objects.count() == 1


def test_invalid_input_is_shown_beside_each_field(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        reverse("session_new"),
        {"client": "", "starts_at": "next tuesday", "duration_minutes": "2", "modality": "x"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "client",
        "starts_at",
        "duration_minutes",
        "modality",
        "kind",
    }
    assert 'value="next tuesday"' in response.content.decode()


def test_a_counselor_cannot_book_a_colleagues_client(client, owner, colleagues_client):
    client.force_login(owner)
    response = client.post(
        reverse("session_new"), schedule_form(colleagues_client, tomorrow_local(9, dt.UTC))
    )
    assert "client" in response.context["form"].errors
    assert not CounselingSession.objects.exists()


# Moving and recording the outcome -----------------------------------------------------------


def scheduled(own_client, starts: dt.datetime) -> CounselingSession:
    return SessionFactory(client=own_client, starts_at=starts, status=SessionStatus.SCHEDULED)


def test_the_move_form_shows_the_current_time_in_the_users_zone(client, new_yorker, own_client):
    session = scheduled(own_client, tomorrow_local(15))
    client.force_login(new_yorker)
    response = client.get(reverse("session_reschedule", args=[session.pk]))
    assert f'value="{tomorrow_local(15):%Y-%m-%dT%H:%M}"' in response.content.decode()


def test_it_moves_a_session_and_reports_a_clash_beside_the_start(client, new_yorker, own_client):
    session = scheduled(own_client, tomorrow_local(15))
    blocker = scheduled(ClientFactory(primary_counselor=new_yorker), tomorrow_local(17))
    client.force_login(new_yorker)
    url = reverse("session_reschedule", args=[session.pk])
    form = {"duration_minutes": "50", "modality": "phone"}
    response = client.post(url, {**form, "starts_at": f"{tomorrow_local(17):%Y-%m-%dT%H:%M}"})
    assert response.status_code == 200
    assert "already has a session" in response.context["form"].errors["starts_at"][0]
    response = client.post(url, {**form, "starts_at": f"{tomorrow_local(11):%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.modality) == (tomorrow_local(11), "phone")
    blocker.refresh_from_db()
    assert blocker.starts_at == tomorrow_local(17)


def test_moving_an_attended_session_shows_the_services_message(client, owner, own_client):
    session = SessionFactory(client=own_client)
    client.force_login(owner)
    url = reverse("session_reschedule", args=[session.pk])
    assert "only a scheduled session can be moved" in client.get(url).content.decode()
    response = client.post(
        url, {"starts_at": "2030-01-01T10:00", "duration_minutes": "50", "modality": "phone"}
    )
    assert "Only a scheduled session can be moved" in str(
        response.context["form"].non_field_errors()
    )


def test_it_records_an_outcome_and_goes_back(client, owner, own_client):
    session = scheduled(own_client, timezone.now() - dt.timedelta(hours=2))
    client.force_login(owner)
    response = client.post(
        reverse("session_status", args=[session.pk]),
        {"status": "no_show", "reason": "No call", "next": reverse("agenda")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("agenda")
    assert "Session marked no-show." in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("no_show", "No call")


def test_a_refused_outcome_shows_the_services_message(client, owner, own_client):
    session = scheduled(own_client, timezone.now() + dt.timedelta(days=2))
    client.force_login(owner)
    response = client.post(reverse("session_status", args=[session.pk]), {"status": "attended"})
    assert response.status_code == 200  # the session page again, the message on it
    assert "has not started yet" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


@pytest.mark.parametrize(
    "data", [{}, {"status": "teleported"}, {"status": "attended", "reason": "x" * 201}]
)
def test_a_nonsense_outcome_is_refused_with_a_message(client, owner, own_client, data):
    session = SessionFactory(client=own_client, status=SessionStatus.SCHEDULED)
    client.force_login(owner)
    response = client.post(reverse("session_status", args=[session.pk]), data)
    assert response.status_code == 200
    assert response.context["status_form"].errors
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_it_never_redirects_to_another_site(client, owner, own_client):
    session = SessionFactory(client=own_client, status=SessionStatus.SCHEDULED)
    client.force_login(owner)
    response = client.post(
        reverse("session_status", args=[session.pk]),
        {"status": "attended", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("session_detail", args=[session.pk])


# The session page ---------------------------------------------------------------------------


def test_the_owner_sees_actions_and_viewing_is_audited(client, owner, own_client):
    session = SessionFactory(client=own_client, status=SessionStatus.SCHEDULED)
    client.force_login(owner)
    response = client.get(reverse("session_detail", args=[session.pk]))
    page = response.content.decode()
    assert [action["value"] for action in response.context["status_actions"]] == [
        "attended",
        "no_show",
        "late_cancelled",
        "cancelled",
    ]
    assert reverse("session_status", args=[session.pk]) in page
    assert reverse("session_reschedule", args=[session.pk]) in page
    assert AuditEvent.objects.filter(
        actor=owner, action=AuditEvent.Action.VIEW, object_id=str(session.pk)
    ).exists()


def test_a_future_session_offers_only_cancelling(client, owner, own_client):
    session = scheduled(own_client, timezone.now() + dt.timedelta(days=1))
    client.force_login(owner)
    response = client.get(reverse("session_detail", args=[session.pk]))
    assert [action["value"] for action in response.context["status_actions"]] == ["cancelled"]


def test_a_supervisor_reads_the_session_without_actions(client, supervisor, own_client):
    session = SessionFactory(client=own_client, status=SessionStatus.SCHEDULED)
    client.force_login(supervisor)
    response = client.get(reverse("session_detail", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Read-only" in page
    assert reverse("session_status", args=[session.pk]) not in page
    assert reverse("session_reschedule", args=[session.pk]) not in page


def test_the_page_shows_the_note_state_and_the_ratings(client, owner, own_client):
    session = SessionFactory(client=own_client)
    NoteFactory(
        session=session, status=NoteStatus.SIGNED, signed_by=owner, signed_at=timezone.now()
    )
    rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("Alliance"),
        answers=ALLIANCE,
        administered_on=session.starts_at.date(),
        session=session,
    )
    client.force_login(owner)
    response = client.get(reverse("session_detail", args=[session.pk]))
    page = response.content.decode()
    assert "Signed" in page and reverse("note_detail", args=[session.note.pk]) in page
    assert "Alliance" in page and "35" in page
    assert response.context["status_actions"] == []  # a signed note freezes the attendance
    assert reverse("session_note", args=[session.pk]) not in page


def test_an_attended_session_without_a_note_invites_one(client, owner, own_client):
    session = SessionFactory(client=own_client)
    client.force_login(owner)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Write the note" in page and reverse("session_note", args=[session.pk]) in page


def test_a_group_session_shows_the_group_and_its_attendance(client, owner):
    group = GroupFactory(created_by=owner, name="Worry group")
    member = GroupMemberFactory(group=group, client=ClientFactory(primary_counselor=owner))
    session = SessionFactory(client=None, group=group, counselor=owner)
    GroupAttendance.objects.create(
        session=session, member=member, presence="present", recorded_by=owner
    )
    client.force_login(owner)
    response = client.get(reverse("session_detail", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "of the group Worry group" in page and member.client.display_name in page
    assert "Write the note" not in page


def test_the_session_page_keeps_its_query_count(client, owner):
    group = GroupFactory(created_by=owner)
    session = SessionFactory(client=None, group=group, counselor=owner)

    def attend(count: int) -> None:
        for _ in range(count):
            member = GroupMemberFactory(group=group, client=ClientFactory(primary_counselor=owner))
            GroupAttendance.objects.create(
                session=session, member=member, presence="present", recorded_by=owner
            )

    attend(1)
    client.force_login(owner)
    url = reverse("session_detail", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    attend(19)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["attendance"]) == 20
    assert len(twenty) == len(one), f"{len(one)} queries for 1 member, {len(twenty)} for 20"


def test_the_individual_session_page_keeps_its_query_count(client, owner, own_client):
    session = SessionFactory(client=own_client)
    NoteFactory(session=session)
    client.force_login(owner)
    url = reverse("session_detail", args=[session.pk])
    client.get(url)
    rating_record(
        actor=owner,
        client=own_client,
        instrument=instrument("Alliance"),
        answers=ALLIANCE,
        administered_on=session.starts_at.date(),
        session=session,
    )
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for short_name, answers in (
        ("PHQ-9", {f"phq{i}": 1 for i in range(1, 10)}),
        ("GAD-7", {f"gad{i}": 1 for i in range(1, 8)}),
    ):
        rating_record(
            actor=owner,
            client=own_client,
            instrument=instrument(short_name),
            answers=answers,
            administered_on=session.starts_at.date(),
            session=session,
        )
    for _ in range(19):
        SessionFactory(client=own_client, starts_at=timezone.now() - dt.timedelta(days=30))
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(response.context["ratings"]) == 3
    assert len(more) == len(one)


# The sessions section of the client page ----------------------------------------------------


def test_the_client_page_lists_sessions_with_their_note_state(client, owner, own_client):
    now = timezone.now()
    upcoming = SessionFactory(
        client=own_client, starts_at=now + dt.timedelta(days=2), status=SessionStatus.SCHEDULED
    )
    without_note = SessionFactory(client=own_client, starts_at=now - dt.timedelta(days=3))
    signed = SessionFactory(client=own_client, starts_at=now - dt.timedelta(days=10))
    NoteFactory(session=signed, status=NoteStatus.SIGNED, signed_by=owner, signed_at=now)
    SessionFactory(
        client=own_client, starts_at=now - dt.timedelta(days=17), status=SessionStatus.NO_SHOW
    )
    client.force_login(owner)
    page = client.get(reverse("client_detail", args=[own_client.pk])).content.decode()
    assert reverse("session_detail", args=[upcoming.pk]) in page
    assert reverse("session_note", args=[without_note.pk]) in page
    assert reverse("note_detail", args=[signed.note.pk]) in page
    assert "Attended <strong>2</strong>" in page and "No-show <strong>1</strong>" in page
    assert f"{reverse('session_new')}?client={own_client.pk}" in page


def test_the_client_page_shows_no_scheduling_to_a_supervisor(client, supervisor, own_client):
    session = SessionFactory(client=own_client)
    client.force_login(supervisor)
    page = client.get(reverse("client_detail", args=[own_client.pk])).content.decode()
    assert reverse("session_new") not in page
    assert reverse("session_note", args=[session.pk]) not in page
    assert reverse("session_detail", args=[session.pk]) in page


def test_the_client_page_shows_times_in_the_viewers_zone(client, new_yorker, own_client):
    starts = tomorrow_local(8)
    SessionFactory(client=own_client, starts_at=starts, status=SessionStatus.SCHEDULED)
    client.force_login(new_yorker)
    page = client.get(reverse("client_detail", args=[own_client.pk])).content.decode()
    assert f"{starts:%H:%M}" == "08:00" and ", 08:00</a>" in page
