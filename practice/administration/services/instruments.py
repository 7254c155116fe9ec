"""Copies of instruments: shipped ones stay as shipped."""

from __future__ import annotations

import copy

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from practice.administration.services.common import ensure_practice_admin
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.staff.models import User
from sessions_app.models import Instrument


@transaction.atomic
def instrument_copy(
    *, actor: User, instrument: Instrument, request: HttpRequest | None = None
) -> Instrument:
    """A switched-off, non-shipped copy with the same items: shipped instruments stay as
    shipped, and the practice adapts its own copy."""
    ensure_practice_admin(actor)
    suffix = _(" (copy)")
    values = {
        field.name: copy.deepcopy(getattr(instrument, field.attname))
        for field in Instrument._meta.concrete_fields
        if not field.primary_key and field.name != "created_by"
    }
    values.update(
        name=f"{instrument.name[: Instrument._meta.get_field('name').max_length - len(suffix)]}"
        f"{suffix}",
        is_shipped=False,
        is_enabled=False,
        created_by=actor,
    )
    duplicate = Instrument.objects.create(**values)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=duplicate,
        summary=f"Copied instrument {instrument.short_name} (switched off)",
        request=request,
    )
    return duplicate
