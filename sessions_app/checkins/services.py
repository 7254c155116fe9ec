"""Every change to a check-in. Nothing else assigns CheckIn.state.

Each function locks the check-in (or the client), checks the move is allowed, writes a
CheckInEvent and an audit row, and queues follow-on work (the email, alerts) after commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, Consent, ConsentKind
from clients.services import ensure_open
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.services import outbox_nudge
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.checkins import signals
from sessions_app.checkins.email import checkin_email, public_url
from sessions_app.checkins.models import (
    CheckIn,
    CheckInChannel,
    CheckInEvent,
    CheckInItem,
    CheckInOptOut,
    CheckInPurpose,
    CheckInSchedule,
    CheckInState,
    CheckInToken,
    ComparedToEnd,
)
from sessions_app.checkins.tokens import hash_short_code, hash_token, new_short_code, new_token
from sessions_app.models import CounselingSession, Instrument, Rating, RatingMode
from sessions_app.services.measures import rating_record

logger = logging.getLogger(__name__)

# A short code shown in the room works for this long, once.
SHORT_CODE_MINUTES = 15
CLIENT_DEVICE = "client device"


# Helpers ---------------------------------------------------------------------------------------


def _event(
    checkin: CheckIn,
    kind: str,
    *,
    actor: User | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    action: str = AuditEvent.Action.TRANSITION,
) -> None:
    now = timezone.now()
    CheckInEvent.objects.create(checkin=checkin, kind=kind, at=now, actor=actor, note=note[:200])
    audit_record(
        actor=actor,
        action=action,
        obj=checkin,
        client_id=checkin.client_id,
        summary=f"Check-in {kind}{f': {note}' if note else ''}",
        request=request,
        username="" if actor else CLIENT_DEVICE,
    )


def _lock(checkin: CheckIn) -> CheckIn:
    return CheckIn.objects.select_for_update().select_related("client").get(pk=checkin.pk)


def is_open_now(checkin: CheckIn, now: dt.datetime | None = None) -> bool:
    """Waiting and not past its expiry: the expiry moment itself is already too late."""
    now = now or timezone.now()
    return checkin.state == CheckInState.WAITING and now < checkin.expires_at


def may_email(client: Client, day: dt.date) -> str:
    """Why the client cannot be emailed today, or "" when they can."""
    if not client.email:
        return _("There is no email address on file.")
    if not client.may_email:
        return _("The client has not agreed to messages by email.")
    if not Consent.objects.valid_on(day).filter(client=client, kind=ConsentKind.ELECTRONIC):
        return _("There is no valid consent to electronic communication.")
    return ""


def _mint(checkin: CheckIn, channel: str, *, with_code: bool = False) -> tuple[str, str]:
    """A new link (and short code) for the check-in; only their hashes are saved."""
    raw = new_token()
    code = ""
    code_hash = None
    if with_code:
        for _attempt in range(5):  # a collision with a live code is unlikely; try again if so
            code = new_short_code()
            code_hash = hash_short_code(code)
            if not CheckInToken.objects.filter(short_code_hash=code_hash).exists():
                break
    now = timezone.now()
    CheckInToken.objects.create(
        checkin=checkin,
        token_hash=hash_token(raw),
        short_code_hash=code_hash,
        short_code_expires_at=(
            min(now + dt.timedelta(minutes=SHORT_CODE_MINUTES), checkin.expires_at)
            if with_code
            else None
        ),
        channel=channel,
        created_at=now,
    )
    return raw, code


def expiry_for(purpose: str, policy: PracticePolicy, now: dt.datetime) -> dt.datetime:
    if purpose == CheckInPurpose.FOLLOW_UP:
        return now + dt.timedelta(days=policy.follow_up_checkin_expiry_days)
    return now + dt.timedelta(hours=policy.checkin_expiry_hours)


# Sending ---------------------------------------------------------------------------------------


@transaction.atomic
def checkin_send(
    *,
    actor: User | None,
    client: Client,
    instruments: Iterable[Instrument],
    channel: str,
    purpose: str = CheckInPurpose.SESSION,
    session: CounselingSession | None = None,
    due_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Ask the client to answer `instruments`. `actor` None means the practice's schedule sent
    it (before a session, or a follow-up after the ending)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if purpose == CheckInPurpose.SESSION:
        ensure_open(client)
    if actor is not None and not Client.objects.editable_by(actor).filter(pk=client.pk).exists():
        raise ValidationError(_("Only the client's counselor can send a check-in."))
    if CheckInOptOut.objects.filter(client=client).exists():
        raise ValidationError(_("The client asked not to receive check-ins: none can be sent."))
    if channel not in CheckInChannel.values or purpose not in CheckInPurpose.values:
        raise ValidationError(_("Choose how the check-in reaches the client."))
    now = timezone.now()
    if channel == CheckInChannel.EMAIL:
        why_not = may_email(client, timezone.localdate())
        if why_not:
            raise ValidationError({"channel": why_not})
    chosen = list(dict.fromkeys(instruments))
    if not chosen and purpose == CheckInPurpose.SESSION:
        raise ValidationError({"instruments": _("Choose at least one measure.")})
    if any(not instrument.is_enabled for instrument in chosen):
        raise ValidationError({"instruments": _("That measure is switched off for the practice.")})
    if session is not None and session.client_id != client.pk:
        raise ValidationError({"session": _("That session is not with this client.")})
    if (
        session is not None
        and CheckIn.objects.filter(
            session=session, state__in=(CheckInState.WAITING, CheckInState.COMPLETED)
        ).exists()
    ):
        raise ValidationError({"session": _("This session already has a check-in.")})
    checkin = CheckIn.objects.create(
        client=client,
        session=session,
        purpose=purpose,
        channel=channel,
        sent_by=actor,
        created_at=now,
        expires_at=expiry_for(purpose, PracticePolicy.current(), now),
        due_on=due_on,
    )
    CheckInItem.objects.bulk_create(
        CheckInItem(checkin=checkin, instrument=instrument, position=number)
        for number, instrument in enumerate(chosen, start=1)
    )
    names = ", ".join(instrument.short_name for instrument in chosen)
    _event(checkin, CheckInEvent.Kind.SENT, actor=actor, note=names, request=request)
    if channel == CheckInChannel.EMAIL:
        transaction.on_commit(lambda: queue_checkin_email(checkin.pk))
    return checkin


def checkin_send_for_session(*, session_id: int) -> CheckIn | None:
    """The practice's before-session check-in for one session, if it is still due: the session
    is scheduled and ahead, the client may be emailed and has not opted out, their schedule is
    on, some instrument falls on this session, and the session never had a check-in."""
    from sessions_app.checkins.schedule import instruments_due, rules_for
    from sessions_app.checkins.selectors import enabled_instruments_by_name

    with transaction.atomic():
        session = (
            CounselingSession.objects.select_related("client")
            .filter(pk=session_id, client__isnull=False)
            .first()
        )
        if session is None or session.status != "scheduled" or session.starts_at <= timezone.now():
            return None
        client = Client.objects.select_for_update().get(pk=session.client_id)
        if CheckIn.objects.filter(session=session).exists():
            return None  # one per session, ever: a revoked or expired one is not sent again
        if may_email(client, timezone.localdate()) or _opted_out(client):
            return None
        schedule = CheckInSchedule.objects.filter(client=client).first()
        number = (
            CounselingSession.objects.filter(client=client, starts_at__lte=session.starts_at)
            .booked()
            .count()
        )
        due = instruments_due(
            rules_for(client, PracticePolicy.current(), schedule),
            number,
            enabled_instruments_by_name(),
        )
        if not due:
            return None
        return checkin_send(
            actor=None,
            client=client,
            instruments=due,
            channel=CheckInChannel.EMAIL,
            session=session,
        )


def queue_checkin_email(checkin_id: int) -> None:
    """After commit; if the broker is down, the check-in sweep sends what is still unsent."""
    outbox_nudge("sessions_app.tasks.deliver_checkin_email", checkin_id)


def checkin_deliver_email(*, checkin_id: int, reminder: bool = False) -> bool:
    """Mint a link and email it; True when a message went out. A new link each time: the raw
    token exists only in memory and in the message. Sent inside the transaction so that a mail
    server that refuses leaves the check-in unsent, for the sweep to try again."""
    with transaction.atomic():
        checkin = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("client", "session__counselor")
            .filter(pk=checkin_id)
            .first()
        )
        if checkin is None or checkin.channel != CheckInChannel.EMAIL:
            return False
        if not is_open_now(checkin):
            return False
        if (reminder and checkin.reminded_at) or (not reminder and checkin.email_sent_at):
            return False  # nobody is chased twice
        client = checkin.client
        if may_email(client, timezone.localdate()) or _opted_out(client):
            return False
        raw, _code = _mint(checkin, CheckInChannel.EMAIL)
        parts = checkin_email(checkin=checkin, url=public_url(raw), reminder=reminder)
        now = timezone.now()
        if reminder:
            checkin.reminded_at = now
        else:
            checkin.email_sent_at = now
        checkin.save(update_fields=["reminded_at", "email_sent_at"])
        _event(checkin, CheckInEvent.Kind.REMINDED if reminder else CheckInEvent.Kind.EMAILED)
        message = EmailMultiAlternatives(subject=parts.subject, body=parts.text, to=[client.email])
        message.attach_alternative(parts.html, "text/html")
        message.send()
    return True


def _opted_out(client: Client) -> bool:
    return CheckInOptOut.objects.filter(client=client).exists()


@transaction.atomic
def checkin_show_in_room(
    *, actor: User, checkin: CheckIn, request: HttpRequest | None = None
) -> tuple[str, str]:
    """A fresh link (for the QR code) and short code for the counselor's screen."""
    checkin = _lock(checkin)
    if not Client.objects.editable_by(actor).filter(pk=checkin.client_id).exists():
        raise ValidationError(_("Only the client's counselor can show a check-in."))
    if not is_open_now(checkin):
        raise ValidationError(_("This check-in is no longer open. Send a new one."))
    raw, code = _mint(checkin, CheckInChannel.IN_ROOM, with_code=True)
    _event(checkin, CheckInEvent.Kind.SHOWN, actor=actor, request=request)
    return raw, code


# The client's side -----------------------------------------------------------------------------


def checkin_for_token(raw: str, now: dt.datetime | None = None) -> CheckIn | None:
    """The open check-in a link opens, or None (unknown, used, expired or revoked alike)."""
    from sessions_app.checkins.tokens import looks_like_token

    if not looks_like_token(raw):
        return None
    token = (
        CheckInToken.objects.filter(token_hash=hash_token(raw))
        .select_related("checkin__client")
        .first()
    )
    if token is None or not is_open_now(token.checkin, now) or _record_locked(token.checkin):
        return None
    return token.checkin


def _record_locked(checkin: CheckIn) -> bool:
    """A session check-in of a record closed since it was sent can no longer be answered (a
    follow-up after the ending can: that is what it is for)."""
    return checkin.purpose == CheckInPurpose.SESSION and checkin.client.is_closed


@transaction.atomic
def checkin_redeem_code(*, typed: str, request: HttpRequest | None = None) -> str | None:
    """The short code typed on the client's phone, once: returns a new link token, or None."""
    code_hash = hash_short_code(typed)
    now = timezone.now()
    token = (
        CheckInToken.objects.select_for_update()
        .filter(short_code_hash=code_hash, short_code_expires_at__gt=now)
        .select_related("checkin")
        .first()
    )
    if token is None or not is_open_now(token.checkin, now):
        return None
    token.short_code_hash = None
    token.save(update_fields=["short_code_hash"])
    raw, _code = _mint(token.checkin, CheckInChannel.IN_ROOM)
    return raw


def checkin_open(*, checkin: CheckIn, request: HttpRequest | None = None) -> None:
    """The first opening is recorded (an audit of access, like viewing a record)."""
    if checkin.opened_at is not None:
        return
    with transaction.atomic():
        updated = CheckIn.objects.filter(pk=checkin.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        if updated:
            _event(
                checkin, CheckInEvent.Kind.OPENED, request=request, action=AuditEvent.Action.VIEW
            )


def _ensure_open_for_client(checkin: CheckIn) -> None:
    if not is_open_now(checkin) or _record_locked(checkin):
        raise ValidationError(_("This check-in can no longer be answered."))


@transaction.atomic
def checkin_answer(
    *,
    checkin: CheckIn,
    item_id: int,
    answers: dict[str, Any],
    request: HttpRequest | None = None,
) -> Rating:
    """One instrument answered on the client's phone becomes a rating, given by the client on
    their own device at this moment."""
    checkin = _lock(checkin)
    _ensure_open_for_client(checkin)
    item = (
        CheckInItem.objects.select_for_update()
        .select_related("instrument")
        .filter(pk=item_id, checkin=checkin)
        .first()
    )
    if item is None:
        raise ValidationError(_("That question set is not part of this check-in."))
    if item.rating_id is not None:
        raise ValidationError(_("These questions are already answered."))
    session = checkin.session
    if (
        session is not None
        and Rating.objects.filter(
            session=session, instrument=item.instrument, client=checkin.client
        ).exists()
    ):
        session = None  # the counselor already recorded it for the session: keep both
    now = timezone.now()
    rating = rating_record(
        actor=checkin.sent_by or checkin.client.primary_counselor,
        client=checkin.client,
        instrument=item.instrument,
        answers=answers,
        administered_on=timezone.localdate(),
        session=session,
        mode=RatingMode.DEVICE,
        given_at=now,
        request=request,
    )
    item.rating = rating
    item.save(update_fields=["rating"])
    _event(checkin, CheckInEvent.Kind.ANSWERED, note=item.instrument.short_name, request=request)
    if rating.risk_endorsed:
        checkin.risk_endorsed = True
        checkin.save(update_fields=["risk_endorsed"])
        signals.risk_endorsed.send(sender=CheckIn, rating=rating)
    unanswered = CheckInItem.objects.filter(checkin=checkin, rating__isnull=True).exists()
    if not unanswered and not checkin.is_follow_up:
        _complete(checkin, request=request)
    return rating


@transaction.atomic
def checkin_finish_follow_up(
    *,
    checkin: CheckIn,
    compared_to_end: str,
    wants_to_talk: bool,
    message: str = "",
    request: HttpRequest | None = None,
) -> CheckIn:
    """The follow-up's own three questions, asked last; they complete the check-in."""
    checkin = _lock(checkin)
    _ensure_open_for_client(checkin)
    if not checkin.is_follow_up:
        raise ValidationError(_("These questions belong to a follow-up."))
    if CheckInItem.objects.filter(checkin=checkin, rating__isnull=True).exists():
        raise ValidationError(_("Answer the earlier questions first."))
    if compared_to_end not in ComparedToEnd.values:
        raise ValidationError({"compared_to_end": _("Choose one answer.")})
    checkin.compared_to_end = compared_to_end
    checkin.wants_to_talk = bool(wants_to_talk)
    checkin.message = message.strip()[:2000]
    checkin.save(update_fields=["compared_to_end", "wants_to_talk", "message"])
    _complete(checkin, request=request)
    return checkin


def _complete(checkin: CheckIn, *, request: HttpRequest | None) -> None:
    checkin.state = CheckInState.COMPLETED
    checkin.completed_at = timezone.now()
    checkin.save(update_fields=["state", "completed_at"])
    CheckInToken.objects.filter(checkin=checkin).update(short_code_hash=None)
    _event(checkin, CheckInEvent.Kind.COMPLETED, request=request)
    signals.checkin_completed.send(sender=CheckIn, checkin=checkin)


@transaction.atomic
def checkin_opt_out(*, checkin: CheckIn, request: HttpRequest | None = None) -> None:
    """One click on the client's page: never contacted for a check-in again. Every waiting
    check-in of the client is revoked with it."""
    checkin = _lock(checkin)
    _ensure_open_for_client(checkin)
    CheckInOptOut.objects.get_or_create(
        client=checkin.client, defaults={"at": timezone.now(), "checkin": checkin}
    )
    _event(checkin, CheckInEvent.Kind.OPTED_OUT, request=request)
    for waiting in CheckIn.objects.select_for_update().filter(
        client=checkin.client, state=CheckInState.WAITING
    ):
        _close(waiting, CheckInState.REVOKED, CheckInEvent.Kind.REVOKED, note="client opted out")


def _close(checkin: CheckIn, state: str, kind: str, **event: Any) -> None:
    checkin.state = state
    checkin.closed_at = timezone.now()
    checkin.save(update_fields=["state", "closed_at"])
    CheckInToken.objects.filter(checkin=checkin).update(short_code_hash=None)
    _event(checkin, kind, **event)


# The counselor's side and the sweeps ----------------------------------------------------------


@transaction.atomic
def checkin_revoke(*, actor: User, checkin: CheckIn, request: HttpRequest | None = None) -> None:
    checkin = _lock(checkin)
    if not Client.objects.editable_by(actor).filter(pk=checkin.client_id).exists():
        raise ValidationError(_("Only the client's counselor can revoke a check-in."))
    if checkin.state != CheckInState.WAITING:
        raise ValidationError(_("Only a waiting check-in can be revoked."))
    _close(checkin, CheckInState.REVOKED, CheckInEvent.Kind.REVOKED, actor=actor, request=request)


@transaction.atomic
def checkin_expire(*, checkin_id: int, now: dt.datetime | None = None) -> bool:
    """Mark a waiting check-in past its expiry as "no response". True when it did."""
    now = now or timezone.now()
    checkin = CheckIn.objects.select_for_update().filter(pk=checkin_id).first()
    if checkin is None or checkin.state != CheckInState.WAITING or now < checkin.expires_at:
        return False
    _close(checkin, CheckInState.EXPIRED, CheckInEvent.Kind.EXPIRED)
    return True


@transaction.atomic
def checkin_mark_seen(*, actor: User, checkin: CheckIn, request: HttpRequest | None = None) -> None:
    checkin = _lock(checkin)
    if not Client.objects.editable_by(actor).filter(pk=checkin.client_id).exists():
        raise ValidationError(_("Only the client's counselor can do this."))
    if checkin.state != CheckInState.COMPLETED or checkin.seen_at:
        return
    checkin.seen_at = timezone.now()
    checkin.save(update_fields=["seen_at"])
    _event(checkin, CheckInEvent.Kind.SEEN, actor=actor, request=request)


@transaction.atomic
def checkin_schedule_set(
    *,
    actor: User,
    client: Client,
    enabled: bool,
    rules: list[dict] | None,
    request: HttpRequest | None = None,
) -> CheckInSchedule:
    """The counselor's choice for one client: follow the policy (rules None), own rules, or off."""
    if not Client.objects.editable_by(actor).filter(pk=client.pk).exists():
        raise ValidationError(_("Only the client's counselor can change the schedule."))
    if rules is not None:
        known = set(Instrument.objects.enabled().values_list("short_name", flat=True))
        unknown = sorted({rule["instrument"] for rule in rules} - known)
        if unknown:
            raise ValidationError({"rules": _("Unknown measure: %s.") % ", ".join(unknown)})
    schedule, _created = CheckInSchedule.objects.update_or_create(
        client=client,
        defaults={
            "enabled": enabled,
            "rules": rules,
            "changed_by": actor,
            "changed_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=schedule,
        client_id=client.pk,
        summary="Changed the before-session check-ins" + ("" if enabled else " (off)"),
        request=request,
    )
    return schedule
