"""policy_update: the model's checks, one history row per changed value, an audit row."""

import pytest
from django.core.exceptions import ValidationError

from practice.administration.services import policy_update
from practice.audit.models import AuditEvent
from practice.policy.models import PolicyChange, PracticePolicy

pytestmark = pytest.mark.django_db


def test_it_records_who_changed_which_value_from_what_to_what(practice_admin, policy):
    history = policy_update(
        actor=practice_admin,
        changes={
            "minimum_notice_days": 21,
            "follow_up_offsets_days": [14, 60],
            "mfa_required": True,
            "cosign_required_for": "everyone",
            "silent_client_days": policy.silent_client_days,
        },
    )
    rows = {row.field: (row.old_value, row.new_value, row.changed_by) for row in history}
    assert rows == {
        "minimum_notice_days": ("14", "21", practice_admin),
        "follow_up_offsets_days": ("30, 90, 180", "14, 60", practice_admin),
        "mfa_required": ("off", "on", practice_admin),
        "cosign_required_for": (
            "Counselors marked as needing co-signing",
            "Every counselor",
            practice_admin,
        ),
    }
    assert PolicyChange.objects.count() == 4
    policy = PracticePolicy.current()
    assert (policy.minimum_notice_days, policy.follow_up_offsets_days) == (21, [14, 60])
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.UPDATE, object_type="practice.practicepolicy"
    )
    assert event.actor == practice_admin
    assert "minimum_notice_days" in event.summary and "21" not in event.summary


def test_it_writes_no_history_when_nothing_changed(practice_admin, policy):
    assert policy_update(actor=practice_admin, changes={"minimum_notice_days": 14}) == []
    assert not PolicyChange.objects.exists()
    assert not AuditEvent.objects.filter(object_type="practice.practicepolicy").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"follow_up_offsets_days": [90, 30]}, "follow_up_offsets_days", "ascending"),
        ({"follow_up_offsets_days": [0, 30]}, "follow_up_offsets_days", "positive"),
        ({"minimum_notice_days": 121}, "minimum_notice_days", "120"),
        (
            {"retention_legal_minimum_years": 10, "retention_years": 8},
            "retention_years",
            "legal minimum",
        ),
        ({"idle_logoff_minutes": 0}, "idle_logoff_minutes", "1"),
    ],
)
def test_it_refuses_values_the_model_does_not_allow(
    practice_admin, policy, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        policy_update(actor=practice_admin, changes=changes)
    assert message in " ".join(refused.value.message_dict[field])
    assert PracticePolicy.current().minimum_notice_days == 14
    assert PracticePolicy.current().follow_up_offsets_days == [30, 90, 180]
    assert not PolicyChange.objects.exists()


def test_it_accepts_retention_equal_to_the_legal_minimum_the_admin_enters(practice_admin, policy):
    policy_update(
        actor=practice_admin, changes={"retention_legal_minimum_years": 10, "retention_years": 10}
    )
    assert PracticePolicy.current().retention_years == 10


def test_it_refuses_a_save_from_a_page_opened_before_another_change(practice_admin, policy):
    opened_at = policy.updated_at.isoformat()
    policy_update(actor=practice_admin, changes={"minimum_notice_days": 10}, version=opened_at)
    with pytest.raises(ValidationError, match="Another admin changed the policy"):
        policy_update(actor=practice_admin, changes={"minimum_notice_days": 20}, version=opened_at)
    assert PracticePolicy.current().minimum_notice_days == 10


def test_it_lets_only_a_practice_admin_change_it(owner, policy):
    with pytest.raises(ValidationError, match="Only a practice admin"):
        policy_update(actor=owner, changes={"minimum_notice_days": 3})


def test_it_refuses_names_that_are_not_policy_values(practice_admin, policy):
    with pytest.raises(ValidationError, match="Not a policy value: logo"):
        policy_update(actor=practice_admin, changes={"logo": "x.png"})


def test_it_does_not_count_browser_line_endings_as_a_change(practice_admin, policy):
    as_sent = policy.crisis_resources.replace("\n", "\r\n")
    assert policy_update(actor=practice_admin, changes={"crisis_resources": as_sent}) == []
