"""The client's page: no-store everywhere, nothing from another site, one instrument per screen
with "n of N", every radio labelled, answers kept when one is missing, the crisis resources at
once for PHQ-9 item 9 (and the counselor alerted through the alliance alerts' path), and a
one-click opt-out that is never contacted again."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from practice.audit.models import AuditEvent
from practice.reminders.models import Notification, ReminderKind
from sessions_app.checkins.models import (
    CheckIn,
    CheckInEvent,
    CheckInOptOut,
    CheckInState,
)
from sessions_app.models import Rating, RatingMode
from tests.checkins.helpers import alliance, phq9, post_step, room_token, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def assert_no_store(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def assert_nothing_from_elsewhere(page: str) -> None:
    for url in re.findall(r'(?:src|href|action)="([^"]+)"', page):
        assert url.startswith(("/", "#")), url
    assert "<script" not in page  # works with JavaScript off: there is none


def test_every_client_page_says_no_store_and_loads_nothing_from_elsewhere(
    client, owner, own_client
):
    checkin = send(owner, own_client, "Alliance", "PHQ-9", "GAD-7")
    raw, _ = room_token(owner, checkin)
    responses = [
        client.get("/c/"),
        client.post("/c/", {"code": "nope"}),
        client.get(f"/c/{raw}/"),
        post_step(client, raw, {}),
        client.get("/c/" + "B" * 43 + "/"),
    ]
    post_step(client, raw, alliance())
    post_step(client, raw, phq9())
    responses.append(post_step(client, raw, {f"item_gad{i}": 0 for i in range(1, 8)}))
    assert "Thank you" in responses[-1].content.decode()
    other = send(owner, own_client, "Alliance")
    other_raw, _ = room_token(owner, other)
    responses.append(client.post(f"/c/{other_raw}/stop/"))
    for response in responses:
        assert_no_store(response)
        assert_nothing_from_elsewhere(response.content.decode())


def test_one_instrument_per_screen_with_progress_and_a_label_on_every_radio(
    client, owner, own_client
):
    checkin = send(owner, own_client, "Alliance", "PHQ-9", "GAD-7")
    raw, _ = room_token(owner, checkin)
    first = client.get(f"/c/{raw}/").content.decode()
    assert "1 of 3" in first
    assert first.count('type="radio"') == 4 * 11  # four alliance items, 0 to 10
    assert "phq1" not in first
    ids = re.findall(r'<input type="radio"[^>]* id="([^"]+)"', first)
    assert len(ids) == 44
    for radio_id in ids:
        assert f'<label class="choice" for="{radio_id}">' in first
    post_step(client, raw, alliance())
    second = client.get(f"/c/{raw}/").content.decode()
    assert "2 of 3" in second
    assert "Little interest or pleasure in doing things" in second
    assert "Several days" in second


def test_a_missing_answer_keeps_the_others_and_says_which(client, owner, own_client):
    checkin = send(owner, own_client, "PHQ-9")
    raw, _ = room_token(owner, checkin)
    answers = phq9(rest=2)
    del answers["item_phq4"]
    response = post_step(client, raw, answers)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some questions are not answered yet" in page
    assert "Choose an answer to this question." in page
    checked = dict(re.findall(r'name="item_(phq\d)" value="(\d)"[^>]*checked', page))
    assert checked == {key.removeprefix("item_"): str(value) for key, value in answers.items()}
    assert not Rating.objects.filter(client=own_client).exists()


def test_answers_become_ratings_given_on_the_clients_device(client, owner, own_client):
    checkin = send(owner, own_client, "Alliance")
    raw, _ = room_token(owner, checkin)
    post_step(client, raw, alliance(9))
    rating = Rating.objects.get(client=own_client)
    assert rating.mode == RatingMode.DEVICE
    assert rating.given_at is not None
    assert rating.total == 36
    assert rating.entered_by == owner
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.COMPLETED
    kinds = list(checkin.events.values_list("kind", flat=True))
    assert kinds == ["sent", "shown", "opened", "answered", "completed"]
    audited = AuditEvent.objects.filter(client_id=own_client.pk, object_type="sessions_app.checkin")
    assert audited.count() == 5
    assert audited.filter(actor__isnull=True, actor_username="client device").count() == 3
    # The counselor hears of new answers before the session (in the app).
    assert Notification.objects.filter(
        kind=ReminderKind.CHECKIN_ANSWERED, object_id=checkin.pk, recipient=owner
    ).exists()


def test_item_nine_shows_crisis_resources_at_once_and_alerts_counselor_and_supervisor(
    client, owner, supervisor, own_client, policy
):
    checkin = send(owner, own_client, "PHQ-9", "Alliance")
    raw, _ = room_token(owner, checkin)
    response = post_step(client, raw, phq9(item_nine=1))
    follow = client.get(response["Location"]).content.decode()
    assert "If you are thinking about harming yourself" in follow
    assert "988" in follow
    alerts = Notification.objects.filter(kind=ReminderKind.CHECKIN_RISK)
    assert {alert.recipient for alert in alerts} == {owner, supervisor}
    assert all("Lovelace" not in alert.title and "Ada" not in alert.title for alert in alerts)
    done = post_step(client, raw, alliance()).content.decode()
    assert "If you are thinking about harming yourself" in done


def test_without_item_nine_there_is_no_crisis_box_and_no_alert(client, owner, own_client):
    checkin = send(owner, own_client, "PHQ-9")
    raw, _ = room_token(owner, checkin)
    done = post_step(client, raw, phq9(item_nine=0, rest=3)).content.decode()
    assert "If you are thinking about harming yourself" not in done
    assert not Notification.objects.filter(kind=ReminderKind.CHECKIN_RISK).exists()


def test_a_risk_alert_goes_to_the_supervisor_when_the_counselor_has_left(
    client, owner, supervisor, own_client, policy
):
    policy.risk_alert_to_supervisor = False
    policy.save()
    checkin = send(owner, own_client, "PHQ-9")
    raw, _ = room_token(owner, checkin)
    owner.is_active = False
    owner.save()
    post_step(client, raw, phq9(item_nine=2))
    recipients = {n.recipient for n in Notification.objects.filter(kind=ReminderKind.CHECKIN_RISK)}
    assert recipients == {supervisor}


def test_one_click_stops_every_check_in_for_good(client, owner, own_client):
    first = send(owner, own_client, "Alliance")
    second = send(owner, own_client, "PHQ-9")
    raw, _ = room_token(owner, first)
    second_raw, _ = room_token(owner, second)
    page = client.post(f"/c/{raw}/stop/").content.decode()
    assert "You will not be contacted again" in page
    assert CheckInOptOut.objects.filter(client=own_client).exists()
    assert set(CheckIn.objects.values_list("state", flat=True)) == {CheckInState.REVOKED}
    assert client.get(f"/c/{second_raw}/").status_code == 404
    assert CheckInEvent.objects.filter(kind=CheckInEvent.Kind.OPTED_OUT).count() == 1
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="asked not to receive"):
        send(owner, own_client, "Alliance")


def test_a_session_check_in_dies_when_the_record_closes(client, owner, own_client):
    from clients.models import ClientStatus
    from clients.services import client_set_status

    checkin = send(owner, own_client, "Alliance")
    raw, _ = room_token(owner, checkin)
    client_set_status(actor=owner, client=own_client, status=ClientStatus.CLOSED)
    assert client.get(f"/c/{raw}/").status_code == 404
    assert not Rating.objects.filter(client=own_client).exists()


def test_the_clients_page_costs_the_same_for_1_and_3_measures(client, owner, own_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for names in (("PHQ-9",), ("Alliance", "PHQ-9", "GAD-7")):
        checkin = send(owner, own_client, *names)
        raw, _ = room_token(owner, checkin)
        client.get(f"/c/{raw}/")  # the first opening is recorded once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/c/{raw}/").status_code == 200
        counts.append(len(captured))
    print("client page queries at 1 and 3 measures:", counts)
    assert counts[0] == counts[1]
