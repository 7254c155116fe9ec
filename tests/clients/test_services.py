"""The client record services: what they change, what they refuse and what they audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import (
    Client,
    ClientStatus,
    ConsentKind,
    Coverage,
    GoalStatus,
    InformationCategory,
)
from clients.services import (
    client_create,
    client_set_status,
    client_transfer,
    client_update,
    consent_record,
    consent_revoke,
    coverage_add,
    disclosure_allowed,
    goal_create,
    goal_progress_add,
    goal_update,
    plan_review_due_on,
    plan_review_record,
)
from practice.audit.models import AuditEvent
from tests.factories import ConsentFactory, CounselorFactory, GoalFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(days: int) -> dt.date:
    return TODAY() - dt.timedelta(days=days)


def client_values(**overrides) -> dict:
    values = {
        "legal_first_name": "Grace",
        "legal_last_name": "Hopper",
        "date_of_birth": dt.date(1985, 12, 9),
        "email": "grace@client.test",
        "may_email": True,
        "intake_date": TODAY(),
    }
    return {**values, **overrides}


def close(client, actor):
    return client_set_status(actor=actor, client=client, status=ClientStatus.CLOSED)


def release(client, **values):
    defaults = {
        "kind": ConsentKind.RELEASE,
        "recipient_name": "Dr Jane Smith",
        "recipient_organisation": "City Clinic",
        "information": [InformationCategory.ATTENDANCE, InformationCategory.REFERRAL],
        "purpose": "Referral for continued care",
        "signed_on": days_ago(10),
        "expires_on": TODAY() + dt.timedelta(days=180),
    }
    return ConsentFactory(client=client, **{**defaults, **values})


# Clients --------------------------------------------------------------------------------------


def test_it_creates_a_client_with_the_counselor_and_audits_it(owner):
    client = client_create(actor=owner, primary_counselor=owner, **client_values())
    assert client.primary_counselor == owner
    assert client.status == ClientStatus.ACTIVE
    assert client.opened_on == TODAY()
    assert AuditEvent.objects.filter(
        client_id=client.pk, action=AuditEvent.Action.CREATE, actor=owner
    ).exists()


def test_it_refuses_a_date_of_birth_in_the_future(owner):
    with pytest.raises(ValidationError) as refused:
        client_create(
            actor=owner,
            primary_counselor=owner,
            **client_values(date_of_birth=TODAY() + dt.timedelta(days=1)),
        )
    assert "date_of_birth" in refused.value.message_dict
    assert not Client.objects.exists()


def test_it_refuses_email_permission_without_an_address(owner):
    with pytest.raises(ValidationError) as refused:
        client_create(actor=owner, primary_counselor=owner, **client_values(email=""))
    assert "email" in refused.value.message_dict


def test_it_refuses_an_inactive_primary_counselor(owner):
    gone = CounselorFactory(is_active=False)
    with pytest.raises(ValidationError, match="active counselor"):
        client_create(actor=owner, primary_counselor=gone, **client_values())


def test_it_derives_minor_status_from_the_date_of_birth(owner, policy):
    child = client_create(
        actor=owner,
        primary_counselor=owner,
        **client_values(date_of_birth=TODAY().replace(year=TODAY().year - 15)),
    )
    adult = client_create(actor=owner, primary_counselor=owner, **client_values())
    assert child.is_minor and not adult.is_minor


def test_it_updates_the_fields_that_changed_and_audits_them(owner, own_client):
    client_update(
        actor=owner,
        client=own_client,
        version=own_client.updated_at.isoformat(),
        **client_values(preferred_name="Gracie", email=own_client.email),
    )
    own_client.refresh_from_db()
    assert own_client.preferred_name == "Gracie"
    event = AuditEvent.objects.filter(
        client_id=own_client.pk, action=AuditEvent.Action.UPDATE
    ).latest("pk")
    assert "preferred_name" in event.summary


def test_it_refuses_an_edit_made_from_a_stale_page(owner, own_client):
    stale_version = own_client.updated_at.isoformat()
    client_update(actor=owner, client=own_client, version=stale_version, phone="555 0100")
    with pytest.raises(ValidationError, match="Someone changed this record"):
        client_update(actor=owner, client=own_client, version=stale_version, phone="555 0199")
    own_client.refresh_from_db()
    assert own_client.phone == "555 0100"


def test_a_closed_record_refuses_changes(owner, own_client):
    goal = GoalFactory(client=own_client)
    own_client = close(own_client, owner)
    with pytest.raises(ValidationError, match="closed and locked"):
        goal_update(actor=owner, goal=goal, status=GoalStatus.MET)
    with pytest.raises(ValidationError, match="closed and locked"):
        client_update(actor=owner, client=own_client, phone="555 0100")
    with pytest.raises(ValidationError, match="closed and locked"):
        goal_create(actor=owner, client=own_client, description="x", measure="y")
    with pytest.raises(ValidationError, match="closed and locked"):
        consent_record(
            actor=owner, client=own_client, kind=ConsentKind.TREATMENT, signed_on=TODAY()
        )
    with pytest.raises(ValidationError, match="closed and locked"):
        plan_review_record(actor=owner, client=own_client, reviewed_on=TODAY())


# Transfer and cover ---------------------------------------------------------------------------


def test_a_supervisor_transfers_a_supervisees_client(supervisor, owner, colleague, own_client):
    transfer = client_transfer(
        actor=supervisor, client=own_client, to_counselor=colleague, reason=" Owner on leave "
    )
    own_client.refresh_from_db()
    assert own_client.primary_counselor == colleague
    assert (transfer.from_counselor, transfer.to_counselor) == (owner, colleague)
    assert transfer.reason == "Owner on leave"
    assert AuditEvent.objects.filter(client_id=own_client.pk, actor=supervisor).exists()


def test_a_counselor_cannot_transfer_their_own_client(owner, colleague, own_client):
    with pytest.raises(ValidationError, match="Only a practice admin"):
        client_transfer(actor=owner, client=own_client, to_counselor=colleague, reason="Leaving")


def test_a_transfer_needs_another_counselor_and_a_reason(
    practice_admin, owner, colleague, own_client
):
    with pytest.raises(ValidationError) as same:
        client_transfer(actor=practice_admin, client=own_client, to_counselor=owner, reason="x")
    assert "to_counselor" in same.value.message_dict
    with pytest.raises(ValidationError) as no_reason:
        client_transfer(actor=practice_admin, client=own_client, to_counselor=colleague, reason=" ")
    assert "reason" in no_reason.value.message_dict


def test_cover_lets_the_colleague_change_the_record_for_those_dates(owner, colleague, own_client):
    coverage_add(
        actor=owner,
        client=own_client,
        counselor=colleague,
        starts_on=TODAY(),
        ends_on=TODAY() + dt.timedelta(days=14),
        reason="Annual leave",
    )
    assert Client.objects.editable_by(colleague).filter(pk=own_client.pk).exists()
    assert not Client.objects.editable_by(colleague, on=TODAY() + dt.timedelta(days=15)).filter(
        pk=own_client.pk
    )


def test_only_the_counselor_or_an_assigner_arranges_cover(colleague, supervisor, own_client):
    other = CounselorFactory()
    with pytest.raises(ValidationError, match="cannot arrange cover"):
        coverage_add(
            actor=colleague,
            client=own_client,
            counselor=other,
            starts_on=TODAY(),
            ends_on=TODAY(),
        )
    coverage_add(
        actor=supervisor, client=own_client, counselor=other, starts_on=TODAY(), ends_on=TODAY()
    )
    assert Coverage.objects.filter(client=own_client, counselor=other).exists()


def test_cover_cannot_end_before_it_starts(owner, colleague, own_client):
    with pytest.raises(ValidationError) as refused:
        coverage_add(
            actor=owner,
            client=own_client,
            counselor=colleague,
            starts_on=TODAY(),
            ends_on=days_ago(1),
        )
    assert "ends_on" in refused.value.message_dict


# Consents -------------------------------------------------------------------------------------


def test_it_records_a_release_and_audits_it(owner, own_client):
    consent = consent_record(
        actor=owner,
        client=own_client,
        kind=ConsentKind.RELEASE,
        signed_on=TODAY(),
        expiry_event="End of treatment",
        recipient_name="Dr Jane Smith",
        information=[InformationCategory.ATTENDANCE],
        purpose="Coordination of care",
    )
    assert consent.state_on(TODAY()) == "valid"
    assert AuditEvent.objects.filter(
        client_id=own_client.pk, object_type="clients.consent", object_id=str(consent.pk)
    ).exists()


def test_a_release_must_say_who_what_why_and_until_when(owner, own_client):
    with pytest.raises(ValidationError) as refused:
        consent_record(actor=owner, client=own_client, kind=ConsentKind.RELEASE, signed_on=TODAY())
    assert set(refused.value.message_dict) == {
        "recipient_name",
        "information",
        "purpose",
        "expires_on",
    }


def test_a_consent_cannot_expire_before_it_was_signed(owner, own_client):
    with pytest.raises(ValidationError) as refused:
        consent_record(
            actor=owner,
            client=own_client,
            kind=ConsentKind.TREATMENT,
            signed_on=days_ago(1),
            expires_on=days_ago(2),
        )
    assert refused.value.message_dict == {
        "expires_on": ["A consent cannot expire before it was signed."]
    }


def test_it_revokes_a_consent_once(owner, own_client):
    consent = ConsentFactory(client=own_client)
    consent_revoke(actor=owner, consent=consent, revoked_on=TODAY())
    consent.refresh_from_db()
    assert consent.state_on(TODAY()) == "revoked"
    with pytest.raises(ValidationError, match="already revoked"):
        consent_revoke(actor=owner, consent=consent, revoked_on=TODAY())


def test_a_revocation_cannot_predate_the_signature(owner, own_client):
    consent = ConsentFactory(client=own_client, signed_on=days_ago(5))
    with pytest.raises(ValidationError) as refused:
        consent_revoke(actor=owner, consent=consent, revoked_on=days_ago(6))
    assert "revoked_on" in refused.value.message_dict


def ask(client, name="Dr Jane Smith", information=InformationCategory.ATTENDANCE, **kwargs):
    return disclosure_allowed(client=client, recipient_name=name, information=information, **kwargs)


def test_disclosure_needs_a_release_naming_the_recipient(own_client):
    answer = ask(own_client)
    assert not answer.allowed
    assert answer.reason == "No release of information names Dr Jane Smith."


def test_disclosure_is_refused_under_an_expired_release(own_client):
    release(own_client, signed_on=days_ago(400), expires_on=days_ago(35))
    answer = ask(own_client)
    assert not answer.allowed
    assert "expired" in answer.reason


def test_disclosure_is_refused_under_a_revoked_release(own_client):
    release(own_client, revoked_on=days_ago(1))
    answer = ask(own_client)
    assert not answer.allowed
    assert "revoked" in answer.reason


def test_disclosure_is_refused_for_information_the_release_does_not_cover(own_client):
    release(own_client)
    answer = ask(own_client, information=InformationCategory.MEASURES)
    assert not answer.allowed
    assert "does not cover measure scores" in answer.reason


def test_disclosure_is_allowed_under_a_valid_release(own_client):
    consent = release(own_client)
    answer = ask(own_client, information=InformationCategory.REFERRAL)
    assert answer.allowed and answer.consent == consent


def test_disclosure_matches_names_whatever_the_case_and_spacing(own_client):
    release(own_client)
    answer = ask(own_client, name="  dr   JANE smith ", recipient_organisation="city  clinic")
    assert answer.allowed
    assert not ask(own_client, recipient_organisation="Town Clinic").allowed


# Goals and plan reviews -----------------------------------------------------------------------


def test_it_adds_a_goal_and_refuses_a_target_before_the_intake(owner, own_client):
    goal = goal_create(
        actor=owner, client=own_client, description=" Sleep better ", measure="Diary"
    )
    assert goal.description == "Sleep better" and goal.status == GoalStatus.ACTIVE
    with pytest.raises(ValidationError) as refused:
        goal_create(
            actor=owner,
            client=own_client,
            description="x",
            measure="y",
            target_date=own_client.intake_date - dt.timedelta(days=1),
        )
    assert "target_date" in refused.value.message_dict


def test_changing_a_goals_status_dates_the_change(owner, own_client):
    goal = GoalFactory(client=own_client)
    goal_update(actor=owner, goal=goal, status=GoalStatus.MET, description="Sleeps well")
    goal.refresh_from_db()
    assert (goal.status, goal.status_changed_on, goal.description) == (
        GoalStatus.MET,
        TODAY(),
        "Sleeps well",
    )


def test_progress_is_recorded_on_active_goals_only(owner, own_client):
    goal = GoalFactory(client=own_client)
    entry = goal_progress_add(
        actor=owner, goal=goal, note="Better week", recorded_on=TODAY(), rating=6
    )
    assert entry.rating == 6
    with pytest.raises(ValidationError) as out_of_range:
        goal_progress_add(actor=owner, goal=goal, note="x", recorded_on=TODAY(), rating=11)
    assert "rating" in out_of_range.value.message_dict
    with pytest.raises(ValidationError) as future:
        goal_progress_add(
            actor=owner, goal=goal, note="x", recorded_on=TODAY() + dt.timedelta(days=1)
        )
    assert "recorded_on" in future.value.message_dict
    goal_update(actor=owner, goal=goal, status=GoalStatus.DISCONTINUED)
    goal.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer active"):
        goal_progress_add(actor=owner, goal=goal, note="x", recorded_on=TODAY())


def test_a_plan_review_moves_the_next_due_date(owner, own_client, policy):
    assert plan_review_due_on(
        client=own_client, last_review_on=None, policy=policy
    ) == own_client.intake_date + dt.timedelta(days=policy.plan_review_interval_days)
    review = plan_review_record(actor=owner, client=own_client, reviewed_on=TODAY(), summary="Kept")
    assert plan_review_due_on(
        client=own_client, last_review_on=review.reviewed_on, policy=policy
    ) == TODAY() + dt.timedelta(days=policy.plan_review_interval_days)
    with pytest.raises(ValidationError) as future:
        plan_review_record(
            actor=owner, client=own_client, reviewed_on=TODAY() + dt.timedelta(days=1)
        )
    assert "reviewed_on" in future.value.message_dict
