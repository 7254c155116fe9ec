import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from practice.policy.models import CosignScope, PracticePolicy
from practice.staff.models import Supervision
from tests.factories import CounselorFactory, SupervisionFactory, SupervisorFactory

pytestmark = pytest.mark.django_db


def test_the_policy_starts_with_the_documented_defaults(policy):
    assert (
        policy.minimum_notice_days,
        policy.silent_client_days,
        policy.outreach_attempts_before_letter,
        policy.closing_summary_due_days,
    ) == (14, 30, 2, 15)
    assert policy.follow_up_offsets_days == [30, 90, 180]
    assert (
        policy.no_relationship_years,
        policy.retention_years,
        policy.note_signing_due_hours,
    ) == (5, 7, 72)
    assert (policy.closing_letter_referrals, policy.idle_logoff_minutes) == (3, 15)
    assert "988" in policy.crisis_resources


def test_production_requires_two_factor_from_the_start(settings):
    settings.MFA_REQUIRED_DEFAULT = True
    assert PracticePolicy().mfa_required is True


def test_there_is_only_ever_one_policy_row(policy):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticePolicy.objects.create(pk=2)
    assert PracticePolicy.current().pk == 1


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        ([90, 30], "ascending"),
        ([30, 30], "ascending"),
        ([0, 30], "positive"),
        (["x"], "positive"),
    ],
)
def test_follow_up_offsets_must_be_positive_and_ascending(policy, offsets, message):
    policy.follow_up_offsets_days = offsets
    with pytest.raises(ValidationError, match=message):
        policy.full_clean()


def test_retention_cannot_go_below_the_legal_minimum(policy):
    policy.retention_legal_minimum_years = 10
    policy.retention_years = 7
    with pytest.raises(ValidationError, match="legal minimum"):
        policy.full_clean()


def test_co_signing_applies_to_the_counselors_the_policy_names(policy):
    associate = CounselorFactory(notes_require_cosign=True)
    licensed = CounselorFactory()
    assert policy.needs_cosign(associate) and not policy.needs_cosign(licensed)
    policy.cosign_required_for = CosignScope.EVERYONE
    assert policy.needs_cosign(licensed)
    policy.cosign_required_for = CosignScope.NOBODY
    assert not policy.needs_cosign(associate)


def test_a_supervisee_may_have_several_supervisors_within_dates(owner):
    first, second = SupervisorFactory(), SupervisorFactory()
    today = timezone.localdate()
    SupervisionFactory(supervisor=first, supervisee=owner)
    SupervisionFactory(
        supervisor=second,
        supervisee=owner,
        starts_on=today - dt.timedelta(days=90),
        ends_on=today - dt.timedelta(days=1),
    )
    assert list(first.supervisees()) == [owner]
    assert list(second.supervisees()) == []
    assert second.supervises(owner, on=today - dt.timedelta(days=10))
    assert not second.supervises(owner)


@pytest.mark.parametrize("bad", ["self", "ends_before_start"])
def test_the_database_refuses_impossible_supervision(owner, bad):
    today = timezone.localdate()
    supervisor = owner if bad == "self" else SupervisorFactory()
    ends_on = today - dt.timedelta(days=1) if bad == "ends_before_start" else None
    with pytest.raises(IntegrityError), transaction.atomic():
        Supervision.objects.create(
            supervisor=supervisor, supervisee=owner, starts_on=today, ends_on=ends_on
        )
