"""Two-factor sign-in with time-based one-time passwords (django-otp)."""

from __future__ import annotations

import segno
from django.core.signing import BadSignature, TimestampSigner
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.staff.models import User

# The key offered on the set-up page travels to the confirming POST signed in a hidden field
# (the page shows it anyway), so that opening the page writes nothing.
ENROLMENT_SALT = "practice.mfa.enrolment"
ENROLMENT_MAX_AGE_SECONDS = 60 * 60


def _enrolment_signer(user: User) -> TimestampSigner:
    return TimestampSigner(salt=f"{ENROLMENT_SALT}:{user.pk}")


def mfa_offer(*, user: User, signed_key: str | None = None) -> TOTPDevice:
    """An unsaved device with the key offered to `user`: the one `signed_key` carries when it is
    theirs and recent, else a new one. Nothing is written."""
    key = None
    if signed_key:
        try:
            key = _enrolment_signer(user).unsign(signed_key, max_age=ENROLMENT_MAX_AGE_SECONDS)
        except BadSignature:
            key = None
    return TOTPDevice(user=user, name="Authenticator app", confirmed=False, key=key or random_hex())


def mfa_signed_key(device: TOTPDevice) -> str:
    return _enrolment_signer(device.user).sign(device.key)


@transaction.atomic
def mfa_pending_device(*, user: User, key: str) -> TOTPDevice:
    """The unconfirmed device a user is enrolling, holding `key`; created by the confirming POST.
    Its failed-code throttle carries over when the key changes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        return TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False, key=key
        )
    if device.key != key:
        device.key = key
        device.save(update_fields=["key"])
    return device


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
