"""Sign-in events go to the audit log (the admin sees who signed in, from where, when)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditEvent.Action.LOGOUT, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        username=str(credentials.get("username", "")),
        request=request,
    )
