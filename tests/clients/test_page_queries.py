"""Pages keep a constant number of queries however much the record holds."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import ClientTransfer, ConsentKind, Coverage, GoalProgress, PlanReview
from tests.factories import ClientFactory, ConsentFactory, CounselorFactory, GoalFactory

pytestmark = pytest.mark.django_db


def fill_record(client_record, owner, count: int) -> None:
    today = timezone.localdate()
    for number in range(count):
        goal = GoalFactory(client=client_record, description=f"Goal {number}")
        for days in range(3):
            GoalProgress.objects.create(
                goal=goal, note=f"Step {days}", rating=days, recorded_by=owner
            )
        ConsentFactory(
            client=client_record,
            kind=ConsentKind.RELEASE,
            recipient_name=f"Recipient {number}",
            information=["attendance"],
            purpose="Care",
        )
        other = CounselorFactory()
        ClientTransfer.objects.create(
            client=client_record,
            from_counselor=other,
            to_counselor=owner,
            transferred_on=today - dt.timedelta(days=number),
            reason=f"Reason {number}",
            recorded_by=owner,
        )
        Coverage.objects.create(
            client=client_record,
            counselor=other,
            starts_on=today,
            ends_on=today + dt.timedelta(days=7),
            recorded_by=owner,
        )
        PlanReview.objects.create(client=client_record, reviewed_by=owner, summary=f"R{number}")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_client_page_takes_the_same_queries_for_1_or_20_goals_consents_transfers(client, owner):
    small, large = ClientFactory(primary_counselor=owner), ClientFactory(primary_counselor=owner)
    fill_record(small, owner, 1)
    fill_record(large, owner, 20)
    client.force_login(owner)
    queries_for(client, reverse("client_detail", args=[small.pk]))  # warm the session and policy
    assert queries_for(client, reverse("client_detail", args=[small.pk])) == queries_for(
        client, reverse("client_detail", args=[large.pk])
    )
    assert "Recipient 19" in client.get(reverse("client_detail", args=[large.pk])).content.decode()


def test_the_search_page_takes_the_same_queries_for_1_or_20_clients(client, owner):
    ClientFactory(primary_counselor=owner, legal_last_name="Solo")
    for number in range(20):
        ClientFactory(primary_counselor=CounselorFactory(), legal_last_name=f"Many{number}")
        ClientFactory(primary_counselor=owner, legal_last_name=f"Many{number}")
    client.force_login(owner)
    url = reverse("client_search")
    queries_for(client, url)
    one = queries_for(client, url + "?q=solo")
    twenty = queries_for(client, url + "?q=many")
    assert one == twenty
