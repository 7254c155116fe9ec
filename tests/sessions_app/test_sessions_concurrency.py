"""Two bookings of the same slot at the same moment: exactly one succeeds.

Runs on PostgreSQL, where the counselor's row lock really makes the second request wait."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import CounselingSession
from sessions_app.services import session_schedule
from tests.concurrency import race, raise_any
from tests.factories import ClientFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and two real connections; SQLite has neither",
    ),
]


def test_two_bookings_of_one_slot_at_once_give_exactly_one_session(owner):
    starts = (timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    clients = [ClientFactory(primary_counselor=owner) for _ in range(2)]
    browsers = []
    for _ in clients:
        browser = BrowserClient()
        browser.force_login(owner)
        browsers.append(browser)

    def book(browser, person, minutes_later: int):
        form = {
            "client": person.pk,
            "starts_at": (starts + dt.timedelta(minutes=minutes_later)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "50",
            "modality": "in_person",
            "kind": "regular",
        }
        return lambda: browser.post(reverse("session_new"), form)

    first, second = raise_any(
        race(book(browsers[0], clients[0], 0), book(browsers[1], clients[1], 30))
    )
    assert sorted([first.status_code, second.status_code]) == [200, 302]
    refused = first if first.status_code == 200 else second
    assert "already has a session" in refused.context["form"].errors["starts_at"][0]
    assert CounselingSession.objects.count() == 1


def test_many_bookings_of_one_slot_at_once_give_exactly_one_session(owner):
    starts = (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    clients = [ClientFactory(primary_counselor=owner) for _ in range(4)]

    def book(person):
        def call():
            try:
                session_schedule(
                    actor=owner,
                    counselor=owner,
                    client=person,
                    starts_at=starts,
                    duration_minutes=50,
                    modality="video",
                    kind="regular",
                )
            except ValidationError as error:
                return error.message_dict["starts_at"][0]
            return "booked"

        return call

    results = raise_any(race(*(book(person) for person in clients)))
    assert sorted(results)[-1] == "booked" and results.count("booked") == 1
    assert all("already has a session" in result for result in results if result != "booked")
    assert CounselingSession.objects.count() == 1
