"""Two-factor sign-in with time-based one-time passwords (django-otp)."""

from __future__ import annotations

import segno
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.staff.models import User


def mfa_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling; created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def mfa_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#212529")


@transaction.atomic
def mfa_confirm(*, user: User, device: TOTPDevice, request=None) -> None:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.MFA,
        summary="Enrolled an authenticator app",
        request=request,
    )


@transaction.atomic
def mfa_remove(*, user: User, request=None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=user,
        action=AuditEvent.Action.MFA,
        summary="Removed two-factor sign-in",
        request=request,
    )
