"""Recording ratings (and the alliance alerts they raise) and managing the instrument library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from clients.services import ensure_open
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.services import outbox_enqueue
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import (
    AllianceAlert,
    CounselingSession,
    Instrument,
    InstrumentKind,
    MeasureSeries,
    Rating,
    RatingMode,
)
from sessions_app.models.measures import Scoring
from sessions_app.scoring import alliance_alert_reason, classify_outcome, score

# practice/tasks.py: makes the alert's notifications (named, not imported: tasks import services).
ALLIANCE_ALERT_TASK = "practice.reminders.tasks.notify_alliance_alert"


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
    language: str | None = None,
    request: HttpRequest | None = None,
) -> Rating:
    """Record a rating. It keeps the language its items were given in: ``language``, or the
    client's language of correspondence (the language the client reads them in)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    on_device = mode == RatingMode.DEVICE
    # On the client's own device the check-in's token is the permission (checked by
    # sessions_app/checkins/services.py), and a follow-up comes after the record closed.
    if not on_device:
        ensure_open(client)
        if not Client.objects.editable_by(actor).filter(pk=client.pk).exists():
            raise ValidationError(_("Only the client's counselor can record a rating."))
    if not instrument.is_enabled:
        raise ValidationError({"instrument": _("This measure is switched off for the practice.")})
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": _("A rating cannot be dated in the future.")})
    if session is not None and session.client_id != client.pk:
        raise ValidationError({"session": _("That session is not with this client.")})
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
                language=language or client.language,
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
            {"session": _("This measure is already recorded for that session.")}
        ) from None
    if instrument.kind == InstrumentKind.ALLIANCE:
        alert = _raise_alliance_alert(rating, previous)
        if alert is not None:  # sent at once after commit, through the outbox
            outbox_enqueue(task=ALLIANCE_ALERT_TASK, args=[alert.pk], object_id=alert.pk)
    measure_series_refresh(client_id=client.pk, instrument=instrument)
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


def bands_problem(spec: dict[str, Any]) -> str:
    """Bands run from the lowest total upwards, each starting where the last ended, inside the
    totals the instrument can give ("" when they do)."""
    bands = spec.get("severity_bands") or []
    if not bands:
        return ""
    count = len(spec.get("items") or [])
    mean = spec.get("scoring") == Scoring.MEAN
    low = spec["scale_min"] if mean else spec["scale_min"] * count
    high = spec["scale_max"] if mean else spec["scale_max"] * count
    previous_to = None
    for band in bands:
        if band["to"] < band["from"]:
            return _("The band %(label)s ends before it starts.") % {"label": band["label"]}
        if previous_to is not None and band["from"] != previous_to + 1:
            return _("List the bands from the lowest total, each starting just after the last.")
        if band["from"] < low or band["to"] > high:
            return _(
                "The bands must stay within the totals the measure can give (%(low)s–%(high)s)."
            ) % {"low": low, "high": high}
        previous_to = band["to"]
    return ""


def _validate_instrument(spec: dict[str, Any]) -> None:
    errors = {}
    items = spec.get("items") or []
    if not items:
        errors["items"] = _("Type at least one item, one per line.")
    keys = [item["key"] for item in items]
    if len(set(keys)) != len(keys):
        errors["items"] = _("Each item needs its own key.")
    if spec["scale_max"] <= spec["scale_min"]:
        errors["scale_max"] = _("The top of the scale must be above the bottom.")
    for name, members in (spec.get("subscales") or {}).items():
        unknown = set(members) - set(keys)
        if unknown:
            errors["subscales"] = _("Subscale %(name)s names unknown items: %(items)s.") % {
                "name": name,
                "items": ", ".join(sorted(unknown)),
            }
    if spec.get("reliable_change") is not None and spec["reliable_change"] <= 0:
        errors["reliable_change"] = _("The reliable-change threshold must be above zero.")
    band_problem = bands_problem(spec)
    if band_problem:
        errors["severity_bands"] = band_problem
    if not spec.get("licence_reference", "").strip():
        errors["licence_reference"] = _("Record the licence under which the practice uses it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def instrument_create(
    *, actor: User, request: HttpRequest | None = None, **spec: Any
) -> Instrument:
    if not actor.is_practice_admin:
        raise ValidationError(_("Only the practice admin manages the instrument library."))
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
        raise ValidationError(_("Only the practice admin manages the instrument library."))
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


def _series_values(instrument: Instrument, ratings) -> dict:
    """What a MeasureSeries holds, from one client's (total, date, alerted) ratings on one
    instrument, oldest first."""
    (first_total, _first_on, _first_alerted), (latest_total, latest_on, alerted) = (
        ratings[0],
        ratings[-1],
    )
    return {
        "count": len(ratings),
        "first_total": first_total,
        "latest_total": latest_total,
        "previous_total": ratings[-2][0] if len(ratings) > 1 else None,
        "latest_on": latest_on,
        "latest_alerted": alerted,
        "outcome": classify_outcome(instrument, first_total, latest_total, len(ratings)).value,
    }


def _series_ratings(ratings):
    """(client, instrument, total, administered_on, alerted) rows in each series' order."""
    return (
        ratings.annotate(alerted=Exists(AllianceAlert.objects.filter(rating=OuterRef("pk"))))
        .order_by("client_id", "instrument_id", "administered_on", "created_at", "pk")
        .values_list("client_id", "instrument_id", "total", "administered_on", "alerted")
    )


def measure_series_refresh(*, client_id: int, instrument: Instrument) -> None:
    """The one place a MeasureSeries is computed: after any rating of the pair is recorded."""
    rows = [
        (total, on, alerted)
        for _client, _instrument, total, on, alerted in _series_ratings(
            Rating.objects.filter(client_id=client_id, instrument=instrument)
        )
    ]
    if rows:
        MeasureSeries.objects.update_or_create(
            client_id=client_id, instrument=instrument, defaults=_series_values(instrument, rows)
        )


def measure_series_rebuild() -> int:
    """Every series from the ratings, at once (after ratings were loaded in bulk)."""
    instruments = Instrument.objects.by_pk()
    series: dict[tuple[int, int], list] = {}
    for client_id, instrument_id, total, on, alerted in _series_ratings(Rating.objects.all()):
        series.setdefault((client_id, instrument_id), []).append((total, on, alerted))
    with transaction.atomic():
        MeasureSeries.objects.all().delete()
        MeasureSeries.objects.bulk_create(
            (
                MeasureSeries(
                    client_id=client_id,
                    instrument_id=instrument_id,
                    **_series_values(instruments[instrument_id], rows),
                )
                for (client_id, instrument_id), rows in series.items()
            ),
            batch_size=5000,
        )
    return len(series)
