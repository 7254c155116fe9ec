"""The caseload review board: one row per supervisee, counts checked against hand-built data, and
a fixed number of queries however many supervisees there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import ChartReview, ClientStatus
from practice.staff.models import Supervision
from practice.supervision.selectors import CLIENT_COUNTS, board_rows, supervisee_list
from tests.factories import ClientFactory, CounselorFactory, SupervisionFactory, SupervisorFactory
from tests.supervision.builders import full_caseload, quiet_client

pytestmark = pytest.mark.django_db

BOARD = "/supervision/"


def counts_of(row) -> dict[str, int]:
    return {count.key: count.count for count in row.counts}


def test_it_counts_each_reason_for_review_by_hand(client, owner, supervisor, policy):
    full_caseload(owner)
    client.force_login(supervisor)
    response = client.get(BOARD)
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row.counselor == owner
    assert row.caseload == 12
    assert row.maximum == policy.maximum_caseload == 30
    assert counts_of(row) == {
        "alliance": 1,
        "off_track": 2,  # deteriorated, and unchanged after 6 sessions (not the one after 2)
        "silent": 1,
        "notes": 2,  # two sessions of one client: a draft note and no note at all
        "review": 1,
        "ending": 2,
        "approval": 1,
        "cosign": 1,
        "unreviewed": 12,
        "follow_ups": 0,  # no former client is watched here (tests/checkins test the watch)
        "relapse": 0,
    }
    assert row.nearest_ending.deadline == timezone.localdate() + dt.timedelta(days=20)
    assert response.context["cosign_total"] == 1
    assert response.context["approval_total"] == 1


def test_each_count_links_to_the_list_behind_it(client, owner, supervisor):
    full_caseload(owner)
    client.force_login(supervisor)
    page = client.get(BOARD).content.decode()
    for key in ("alliance", "off_track", "silent", "notes", "review", "ending", "approval"):
        assert f'href="/supervision/counselors/{owner.pk}/?flag={key}"' in page
    assert f'href="/supervision/counselors/{owner.pk}/caseload/"' in page
    assert 'href="/supervision/cosign/"' in page and 'href="/supervision/approvals/"' in page


def test_off_track_follows_the_policys_number_of_sessions(owner, supervisor, policy):
    full_caseload(owner)
    policy.off_track_after_sessions = 2
    policy.save()
    (row,) = board_rows(supervisor=supervisor, policy=policy)
    assert counts_of(row)["off_track"] == 3


def test_closed_clients_and_other_counselors_clients_are_not_counted(
    owner, colleague, supervisor, policy
):
    quiet_client(owner)
    ClientFactory(primary_counselor=owner, status=ClientStatus.CLOSED)
    full_caseload(colleague)
    (row,) = board_rows(supervisor=supervisor, policy=policy)
    assert row.counselor == owner and row.caseload == 1
    assert counts_of(row) == {**dict.fromkeys(counts_of(row), 0), "unreviewed": 1}


def test_a_chart_marked_reviewed_this_month_by_this_supervisor_is_not_counted(
    owner, supervisor, outsider_supervisor, policy
):
    first, second, third = quiet_client(owner), quiet_client(owner), quiet_client(owner)
    month = timezone.localdate().replace(day=1)
    ChartReview.objects.create(client=first, supervisor=supervisor, month=month)
    last_month = (month - dt.timedelta(days=1)).replace(day=1)
    ChartReview.objects.create(client=second, supervisor=supervisor, month=last_month)
    SupervisionFactory(supervisor=outsider_supervisor, supervisee=owner)
    ChartReview.objects.create(client=third, supervisor=outsider_supervisor, month=month)
    (row,) = board_rows(supervisor=supervisor, policy=policy)
    assert counts_of(row)["unreviewed"] == 2


def test_a_caseload_over_the_policys_maximum_is_shown(client, owner, supervisor, policy):
    policy.maximum_caseload = 2
    policy.save()
    for _ in range(3):
        ClientFactory(primary_counselor=owner)
    client.force_login(supervisor)
    response = client.get(BOARD)
    (row,) = response.context["rows"]
    assert row.over_maximum
    assert "3 / 2" in response.content.decode()


def test_only_current_supervisees_have_a_row(client, owner, colleague, supervisor):
    former = CounselorFactory(username="former")
    today = timezone.localdate()
    Supervision.objects.create(
        supervisor=supervisor,
        supervisee=former,
        starts_on=today - dt.timedelta(days=90),
        ends_on=today - dt.timedelta(days=1),
    )
    future = CounselorFactory(username="future")
    Supervision.objects.create(
        supervisor=supervisor, supervisee=future, starts_on=today + dt.timedelta(days=3)
    )
    client.force_login(supervisor)
    rows = client.get(BOARD).context["rows"]
    assert [row.counselor for row in rows] == [owner]


def test_a_counselor_gets_404_on_the_board(client, owner):
    client.force_login(owner)
    assert client.get(BOARD).status_code == 404


def test_a_supervisor_with_nobody_to_supervise_sees_an_empty_board(client):
    lonely = SupervisorFactory(username="lonely")
    client.force_login(lonely)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert "Nobody is linked to you for supervision today." in response.content.decode()


def board_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BOARD)
    assert response.status_code == 200
    return len(captured)


def test_the_board_takes_the_same_queries_for_2_or_20_supervisees(client):
    supervisor = SupervisorFactory(username="busy")

    def add_supervisee(number: int) -> None:
        counselor = CounselorFactory(username=f"supervisee{number:02d}")
        SupervisionFactory(supervisor=supervisor, supervisee=counselor)
        full_caseload(counselor)

    for number in range(2):
        add_supervisee(number)
    client.force_login(supervisor)
    board_queries(client)  # warm the session and the policy
    two = board_queries(client)
    assert len(client.get(BOARD).context["rows"]) == 2
    for number in range(2, 20):
        add_supervisee(number)
    twenty = board_queries(client)
    rows = client.get(BOARD).context["rows"]
    assert len(rows) == 20
    assert all(counts_of(row)["off_track"] == 2 for row in rows)
    assert two == twenty


def test_each_client_count_is_the_length_of_the_list_behind_it(owner, supervisor, policy):
    """The board sums plain rows; the lists build each client's facts: the two agree."""
    full_caseload(owner)
    quiet_client(owner)
    policy.off_track_after_sessions = 2
    policy.save()
    (row,) = board_rows(supervisor=supervisor, policy=policy)
    for key in CLIENT_COUNTS:
        listed = supervisee_list(supervisor=supervisor, counselor=owner, key=key, policy=policy)
        assert row.count_of(key) == len(listed.clients), key
    assert row.caseload == 13
