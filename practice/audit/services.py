"""Writing the audit log. Rows say who touched which record; they never hold clinical content."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from practice.audit.models import AuditEvent
from practice.client_address import client_address
from practice.staff.models import User


def client_ip(request: HttpRequest | None) -> str | None:
    return (client_address(request) or None) if request else None


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    client_id: int | None = None,
    summary: str = "",
    request: HttpRequest | None = None,
    username: str = "",
) -> AuditEvent:
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor else username[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        client_id=client_id,
        summary=summary[:300],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
    )


def audit_viewed(
    request: HttpRequest, obj: models.Model, *, client_id: int | None, summary: str
) -> None:
    """The audit row of a page that shows a record: on GET only (a POST's change is audited by
    the service that makes it)."""
    if request.method == "GET":
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            obj=obj,
            client_id=client_id,
            summary=summary,
            request=request,
        )
