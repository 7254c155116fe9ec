"""The counselor's week agenda."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions_app.models import NoteStatus, SessionStatus
from tests.factories import ClientFactory, GroupFactory, NoteFactory, SessionFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# A Wednesday in Tokyo; its week runs Monday 2 to Sunday 8 March 2026.
WEDNESDAY_NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=TOKYO)


@pytest.fixture
def in_tokyo(owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        yield owner


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TOKYO)


def agenda(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("agenda"), params)
    assert response.status_code == 200
    return response


def sessions_by_day(response) -> dict[str, list[int]]:
    return {
        day["date"].isoformat(): [row["session"].pk for row in day["rows"]]
        for day in response.context["days"]
        if day["rows"]
    }


def test_it_groups_the_week_by_day_in_the_counselors_zone(client, in_tokyo, own_client):
    # 00:30 on Monday in Tokyo is still Sunday in UTC; 23:30 on Sunday is Sunday in both.
    early_monday = SessionFactory(client=own_client, starts_at=at(2, 0, 30))
    wednesday = SessionFactory(
        client=own_client, starts_at=at(4, 15), status=SessionStatus.SCHEDULED
    )
    late_sunday = SessionFactory(
        client=own_client, starts_at=at(8, 23, 0), status=SessionStatus.SCHEDULED
    )
    SessionFactory(client=own_client, starts_at=at(1, 23, 0))  # the Sunday before
    SessionFactory(client=own_client, starts_at=at(9, 0, 30), status=SessionStatus.SCHEDULED)
    response = agenda(client, in_tokyo)
    assert sessions_by_day(response) == {
        "2026-03-02": [early_monday.pk],
        "2026-03-04": [wednesday.pk],
        "2026-03-08": [late_sunday.pk],
    }
    days = response.context["days"]
    assert [day["date"].weekday() for day in days] == list(range(7))
    assert [day["is_today"] for day in days] == [False, False, True, False, False, False, False]
    page = response.content.decode()
    assert "00:30–01:20" in page and "Asia/Tokyo" in page


def test_it_shows_only_the_counselors_own_sessions(client, in_tokyo, own_client, colleague):
    SessionFactory(client=ClientFactory(primary_counselor=colleague), starts_at=at(3, 10))
    mine = SessionFactory(client=own_client, starts_at=at(3, 12))
    assert sessions_by_day(agenda(client, in_tokyo)) == {"2026-03-03": [mine.pk]}


def test_it_offers_a_note_only_where_one_is_missing_or_unsigned(client, in_tokyo, own_client):
    no_note = SessionFactory(client=own_client, starts_at=at(2, 9))
    draft = SessionFactory(client=own_client, starts_at=at(2, 11))
    NoteFactory(session=draft)
    signed = SessionFactory(client=own_client, starts_at=at(2, 13))
    NoteFactory(session=signed, status=NoteStatus.SIGNED, signed_by=in_tokyo)
    no_show = SessionFactory(client=own_client, starts_at=at(2, 15), status=SessionStatus.NO_SHOW)
    response = agenda(client, in_tokyo)
    needs = {row["session"].pk: row["needs_note"] for row in response.context["days"][0]["rows"]}
    assert needs == {no_note.pk: True, draft.pk: True, signed.pk: False, no_show.pk: False}
    page = response.content.decode()
    assert reverse("session_note", args=[no_note.pk]) in page
    assert reverse("session_note", args=[draft.pk]) in page and "Finish note" in page
    assert reverse("session_note", args=[signed.pk]) not in page
    assert reverse("note_detail", args=[signed.note.pk]) in page


def test_it_shows_the_kind_modality_status_and_group_sessions(client, in_tokyo, own_client):
    SessionFactory(
        client=own_client,
        starts_at=at(5, 9),
        kind="intake",
        modality="video",
        status=SessionStatus.SCHEDULED,
    )
    group = GroupFactory(created_by=in_tokyo, name="Grief circle")
    SessionFactory(client=None, group=group, counselor=in_tokyo, starts_at=at(5, 18))
    page = agenda(client, in_tokyo).content.decode()
    for text in ("Ada Lovelace", "Intake", "Video", "Scheduled", "Grief circle", "Attended"):
        assert text in page


def test_it_moves_between_weeks(client, in_tokyo, own_client):
    next_week = SessionFactory(
        client=own_client, starts_at=at(10, 10), status=SessionStatus.SCHEDULED
    )
    response = agenda(client, in_tokyo, week="2026-03-11")
    assert response.context["monday"] == dt.date(2026, 3, 9)
    assert response.context["previous_week"] == "2026-03-02"
    assert response.context["next_week"] == "2026-03-16"
    assert sessions_by_day(response) == {"2026-03-10": [next_week.pk]}
    assert 'href="?week=2026-03-02"' in response.content.decode()


@pytest.mark.parametrize(
    "week", ["", "nonsense", "2026-02-30", "0001-01-01", "9999-12-31", "2026-03-04'--", "x" * 500]
)
def test_a_bad_week_falls_back_to_this_week(client, in_tokyo, week):
    assert agenda(client, in_tokyo, week=week).context["monday"] == dt.date(2026, 3, 2)


def test_the_agenda_is_for_counselors_only(client, practice_admin):
    client.force_login(practice_admin)
    assert client.get(reverse("agenda")).status_code == 404


def test_the_agenda_keeps_its_query_count(client, in_tokyo, own_client):
    def fill(count: int) -> None:
        for index in range(count):
            session = SessionFactory(
                client=ClientFactory(primary_counselor=in_tokyo),
                starts_at=at(2 + index % 7, 8) + dt.timedelta(minutes=60 * (index // 7)),
            )
            if index % 2:
                NoteFactory(session=session)

    fill(1)
    agenda(client, in_tokyo)
    with CaptureQueriesContext(connection) as one:
        agenda(client, in_tokyo)
    fill(19)
    with CaptureQueriesContext(connection) as twenty:
        response = agenda(client, in_tokyo)
    assert response.context["session_count"] == 20
    assert len(twenty) == len(one), f"{len(one)} queries for 1 session, {len(twenty)} for 20"
