"""The review board counts clients in the database with conditions that restate the per-client
rules the lists use (is_silent, plan_review_due_from, is_off_track). At each rule's edges the two
agree, client by client."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from clients.models import Client, ClientStatus, PlanReview
from clients.selectors import is_silent
from clients.services import plan_review_due_condition, plan_review_due_from
from practice.caseload.selectors import with_caseload_facts
from practice.supervision.selectors import is_off_track, off_track_condition
from sessions_app.models import SessionStatus
from sessions_app.selectors import measure_summaries, silent_condition
from tests.factories import ClientFactory, SessionFactory
from tests.supervision.builders import attend, phq9, rate

pytestmark = pytest.mark.django_db


def counted(condition) -> set[int]:
    return set(Client.objects.filter(condition).values_list("pk", flat=True))


def test_silence_is_the_same_in_the_database_at_its_edges(owner, policy):
    now = timezone.now()
    days = dt.timedelta(days=policy.silent_client_days)
    minute = dt.timedelta(minutes=1)
    people = {}

    def person(name, *, intake_days_ago=120, sessions=()):
        client = ClientFactory(
            primary_counselor=owner,
            intake_date=timezone.localdate(now) - dt.timedelta(days=intake_days_ago),
        )
        for starts_at, status in sessions:
            SessionFactory(client=client, starts_at=starts_at, status=status)
        people[name] = client.pk

    attended, scheduled = SessionStatus.ATTENDED, SessionStatus.SCHEDULED
    person("seen just past the days", sessions=[(now - days - minute, attended)])
    person("seen just within them", sessions=[(now - days + minute, attended)])
    person("seen on the threshold", sessions=[(now - days, attended)])
    person(
        "old session, booked ahead", sessions=[(now - 3 * days, attended), (now + days, scheduled)]
    )
    person(
        "booked in the past only", sessions=[(now - 3 * days, attended), (now - minute, scheduled)]
    )
    person(
        "missed lately",
        sessions=[(now - 3 * days, attended), (now - minute, SessionStatus.NO_SHOW)],
    )
    person("never seen, intake long ago", intake_days_ago=policy.silent_client_days + 1)
    person("never seen, intake on the day", intake_days_ago=policy.silent_client_days)
    person("never seen, new", intake_days_ago=2)

    rows = with_caseload_facts(Client.objects.all(), policy, now)
    by_rule = {
        client.pk
        for client in rows
        if is_silent(
            last_session_at=client.last_session_at,
            next_session_at=client.next_session_at,
            intake_date=client.intake_date,
            policy=policy,
            now=now,
        )
    }
    assert counted(silent_condition(policy, now)) == by_rule
    silent = {name for name, pk in people.items() if pk in by_rule}
    assert silent == {
        "seen just past the days",
        "booked in the past only",
        "missed lately",
        "never seen, intake long ago",
    }


def test_a_plan_review_is_due_the_same_in_the_database_at_its_edges(owner, policy):
    today = timezone.localdate()
    interval = policy.plan_review_interval_days
    expected_due = set()

    def person(*, intake_days_ago, reviews=(), due):
        client = ClientFactory(
            primary_counselor=owner, intake_date=today - dt.timedelta(days=intake_days_ago)
        )
        for days_ago in reviews:
            PlanReview.objects.create(
                client=client, reviewed_by=owner, reviewed_on=today - dt.timedelta(days=days_ago)
            )
        if due:
            expected_due.add(client.pk)

    person(intake_days_ago=interval, due=True)  # due today
    person(intake_days_ago=interval - 1, due=False)
    person(intake_days_ago=400, reviews=[interval], due=True)
    person(intake_days_ago=400, reviews=[interval - 1], due=False)
    person(intake_days_ago=400, reviews=[300, interval - 1], due=False)  # the latest counts
    person(intake_days_ago=400, reviews=[interval + 1, 300], due=True)

    rows = with_caseload_facts(Client.objects.all(), policy, timezone.now())
    by_rule = {
        client.pk
        for client in rows
        if plan_review_due_from(
            intake_date=client.intake_date,
            last_review_on=client.last_plan_review_on,
            policy=policy,
        )
        <= today
    }
    assert by_rule == expected_due
    assert counted(plan_review_due_condition(policy, today)) == expected_due


@pytest.mark.parametrize("after_sessions", [0, 2, 6])
def test_off_track_is_the_same_in_the_database(owner, policy, after_sessions):
    policy.off_track_after_sessions = after_sessions
    policy.save()
    worse = ClientFactory(primary_counselor=owner)
    rate(worse, "PHQ-9", phq9(1), days_ago=30)
    rate(worse, "PHQ-9", phq9(2), days_ago=2)
    for sessions in (1, 3, 7):
        same = ClientFactory(primary_counselor=owner)
        attend(same, sessions)
        rate(same, "PHQ-9", phq9(1), days_ago=30)
        rate(same, "PHQ-9", phq9(1), days_ago=2)
    better = ClientFactory(primary_counselor=owner)
    attend(better, 7)
    rate(better, "PHQ-9", phq9(2), days_ago=30)
    rate(better, "PHQ-9", phq9(0), days_ago=2)
    ClientFactory(primary_counselor=owner, status=ClientStatus.ACTIVE)  # nothing rated

    rows = with_caseload_facts(Client.objects.all(), policy, timezone.now())
    summaries = measure_summaries([client.pk for client in rows])
    by_rule = {
        client.pk
        for client in rows
        if is_off_track(summaries[client.pk].outcomes, client.attended_count, policy)
    }
    assert worse.pk in by_rule and better.pk not in by_rule
    assert len(by_rule) == 1 + sum(sessions >= after_sessions for sessions in (1, 3, 7))
    assert counted(Q(off_track_condition(policy))) == by_rule
