"""Any text in any field of the schedule and move forms: never a 500, and typed values come back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app.models import CounselingSession, SessionStatus
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any text a browser could send (UTF-8 cannot carry lone surrogates).
typed = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
plausible_start = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)
).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))


def assert_typed_values_come_back(response, form: dict, fields: tuple[str, ...]) -> None:
    page = response.content.decode()
    for field in fields:
        value = form[field]
        if value.strip():
            assert escape(value) in page, f"{field}={value!r} was not kept"


@FAST
@given(
    client_value=st.one_of(typed, st.just("own")),
    starts_at=st.one_of(typed, plausible_start),
    duration=st.one_of(typed, st.integers(-10, 600).map(str)),
    modality=st.one_of(typed, st.sampled_from(["in_person", "video", "phone"])),
    kind=st.one_of(typed, st.sampled_from(["intake", "regular", "final"])),
)
def test_the_schedule_form_never_fails(
    client, owner, own_client, client_value, starts_at, duration, modality, kind
):
    client.force_login(owner)
    form = {
        "client": str(own_client.pk) if client_value == "own" else client_value,
        "starts_at": starts_at,
        "duration_minutes": duration,
        "modality": modality,
        "kind": kind,
    }
    before = CounselingSession.objects.count()
    response = client.post(reverse("session_new"), form)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert CounselingSession.objects.count() == before
        assert_typed_values_come_back(response, form, ("starts_at", "duration_minutes"))
    else:
        assert CounselingSession.objects.count() == before + 1


@FAST
@given(
    starts_at=st.one_of(typed, plausible_start),
    duration=st.one_of(typed, st.integers(-10, 600).map(str)),
    modality=typed,
)
def test_the_move_form_never_fails(client, owner, own_client, starts_at, duration, modality):
    session = SessionFactory(
        client=own_client,
        starts_at=timezone.now() + dt.timedelta(days=400),
        status=SessionStatus.SCHEDULED,
    )
    client.force_login(owner)
    form = {"starts_at": starts_at, "duration_minutes": duration, "modality": modality}
    response = client.post(reverse("session_reschedule", args=[session.pk]), form)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert_typed_values_come_back(response, form, ("starts_at", "duration_minutes"))


@FAST
@given(status=typed, reason=typed)
def test_the_outcome_form_never_fails(client, owner, own_client, status, reason):
    session = SessionFactory(client=own_client, status=SessionStatus.SCHEDULED)
    client.force_login(owner)
    response = client.post(
        reverse("session_status", args=[session.pk]), {"status": status, "reason": reason}
    )
    assert response.status_code in (200, 302)  # refused: the session page, the reason kept
