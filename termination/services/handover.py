"""A counselor leaving (their caseload handed over) and the provider directory for referrals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from clients.models import Client, ClientStatus
from clients.services import client_transfer
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.staff.models import User
from termination.models import (
    EndingKind,
    Initiator,
    Provider,
    Reason,
)
from termination.services.opening import termination_open
from termination.services.workflow import _record

# A counselor leaving ---------------------------------------------------------------------------


def counselor_departure(
    *,
    actor: User,
    counselor: User,
    transfers: dict[int, User],
    reason: str,
    request: HttpRequest | None = None,
) -> tuple[int, int]:
    """Transfer the listed clients (client pk -> new counselor) and open a "counselor leaving"
    ending for every other open client of the departing counselor. All or nothing."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the counselor is leaving (shown in each history).")}
        )
    with transaction.atomic():
        clients = list(
            Client.objects.assignable_by(actor).filter(
                primary_counselor=counselor, status=ClientStatus.ACTIVE
            )
        )
        if not clients:
            raise ValidationError(_("This counselor has no active clients you can reassign."))
        unknown = set(transfers) - {client.pk for client in clients}
        if unknown:
            raise ValidationError(_("Some clients listed are not this counselor's active clients."))
        moved = opened = 0
        for client in clients:
            if client.pk in transfers:
                client_transfer(
                    actor=actor,
                    client=client,
                    to_counselor=transfers[client.pk],
                    reason=reason,
                    request=request,
                )
                moved += 1
            else:
                termination = termination_open(
                    actor=actor,
                    client=client,
                    kind=EndingKind.PLANNED,
                    initiated_by=Initiator.PRACTICE,
                    reason=Reason.COUNSELOR_LEAVING,
                    request=request,
                )
                _record(
                    termination,
                    actor=actor,
                    step="counselor_leaving",
                    old_state=termination.state,
                    note=reason.strip(),
                    request=request,
                )
                opened += 1
        return moved, opened


# The provider directory ------------------------------------------------------------------------


@transaction.atomic
def provider_save(
    *, actor: User, form_instance: Provider, request: HttpRequest | None = None
) -> Provider:
    """Add or change a directory entry (no client data: audited as a change of the directory)."""
    if not (actor.is_counselor or actor.is_practice_admin):
        raise ValidationError(_("Only counselors and the practice admin keep the directory."))
    adding = form_instance.pk is None
    form_instance.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if adding else AuditEvent.Action.UPDATE,
        obj=form_instance,
        summary=f"{'Added' if adding else 'Changed'} a provider",
        request=request,
    )
    return form_instance
