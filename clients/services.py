"""Every change to a client's record goes through these functions, and each is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import (
    Client,
    ClientStatus,
    ClientTransfer,
    Consent,
    ConsentKind,
    Coverage,
    Goal,
    GoalProgress,
    GoalStatus,
    InformationCategory,
    PlanReview,
)
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.policy.models import PracticePolicy
from practice.staff.models import User

CLIENT_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "may_write",
    "may_email",
    "language",
    "presenting_concerns",
    "intake_date",
)


def _in_english(summary: Callable[[], str]) -> str:
    """An audit summary that names a choice label: the log reads in one language."""
    with translation.override("en"):
        return summary()


def ensure_open(client: Client) -> None:
    """A closed record is locked: only addenda may be added."""
    if client.status == ClientStatus.CLOSED:
        raise ValidationError(
            _("This client's record is closed and locked. Add an addendum to a note instead.")
        )


def lock_open_client(client_pk: int) -> Client:
    """Lock the client row and check the record is open, so a change cannot slip in while
    the record is being closed."""
    client = Client.objects.select_for_update().get(pk=client_pk)
    ensure_open(client)
    return client


def ensure_unchanged_since(obj: Any, version: str | None) -> None:
    """Optimistic lock: refuse a change made from a stale page, so nothing is overwritten."""
    if version and obj.updated_at.isoformat() != version:
        raise ValidationError(
            _(
                "Someone changed this record after you opened it. Your text is kept below: "
                "compare it with the current record, then save again."
            )
        )


def _validate_client(values: dict) -> None:
    today = timezone.localdate()
    errors = {}
    born = values.get("date_of_birth")
    if born and born > today:
        errors["date_of_birth"] = _("The date of birth cannot be in the future.")
    elif born and born.year < today.year - 120:
        errors["date_of_birth"] = _("Check the year: that would make the client over 120.")
    intake = values.get("intake_date")
    if intake and born and intake < born:
        errors["intake_date"] = _("The intake cannot be before the client was born.")
    if intake and intake > today + dt.timedelta(days=365):
        errors["intake_date"] = _("The intake date is more than a year away.")
    if values.get("may_email") and not values.get("email"):
        errors["email"] = _("Add an email address, or untick “may we email”.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def client_create(
    *, actor: User, primary_counselor: User, request: HttpRequest | None = None, **values: Any
) -> Client:
    if not primary_counselor.is_counselor or not primary_counselor.is_active:
        raise ValidationError({"primary_counselor": _("Choose an active counselor.")})
    _validate_client(values)
    client = Client.objects.create(
        primary_counselor=primary_counselor,
        opened_on=values.get("intake_date") or timezone.localdate(),
        **{key: value for key, value in values.items() if key in CLIENT_FIELDS},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=client,
        client_id=client.pk,
        summary="Created client record",
        request=request,
    )
    return client


@transaction.atomic
def client_update(
    *,
    actor: User,
    client: Client,
    version: str | None = None,
    request: HttpRequest | None = None,
    **values: Any,
) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    ensure_open(client)
    ensure_unchanged_since(client, version)
    _validate_client(values)
    changed = [
        key for key in CLIENT_FIELDS if key in values and getattr(client, key) != values[key]
    ]
    for key in changed:
        setattr(client, key, values[key])
    client.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=client,
        client_id=client.pk,
        summary=f"Changed {', '.join(changed) or 'nothing'}",
        request=request,
    )
    return client


@transaction.atomic
def client_set_status(
    *,
    actor: User,
    client: Client,
    status: str,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Client:
    """The one place a client's status changes (the ending workflow calls it)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    old = client.status
    client.status = status
    if status == ClientStatus.CLOSED:
        client.closed_on = on or timezone.localdate()
    elif old == ClientStatus.CLOSED:
        client.closed_on = None
    client.save(update_fields=["status", "closed_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=client,
        client_id=client.pk,
        summary=_in_english(
            lambda: f"Status {ClientStatus(old).label} → {ClientStatus(status).label}"
        ),
        request=request,
    )
    return client


@transaction.atomic
def client_transfer(
    *,
    actor: User,
    client: Client,
    to_counselor: User,
    reason: str,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ClientTransfer:
    client = Client.objects.select_for_update().get(pk=client.pk)
    if not Client.objects.assignable_by(actor).filter(pk=client.pk).exists():
        raise ValidationError(
            _("Only a practice admin or the counselor's supervisor can transfer.")
        )
    if not (to_counselor.is_counselor and to_counselor.is_active):
        raise ValidationError({"to_counselor": _("Choose an active counselor.")})
    if to_counselor.pk == client.primary_counselor_id:
        raise ValidationError({"to_counselor": _("The client is already with this counselor.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the client is transferred.")})
    if on and on > timezone.localdate():
        raise ValidationError(
            {"transferred_on": _("A transfer takes effect at once: use today or an earlier date.")}
        )
    transfer = ClientTransfer.objects.create(
        client=client,
        from_counselor=client.primary_counselor,
        to_counselor=to_counselor,
        transferred_on=on or timezone.localdate(),
        reason=reason.strip(),
        recorded_by=actor,
    )
    client.primary_counselor = to_counselor
    client.save(update_fields=["primary_counselor", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=client,
        client_id=client.pk,
        summary=f"Transferred to {to_counselor}",
        request=request,
    )
    return transfer


@transaction.atomic
def coverage_add(
    *,
    actor: User,
    client: Client,
    counselor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Coverage:
    if not Client.objects.assignable_by(actor).filter(pk=client.pk).exists() and not (
        client.primary_counselor_id == actor.pk
    ):
        raise ValidationError(_("You cannot arrange cover for this client."))
    client = lock_open_client(client.pk)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Cover cannot end before it starts.")})
    if (
        counselor.pk == client.primary_counselor_id
        or not counselor.is_counselor
        or not counselor.is_active
    ):
        raise ValidationError({"counselor": _("Choose another counselor to cover.")})
    coverage = Coverage.objects.create(
        client=client,
        counselor=counselor,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=coverage,
        client_id=client.pk,
        summary=f"Cover by {counselor}",
        request=request,
    )
    return coverage


# Consents -------------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    client: Client,
    kind: str,
    signed_on: dt.date,
    expires_on: dt.date | None = None,
    request: HttpRequest | None = None,
    **values: Any,
) -> Consent:
    client = lock_open_client(client.pk)
    errors = {}
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("The signature date cannot be in the future.")
    if expires_on and expires_on < signed_on:
        errors["expires_on"] = _("A consent cannot expire before it was signed.")
    if kind == ConsentKind.RELEASE:
        if not values.get("recipient_name", "").strip():
            errors["recipient_name"] = _("Name who may receive the information.")
        if not values.get("information"):
            errors["information"] = _("Choose what information may be shared.")
        if not values.get("purpose", "").strip():
            errors["purpose"] = _("Say what the information is for.")
        if not expires_on and not values.get("expiry_event", "").strip():
            errors["expires_on"] = _("Give an expiry date or the event that ends the release.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        client=client,
        kind=kind,
        signed_on=signed_on,
        expires_on=expires_on,
        recorded_by=actor,
        **values,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=consent,
        client_id=client.pk,
        summary=_in_english(lambda: f"Recorded {consent.get_kind_display().lower()}"),
        request=request,
    )
    return consent


@transaction.atomic
def consent_revoke(
    *, actor: User, consent: Consent, revoked_on: dt.date, request: HttpRequest | None = None
) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_on:
        raise ValidationError(
            _("This consent was already revoked on %(date)s.") % {"date": _day(consent.revoked_on)}
        )
    if revoked_on < consent.signed_on:
        raise ValidationError(
            {"revoked_on": _("A consent cannot be revoked before it was signed.")}
        )
    if revoked_on > timezone.localdate():
        raise ValidationError(
            {"revoked_on": _("Record a revocation on or after the day it happens.")}
        )
    consent.revoked_on = revoked_on
    consent.save(update_fields=["revoked_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=consent,
        client_id=consent.client_id,
        summary="Revoked consent",
        request=request,
    )
    return consent


@dataclass(frozen=True)
class DisclosureAnswer:
    allowed: bool
    reason: str
    consent: Consent | None = None


def _day(day: dt.date) -> str:
    """A day in these messages: "05 Jan 2026" in English (the referral's stored note and its
    tests read so), with the month named in the active language."""
    return date_format(day, "d M Y")


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def disclosure_allowed(
    *,
    client: Client,
    recipient_name: str,
    information: str,
    recipient_organisation: str = "",
    on: dt.date | None = None,
) -> DisclosureAnswer:
    """May we disclose `information` (an InformationCategory) about `client` to this recipient
    on this day? Only a release naming the recipient, signed, unexpired, unrevoked, covering that
    information says yes; the answer says why not otherwise."""
    day = on or timezone.localdate()
    label = InformationCategory(information).label.lower()
    releases = [
        consent
        for consent in client.consents.filter(kind=ConsentKind.RELEASE)
        if _same(consent.recipient_name, recipient_name)
        and (
            not recipient_organisation
            or not consent.recipient_organisation
            or _same(consent.recipient_organisation, recipient_organisation)
        )
    ]
    if not releases:
        return DisclosureAnswer(
            False,
            _("No release of information names %(recipient)s.") % {"recipient": recipient_name},
        )
    valid = [consent for consent in releases if consent.state_on(day) == "valid"]
    if not valid:
        latest = max(releases, key=lambda consent: consent.signed_on)
        state = latest.state_on(day)
        if state == "revoked":
            reason = _("The release to %(recipient)s revoked on %(date)s.") % {
                "recipient": recipient_name,
                "date": _day(latest.revoked_on),
            }
        elif state == "expired":
            reason = _("The release to %(recipient)s expired on %(date)s.") % {
                "recipient": recipient_name,
                "date": _day(latest.expires_on),
            }
        else:
            reason = _("The release to %(recipient)s not yet signed.") % {
                "recipient": recipient_name
            }
        return DisclosureAnswer(False, reason, latest)
    covering = [consent for consent in valid if information in consent.information]
    if not covering:
        return DisclosureAnswer(
            False,
            _("The release to %(recipient)s does not cover %(information)s.")
            % {"recipient": recipient_name, "information": label},
            valid[0],
        )
    return DisclosureAnswer(
        True,
        _("Release signed %(date)s covers %(information)s.")
        % {"date": _day(covering[0].signed_on), "information": label},
        covering[0],
    )


# Goals and plan reviews -----------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *,
    actor: User,
    client: Client,
    description: str,
    measure: str,
    target_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Goal:
    client = lock_open_client(client.pk)
    if target_date and target_date < client.intake_date:
        raise ValidationError({"target_date": _("The target date is before the intake.")})
    goal = Goal.objects.create(
        client=client,
        description=description.strip(),
        measure=measure.strip(),
        target_date=target_date,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=goal,
        client_id=client.pk,
        summary="Added a treatment goal",
        request=request,
    )
    return goal


@transaction.atomic
def goal_update(
    *, actor: User, goal: Goal, request: HttpRequest | None = None, **values: Any
) -> Goal:
    lock_open_client(goal.client_id)
    goal = Goal.objects.select_for_update().select_related("client").get(pk=goal.pk)
    if values.get("target_date") and values["target_date"] < goal.client.intake_date:
        raise ValidationError({"target_date": _("The target date is before the intake.")})
    new_status = values.pop("status", goal.status)
    for key in ("description", "measure", "target_date"):
        if key in values:
            setattr(goal, key, values[key])
    if new_status != goal.status:
        goal.status = new_status
        goal.status_changed_on = timezone.localdate()
    goal.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=goal,
        client_id=goal.client_id,
        summary=_in_english(lambda: f"Updated goal (status {goal.get_status_display().lower()})"),
        request=request,
    )
    return goal


@transaction.atomic
def goal_progress_add(
    *,
    actor: User,
    goal: Goal,
    note: str,
    recorded_on: dt.date,
    rating: int | None = None,
    request: HttpRequest | None = None,
) -> GoalProgress:
    lock_open_client(goal.client_id)
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("Progress cannot be recorded for a future day.")})
    if rating is not None and not 0 <= rating <= 10:
        raise ValidationError({"rating": _("Use a number from 0 to 10.")})
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("This goal is no longer active; reopen it to record progress."))
    entry = GoalProgress.objects.create(
        goal=goal, note=note.strip(), recorded_on=recorded_on, rating=rating, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=entry,
        client_id=goal.client_id,
        summary="Recorded goal progress",
        request=request,
    )
    return entry


@transaction.atomic
def plan_review_record(
    *,
    actor: User,
    client: Client,
    reviewed_on: dt.date,
    summary: str = "",
    request: HttpRequest | None = None,
) -> PlanReview:
    client = lock_open_client(client.pk)
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    review = PlanReview.objects.create(
        client=client, reviewed_on=reviewed_on, summary=summary.strip(), reviewed_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=review,
        client_id=client.pk,
        summary="Reviewed the treatment plan",
        request=request,
    )
    return review


def plan_review_due_on(
    *, client: Client, last_review_on: dt.date | None, policy: PracticePolicy
) -> dt.date:
    """The next plan review: the policy interval after the last review (or the intake)."""
    return plan_review_due_from(
        intake_date=client.intake_date, last_review_on=last_review_on, policy=policy
    )


def plan_review_due_from(
    *, intake_date: dt.date, last_review_on: dt.date | None, policy: PracticePolicy
) -> dt.date:
    """plan_review_due_on for a page that reads plain rows rather than clients."""
    return (last_review_on or intake_date) + dt.timedelta(days=policy.plan_review_interval_days)


def plan_review_due_condition(policy: PracticePolicy, today: dt.date) -> Q:
    """Whether plan_review_due_from(...) <= today, as a condition on clients (for pages that
    count them in the database): the last review, or the intake if there is none, is at least
    the policy's interval before today."""
    cutoff = today - dt.timedelta(days=policy.plan_review_interval_days)
    last_review = Subquery(
        PlanReview.objects.filter(client=OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    return Q(LessThanOrEqual(Coalesce(last_review, F("intake_date")), cutoff))
