"""Staff: invitations with a one-time link, roles and details, deactivation and
reactivation, removing an authenticator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.models import Client, ClientStatus
from practice.administration.services.common import ensure_practice_admin
from practice.administration.services.supervision import links_current_or_later
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.services import outbox_enqueue
from practice.policy.models import PracticePolicy
from practice.staff.models import User

STAFF_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "email",
    "credentials",
    "time_zone",
    "notes_require_cosign",
    "is_counselor",
    "is_supervisor",
    "is_practice_admin",
)


# practice/tasks.py sends it (named, not imported: the tasks import the services).
INVITATION_TASK = "practice.administration.tasks.send_staff_invitation"


def _invitation_link(user: User, site_url: str) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{site_url.rstrip('/')}{path}"


def _send_invitation(*, user: User, invited_by: User, request: HttpRequest | None) -> None:
    """Ask for the invitation through the outbox, in the invitation's transaction: no mail for a
    user that was rolled back, and a mail server that is down fails nothing."""
    site_url = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
    outbox_enqueue(task=INVITATION_TASK, args=[user.pk, invited_by.pk, site_url], object_id=user.pk)


def staff_invitation_send(*, user_id: int, invited_by_id: int, site_url: str) -> None:
    """Send the invitation email with a fresh one-time link (the outbox's task)."""
    user = User.objects.get(pk=user_id)
    invited_by = User.objects.get(pk=invited_by_id)
    policy = PracticePolicy.current()
    context = {
        "user": user,
        "invited_by": invited_by,
        "practice_name": policy.practice_name,
        "link": _invitation_link(user, site_url),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "mfa_required": policy.mfa_required,
    }
    # In the language of the person invited (the inviting admin's, chosen at the invitation).
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/staff_invite_subject.txt", context).split())
        body = render_to_string("emails/staff_invite.txt", context)
        html = render_to_string("emails/staff_invite.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def _roles_error(is_counselor: bool, is_supervisor: bool, is_practice_admin: bool) -> str | None:
    if is_counselor or is_supervisor or is_practice_admin:
        return None
    return _("Give at least one role. To stop someone working here, deactivate them instead.")


@transaction.atomic
def staff_invite(
    *,
    actor: User,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    is_counselor: bool = False,
    is_supervisor: bool = False,
    is_practice_admin: bool = False,
    credentials: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create a staff member without a password and email them a one-time link to choose one."""
    ensure_practice_admin(actor)
    username, email = username.strip(), User.objects.normalize_email(email.strip())
    errors: dict[str, str] = {}
    roles_error = _roles_error(is_counselor, is_supervisor, is_practice_admin)
    if roles_error:
        errors["roles"] = roles_error
    if not email:
        errors["email"] = _("The invitation is sent to this address: it is needed.")
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("A staff member already uses this email address.")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        errors["username"] = _("Use letters, digits and @ . + - _ only, without spaces.")
    if not username:
        errors["username"] = _("Choose the name they will sign in with.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("That username is taken; choose another.")
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        credentials=credentials.strip(),
        is_counselor=is_counselor,
        is_supervisor=is_supervisor,
        is_practice_admin=is_practice_admin,
        time_zone=actor.time_zone,
        language=actor.language,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=user,
        summary=f"Invited {username} ({', '.join(str(role.label) for role in user.roles)})",
        request=request,
    )
    _send_invitation(user=user, invited_by=actor, request=request)
    return user


@transaction.atomic
def staff_invite_again(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """A new link for someone who has not chosen a password yet (the first one expired)."""
    ensure_practice_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("%(user)s is deactivated: reactivate them first.") % {"user": user})
    if user.has_usable_password():
        raise ValidationError(
            _(
                "%(user)s has already chosen a password. If they forgot it, they can use "
                "“Forgot your password?” on the sign-in page."
            )
            % {"user": user}
        )
    if not user.email:
        raise ValidationError(
            {"email": _("Add an email address for %(user)s first.") % {"user": user}}
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=user,
        summary=f"Sent {user} a new invitation",
        request=request,
    )
    _send_invitation(user=user, invited_by=actor, request=request)


def _open_client_count(user: User) -> int:
    return Client.objects.filter(primary_counselor=user).exclude(status=ClientStatus.CLOSED).count()


@transaction.atomic
def staff_set_roles(
    *, actor: User, user: User, request: HttpRequest | None = None, **values: Any
) -> User:
    """Change a staff member's roles and details. Refuses changes that would strand clients,
    supervisees, or the practice without an admin."""
    ensure_practice_admin(actor)
    unknown = sorted(set(values) - set(STAFF_FIELDS))
    if unknown:
        raise ValidationError(_("Not a staff detail: %(fields)s.") % {"fields": ", ".join(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    wanted = {name: values.get(name, getattr(user, name)) for name in STAFF_FIELDS}
    errors: dict[str, str] = {}
    roles_error = _roles_error(
        wanted["is_counselor"], wanted["is_supervisor"], wanted["is_practice_admin"]
    )
    if roles_error:
        errors[NON_FIELD_ERRORS] = roles_error
    if user.pk == actor.pk and not wanted["is_practice_admin"]:
        errors["is_practice_admin"] = _(
            "You cannot remove your own practice admin role: ask another admin to do it."
        )
    if user.is_counselor and not wanted["is_counselor"]:
        open_clients = _open_client_count(user)
        if open_clients:
            errors["is_counselor"] = ngettext(
                "%(user)s still has %(count)s open client(s). Transfer them first (the "
                "departure page does all of them at once).",
                "%(user)s still has %(count)s open client(s). Transfer them first (the "
                "departure page does all of them at once).",
                open_clients,
            ) % {"user": user, "count": open_clients}
    if user.is_supervisor and not wanted["is_supervisor"]:
        links = links_current_or_later(Q(supervisor=user)).count()
        if links:
            errors["is_supervisor"] = ngettext(
                "%(user)s still supervises under %(count)s link(s): end them below first.",
                "%(user)s still supervises under %(count)s link(s): end them below first.",
                links,
            ) % {"user": user, "count": links}
    email = User.objects.normalize_email((wanted["email"] or "").strip())
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        errors["email"] = _("Another staff member already uses this email address.")
    if errors:
        raise ValidationError(errors)
    wanted["email"] = email
    changed = [name for name in STAFF_FIELDS if getattr(user, name) != wanted[name]]
    for name in changed:
        setattr(user, name, wanted[name])
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in STAFF_FIELDS])
    if changed:
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            summary=f"Changed {user}: {', '.join(changed)}",
            request=request,
        )
    return user


def _end_sessions_of(user: User) -> int:
    """Delete the user's database sessions, so a browser left signed in is signed out at once
    (Django also refuses an inactive user's session; this makes it certain and immediate)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@dataclass(frozen=True)
class Deactivation:
    sessions_ended: int
    links_ended: int
    clients_needing_counselor: int


@transaction.atomic
def staff_deactivate(
    *, actor: User, user: User, request: HttpRequest | None = None
) -> Deactivation:
    """Stop someone signing in: their sessions end now, their current supervision links end
    today, and their open clients show in the "needs a new counselor" list."""
    ensure_practice_admin(actor)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself: ask another practice admin."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("%(user)s is already deactivated.") % {"user": user})
    user.is_active = False
    user.save(update_fields=["is_active"])
    today = timezone.localdate()
    links_ended = (
        links_current_or_later(Q(supervisor=user) | Q(supervisee=user), today)
        .filter(starts_on__lte=today)
        .update(ends_on=today)
    )
    sessions_ended = _end_sessions_of(user)
    clients = _open_client_count(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=user,
        summary=(
            f"Deactivated {user.username}: {sessions_ended} session(s) ended, "
            f"{links_ended} supervision link(s) ended, {clients} open client(s)"
        ),
        request=request,
    )
    return Deactivation(sessions_ended, links_ended, clients)


@transaction.atomic
def staff_reactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    ensure_practice_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("%(user)s is already active.") % {"user": user})
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=user,
        summary=f"Reactivated {user}",
        request=request,
    )
    return user


@transaction.atomic
def staff_mfa_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Remove a staff member's authenticator (a lost phone) so they enrol again. Their sessions
    end too: whoever holds one must not enrol a device of their own."""
    ensure_practice_admin(actor)
    devices = TOTPDevice.objects.filter(user=user)
    if not devices.exists():
        raise ValidationError(_("%(user)s has no authenticator app to remove.") % {"user": user})
    devices.delete()
    _end_sessions_of(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MFA,
        obj=user,
        summary=f"Removed {user}'s authenticator app so they enrol again",
        request=request,
    )
