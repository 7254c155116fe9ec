"""seed_demo_history: former clients whose closed endings the reports can count."""

import pytest

from practice.demo.history import seed_history
from practice.management.commands.seed_demo import seed_staff
from practice.reports.selectors.endings import endings_figures
from practice.reports.selectors.outcomes import outcome_figures
from practice.staff.models import User
from sessions_app.models import CounselingSession
from termination.models import FollowUp, Termination
from tests.reports.conftest import filters_for
from tests.reports.handbuilt import TODAY

pytestmark = pytest.mark.django_db


def test_it_adds_closed_endings_with_sessions_ratings_and_follow_ups(policy):
    seed_staff()
    assert seed_history(former_clients=12, today=TODAY, sessions_each=5) == 12
    assert Termination.objects.filter(state__in=["closed", "reopened"]).count() == 12
    assert CounselingSession.objects.filter(kind__in=["intake", "regular"]).count() == 60
    assert FollowUp.objects.count() == 12 * len(policy.follow_up_offsets_days)
    admin = User.objects.get(username="admin")
    counted = endings_figures(filters_for(admin), policy)
    assert counted.pooled.total == 12
    (phq,) = [m for m in outcome_figures(filters_for(admin)) if m.instrument.short_name == "PHQ-9"]
    assert phq.pooled().classified == 12


def test_it_tells_the_same_story_from_the_same_seed(policy):
    seed_staff()
    seed_history(former_clients=4, today=TODAY, seed=5)
    first = list(Termination.objects.order_by("pk").values_list("kind", "reason", "ended_on"))
    seed_history(former_clients=4, today=TODAY, seed=5)
    second = list(Termination.objects.order_by("pk").values_list("kind", "reason", "ended_on"))
    assert second[4:] == first
