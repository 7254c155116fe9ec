"""A rating recorded for a past session is dated on that session's day unless the counselor
says otherwise; a date far from the session's is pointed out."""

import datetime as dt

import pytest
from django.utils import timezone

from sessions_app.models import Rating
from sessions_app.rating_dates import FAR_FROM_SESSION_DAYS, rating_date, rating_date_warning
from tests.factories import SessionFactory
from tests.sessions_app.test_ratings import phq9_post, rating_url

pytestmark = pytest.mark.django_db


def past_session(client, days_ago: int):
    return SessionFactory(client=client, starts_at=timezone.now() - dt.timedelta(days=days_ago))


def test_the_form_offers_the_sessions_day(client, owner, own_client):
    session = past_session(own_client, 20)
    client.force_login(owner)
    response = client.get(rating_url(own_client, "PHQ-9", session=session.pk))
    assert (
        response.context["form"].initial["administered_on"]
        == timezone.localtime(session.starts_at).date()
    )


def test_left_empty_a_rating_takes_its_sessions_day(client, owner, own_client, policy):
    session = past_session(own_client, 20)
    client.force_login(owner)
    client.post(
        rating_url(own_client, "PHQ-9"),
        phq9_post(9, administered_on="", session=str(session.pk)),
    )
    rating = Rating.objects.get()
    assert rating.administered_on == timezone.localtime(session.starts_at).date()


def test_left_empty_without_a_session_a_rating_is_dated_today(own_client):
    assert rating_date(given=None, session=None) == timezone.localdate()


def test_a_date_far_from_the_session_is_pointed_out(client, owner, own_client, policy):
    session = past_session(own_client, 20)
    client.force_login(owner)
    response = client.post(
        rating_url(own_client, "PHQ-9"),
        phq9_post(9, session=str(session.pk)),  # dated today: 20 days after the session
        follow=True,
    )
    assert "20 days from its session" in response.content.decode()


@pytest.mark.parametrize(
    ("gap", "warned"), [(FAR_FROM_SESSION_DAYS, False), (FAR_FROM_SESSION_DAYS + 1, True)]
)
def test_the_warning_starts_past_a_week(own_client, gap, warned):
    session = past_session(own_client, 30)
    held = timezone.localtime(session.starts_at).date()
    assert bool(rating_date_warning(given=held + dt.timedelta(days=gap), session=session)) is warned
    assert bool(rating_date_warning(given=held - dt.timedelta(days=gap), session=session)) is warned
