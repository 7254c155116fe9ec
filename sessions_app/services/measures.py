"""Recording ratings (and the alliance alerts they raise) and managing the instrument library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from clients.models import Client
from clients.services import ensure_open
from practice.audit import audit_record
from practice.models import AuditEvent, PracticePolicy, User

from ..models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    InstrumentKind,
    Rating,
    RatingMode,
)
from ..scoring import alliance_alert_reason, score


def alliance_cutoff(instrument: Instrument, policy: PracticePolicy) -> Decimal:
    """An instrument's own cutoff where it has one (a licensed one), else the policy's."""
    if instrument.clinical_cutoff is not None:
        return instrument.clinical_cutoff
    return Decimal(policy.alliance_cutoff)


@transaction.atomic
def rating_record(
    *,
    actor: User,
    client: Client,
    instrument: Instrument,
    answers: dict[str, Any],
    administered_on: dt.date,
    session: CounselingSession | None = None,
    mode: str = "counselor",
    given_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Rating:
    client = Client.objects.select_for_update().get(pk=client.pk)
    on_device = mode == RatingMode.DEVICE
    # On the client's own device the check-in's token is the permission (checked by
    # sessions_app/checkins/services.py), and a follow-up comes after the record closed.
    if not on_device:
        ensure_open(client)
        if not Client.objects.editable_by(actor).filter(pk=client.pk).exists():
            raise ValidationError("Only the client's counselor can record a rating.")
    if not instrument.is_enabled:
        raise ValidationError({"instrument": "This measure is switched off for the practice."})
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": "A rating cannot be dated in the future."})
    if session is not None and session.client_id != client.pk:
        raise ValidationError({"session": "That session is not with this client."})
    result = score(instrument, answers)
    previous = (
        Rating.objects.filter(
            client=client, instrument=instrument, administered_on__lte=administered_on
        )
        .order_by("-administered_on", "-created_at")
        .first()
    )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                instrument=instrument,
                client=client,
                session=session,
                administered_on=administered_on,
                mode=mode,
                given_at=given_at if on_device else None,
                entered_by=actor,
                answers={key: int(answers[key]) for key in instrument.item_keys},
                risk_endorsed=any(
                    int(answers[key]) > instrument.scale_min for key in instrument.risk_items
                ),
                total=result.total,
                subscale_scores={name: str(value) for name, value in result.subscales.items()},
            )
    except IntegrityError:
        raise ValidationError(
            {"session": "This measure is already recorded for that session."}
        ) from None
    if instrument.kind == InstrumentKind.ALLIANCE:
        alert = _raise_alliance_alert(rating, previous)
        if alert is not None:  # sent at once after commit (practice/reminders/alerts.py)
            from practice.reminders.alerts import queue_alliance_alert

            transaction.on_commit(lambda: queue_alliance_alert(alert.pk))
    audit_record(
        actor=None if on_device else actor,
        action=AuditEvent.Action.CREATE,
        obj=rating,
        client_id=client.pk,
        summary=f"Recorded {instrument.short_name}"
        + (" (client's own device)" if on_device else ""),
        request=request,
        username="client device" if on_device else "",
    )
    return rating


def _raise_alliance_alert(rating: Rating, previous: Rating | None) -> AllianceAlert | None:
    policy = PracticePolicy.current()
    cutoff = alliance_cutoff(rating.instrument, policy)
    reason = alliance_alert_reason(
        total=rating.total,
        previous_total=previous.total if previous else None,
        cutoff=cutoff,
        drop_points=policy.alliance_drop_points,
    )
    if reason is None:
        return None
    repeated = previous is not None and AllianceAlert.objects.filter(rating=previous).exists()
    return AllianceAlert.objects.create(
        rating=rating,
        client=rating.client,
        reason=reason,
        cutoff=cutoff,
        previous_total=previous.total if previous else None,
        repeated=repeated,
    )


def _validate_instrument(spec: dict[str, Any]) -> None:
    errors = {}
    items = spec.get("items") or []
    if not items:
        errors["items"] = "Type at least one item, one per line."
    keys = [item["key"] for item in items]
    if len(set(keys)) != len(keys):
        errors["items"] = "Each item needs its own key."
    if spec["scale_max"] <= spec["scale_min"]:
        errors["scale_max"] = "The top of the scale must be above the bottom."
    for name, members in (spec.get("subscales") or {}).items():
        unknown = set(members) - set(keys)
        if unknown:
            errors["subscales"] = (
                f"Subscale {name} names unknown items: {', '.join(sorted(unknown))}."
            )
    if spec.get("reliable_change") is not None and spec["reliable_change"] <= 0:
        errors["reliable_change"] = "The reliable-change threshold must be above zero."
    if not spec.get("licence_reference", "").strip():
        errors["licence_reference"] = "Record the licence under which the practice uses it."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def instrument_create(
    *, actor: User, request: HttpRequest | None = None, **spec: Any
) -> Instrument:
    if not actor.is_practice_admin:
        raise ValidationError("Only the practice admin manages the instrument library.")
    _validate_instrument(spec)
    instrument = Instrument.objects.create(created_by=actor, **spec)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=instrument,
        summary=f"Added instrument {instrument.short_name}",
        request=request,
    )
    return instrument


@transaction.atomic
def instrument_set_enabled(
    *, actor: User, instrument: Instrument, enabled: bool, request: HttpRequest | None = None
) -> Instrument:
    if not actor.is_practice_admin:
        raise ValidationError("Only the practice admin manages the instrument library.")
    instrument.is_enabled = enabled
    instrument.save(update_fields=["is_enabled"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=instrument,
        summary=f"{'Enabled' if enabled else 'Disabled'} {instrument.short_name}",
        request=request,
    )
    return instrument
