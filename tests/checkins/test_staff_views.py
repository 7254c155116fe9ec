"""The counselor's pages: send a check-in (in the room: a QR code drawn on the server and a short
code; by email: a message), see the answers, revoke, choose the schedule; and each page makes
the same number of queries for 1 check-in as for 50."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions_app.checkins.models import CheckIn, CheckInSchedule, CheckInState
from sessions_app.checkins.services import checkin_answer
from tests.checkins.helpers import room_token, send
from tests.factories import ClientFactory, instrument

pytestmark = pytest.mark.django_db

QUERY_COUNTS: dict[str, tuple[int, int]] = {}


def test_in_the_room_the_counselor_sees_a_qr_code_and_a_short_code(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        f"/clients/{own_client.pk}/checkins/new/",
        {"instruments": [instrument("Alliance").pk, instrument("PHQ-9").pk], "channel": "in_room"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "<svg" in page and 'class="segno"' in page
    checkin = CheckIn.objects.get(client=own_client)
    assert checkin.items.count() == 2
    assert 'data-testid="short-code"' in page
    assert (
        "http" not in page.split('data-testid="checkin-qr"')[1].split("</div>")[0].split("<svg")[0]
    )


def test_by_email_the_counselor_is_sent_back_to_the_client(client, owner, emailable_client):
    client.force_login(owner)
    response = client.post(
        f"/clients/{emailable_client.pk}/checkins/new/",
        {"instruments": [instrument("GAD-7").pk], "channel": "email"},
        follow=True,
    )
    assert "Check-in sent by email." in response.content.decode()


def test_email_without_consent_is_refused_beside_the_field(client, owner, own_client):
    client.force_login(owner)
    response = client.post(
        f"/clients/{own_client.pk}/checkins/new/",
        {"instruments": [instrument("GAD-7").pk], "channel": "email"},
    )
    assert "There is no valid consent to electronic communication." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_the_counselor_sees_the_answers_and_marks_them_seen(client, owner, own_client):
    checkin = send(owner, own_client, "Alliance")
    checkin_answer(
        checkin=checkin,
        item_id=checkin.items.get().pk,
        answers={"goals": 9, "tasks": 8, "bond": 10, "overall": 7},
    )
    client.force_login(owner)
    page = client.get(f"/checkins/{checkin.pk}/").content.decode()
    assert "Total <strong>34</strong>" in page
    assert "given on the client's phone" in page
    client.post(f"/checkins/{checkin.pk}/seen/")
    assert CheckIn.objects.get(pk=checkin.pk).seen_at is not None
    record = client.get(f"/clients/{own_client.pk}/").content.decode()
    assert "1 answered, 0 waiting, 0 no response" in record


def test_revoking_kills_the_links(client, owner, own_client):
    checkin = send(owner, own_client, "Alliance")
    raw, _ = room_token(owner, checkin)
    client.force_login(owner)
    client.post(f"/checkins/{checkin.pk}/revoke/")
    assert CheckIn.objects.get(pk=checkin.pk).state == CheckInState.REVOKED
    client.logout()
    assert client.get(f"/c/{raw}/").status_code == 404


def test_the_counselor_sets_own_rules_or_turns_them_off(client, owner, own_client):
    client.force_login(owner)
    url = f"/clients/{own_client.pk}/checkins/schedule/"
    bad = client.post(url, {"mode": "own", "rules": "Nonsense: 2"})
    assert "Unknown measure: Nonsense." in bad.content.decode()
    client.post(url, {"mode": "own", "rules": "GAD-7: 2"})
    schedule = CheckInSchedule.objects.get(client=own_client)
    assert (schedule.enabled, schedule.rules) == (True, [{"instrument": "GAD-7", "every": 2}])
    client.post(url, {"mode": "off"})
    schedule.refresh_from_db()
    assert schedule.enabled is False


def many_checkins(owner, person, count: int) -> None:
    for number in range(count):
        checkin = send(owner, person, "Alliance", "PHQ-9")
        if number % 2 == 0:
            for item in checkin.items.all():
                answers = dict.fromkeys(item.instrument.item_keys, 1)
                checkin_answer(checkin=checkin, item_id=item.pk, answers=answers)


def count_queries(client, url: str) -> int:
    client.get(url)  # the first request of a session also touches the session and sign-in rows
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_client_page_costs_the_same_for_1_and_50_check_ins(client, owner):
    small, large = ClientFactory(primary_counselor=owner), ClientFactory(primary_counselor=owner)
    many_checkins(owner, small, 1)
    many_checkins(owner, large, 50)
    client.force_login(owner)
    counts = (
        count_queries(client, f"/clients/{small.pk}/"),
        count_queries(client, f"/clients/{large.pk}/"),
    )
    print("client page queries at 1 and 50 check-ins:", counts)
    assert counts[0] == counts[1]


def test_the_caseload_costs_the_same_for_1_and_50_clients_with_check_ins(client, owner, colleague):
    many_checkins(owner, ClientFactory(primary_counselor=owner), 1)
    for _ in range(50):
        many_checkins(colleague, ClientFactory(primary_counselor=colleague), 1)
    client.force_login(owner)
    one = count_queries(client, "/caseload/")
    client.force_login(colleague)
    fifty = count_queries(client, "/caseload/")
    print("caseload queries at 1 and 50 clients with check-ins:", (one, fifty))
    assert one == fifty


def test_the_check_in_page_costs_the_same_for_1_and_3_measures(client, owner, own_client):
    small = send(owner, own_client, "Alliance")
    large = send(owner, own_client, "Alliance", "PHQ-9", "GAD-7")
    for checkin in (small, large):
        for item in checkin.items.all():
            answers = dict.fromkeys(item.instrument.item_keys, 1)
            checkin_answer(checkin=checkin, item_id=item.pk, answers=answers)
    client.force_login(owner)
    counts = (
        count_queries(client, f"/checkins/{small.pk}/"),
        count_queries(client, f"/checkins/{large.pk}/"),
    )
    print("check-in page queries at 1 and 3 measures:", counts)
    assert counts[0] == counts[1]


def test_the_counselors_rating_form_cannot_claim_the_clients_device(client, owner, own_client):
    client.force_login(owner)
    phq = instrument("PHQ-9")
    response = client.post(
        f"/clients/{own_client.pk}/ratings/new/?instrument={phq.pk}",
        {
            **{f"item_{key}": 1 for key in phq.item_keys},
            "administered_on": "2020-01-01",
            "mode": "device",
        },
    )
    assert response.status_code == 200
    assert not own_client.ratings.exists()
