"""Changing the practice policy: the model's own checks, then one history row per value."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from practice.administration.services.common import ensure_practice_admin
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.policy.models import PolicyChange, PracticePolicy
from practice.staff.models import User

# Every policy value the admin edits. The letterhead logo is uploaded on its own page.
POLICY_FIELDS: tuple[str, ...] = tuple(
    field.name
    for field in PracticePolicy._meta.concrete_fields
    if field.name not in ("id", "logo", "updated_at")
)


def policy_value_as_text(field_name: str, value: Any) -> str:
    """How a policy value reads in the history: "30, 90, 180", "on", "Every counselor"."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(
            f"{item['instrument']}: {item['every']}" if isinstance(item, dict) else str(item)
            for item in value
        )
    field = PracticePolicy._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


@transaction.atomic
def policy_update(
    *,
    actor: User,
    changes: dict[str, Any],
    version: str | None = None,
    request: HttpRequest | None = None,
) -> list[PolicyChange]:
    """Apply the changed values after the model's own checks; one history row per value that
    really changed. `version` is the policy's `updated_at` when the page was opened."""
    ensure_practice_admin(actor)
    unknown = sorted(set(changes) - set(POLICY_FIELDS))
    if unknown:
        raise ValidationError(_("Not a policy value: %(fields)s.") % {"fields": ", ".join(unknown)})
    PracticePolicy.current()  # the row exists before it is locked
    policy = PracticePolicy.objects.select_for_update().get(pk=1)
    if version and policy.updated_at.isoformat() != version:
        raise ValidationError(
            _(
                "Another admin changed the policy after you opened this page. Your values are "
                "kept below: compare them with the history, then save again."
            )
        )
    before = {name: getattr(policy, name) for name in changes}
    for name, value in changes.items():
        # Browsers send textarea lines as CRLF: the same text must not count as a change.
        setattr(policy, name, value.replace("\r\n", "\n") if isinstance(value, str) else value)
    policy.full_clean(exclude=["logo"])
    changed = [name for name in changes if getattr(policy, name) != before[name]]
    if not changed:
        return []
    policy.save(update_fields=[*changed, "updated_at"])
    now = timezone.now()
    history = PolicyChange.objects.bulk_create(
        PolicyChange(
            changed_at=now,
            changed_by=actor,
            field=name,
            old_value=policy_value_as_text(name, before[name]),
            new_value=policy_value_as_text(name, getattr(policy, name)),
        )
        for name in changed
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=policy,
        summary=f"Changed the practice policy: {', '.join(changed)}",
        request=request,
    )
    return history
