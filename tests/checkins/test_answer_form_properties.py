"""Hypothesis on the client's answer form: whatever is posted, never a server error, nothing
recorded unless every answer is valid, and every valid answer sent is shown checked again."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app.models import Rating
from tests.checkins.helpers import room_token, send

pytestmark = pytest.mark.django_db

KEYS = [f"item_phq{i}" for i in range(1, 10)]
SCALE = {"0", "1", "2", "3"}
values = st.one_of(
    st.integers(min_value=-5, max_value=8).map(str),
    st.text(max_size=12),
    st.just(""),
    st.sampled_from(["0", "1", "2", "3", " 2", "3.0", "１", "9" * 30]),
)
posts = st.dictionaries(
    st.sampled_from([*KEYS, "item", "item_phq10", "mode", "csrfmiddlewaretoken"]), values
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=posts)
def test_any_post_is_answered_without_error_and_keeps_valid_answers(
    client, owner, own_client, data
):
    cache.clear()
    checkin = send(owner, own_client, "PHQ-9")
    raw, _ = room_token(owner, checkin)
    item = str(checkin.items.get().pk)
    data = {key: value.replace("\x00", "") for key, value in data.items()}
    response = client.post(f"/c/{raw}/", {**data, "item": item})
    assert response.status_code in (200, 302)
    valid = {key: value for key, value in data.items() if key in KEYS and value in SCALE}
    recorded = Rating.objects.filter(client=own_client).exists()
    assert recorded == (len(valid) == 9)
    if not recorded:
        page = response.content.decode()
        checked = dict(re.findall(r'name="(item_phq\d)" value="(\d)"[^>]*checked', page))
        assert checked == valid


follow_up_posts = st.fixed_dictionaries(
    {},
    optional={
        "compared_to_end": st.one_of(
            st.sampled_from(["better", "same", "worse"]), st.text(max_size=8)
        ),
        "wants_to_talk": st.one_of(st.sampled_from(["yes", "no"]), st.text(max_size=5)),
        "message": st.text(max_size=300),
    },
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=follow_up_posts)
def test_the_follow_up_questions_never_fail_and_keep_what_was_typed(
    client, owner, own_client, data
):
    from sessions_app.checkins.models import CheckIn, CheckInPurpose, CheckInState
    from sessions_app.checkins.services import checkin_send

    cache.clear()
    checkin = checkin_send(
        actor=None,
        client=own_client,
        instruments=[],
        channel="in_room",
        purpose=CheckInPurpose.FOLLOW_UP,
    )
    raw, _ = room_token(owner, checkin)
    data = {key: value.replace("\x00", "") for key, value in data.items()}
    response = client.post(f"/c/{raw}/", {**data, "item": "end"})
    assert response.status_code == 200
    valid = data.get("compared_to_end") in {"better", "same", "worse"} and data.get(
        "wants_to_talk"
    ) in {"yes", "no"}
    completed = CheckIn.objects.get(pk=checkin.pk).state == CheckInState.COMPLETED
    assert completed == valid
    page = response.content.decode()
    if not valid:
        assert "Some questions are not answered yet" in page
        for key in ("compared_to_end", "wants_to_talk"):
            if data.get(key) in {"better", "same", "worse", "yes", "no"}:
                assert re.search(rf'name="{key}" value="{data[key]}"[^>]*checked', page)
        if data.get("message"):
            assert escape(data["message"]) in page
