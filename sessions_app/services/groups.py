"""Groups: who runs them, who is in them (joining and leaving), who came to each session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from clients.services import ensure_open
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.formats import when
from practice.staff.models import User
from sessions_app.models import (
    CounselingSession,
    Group,
    GroupAttendance,
    GroupMember,
    SessionStatus,
)
from sessions_app.services.sessions import session_set_status


def _ensure_facilitator(actor: User, group: Group) -> None:
    if not group.facilitators.filter(pk=actor.pk).exists():
        raise ValidationError(_("Only the group's facilitators can change it."))


@transaction.atomic
def group_create(
    *,
    actor: User,
    name: str,
    facilitators: list[User],
    starts_on: dt.date,
    description: str = "",
    ends_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Group:
    if not actor.is_counselor:
        raise ValidationError(_("Only counselors run groups."))
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A group cannot end before it starts.")})
    if any(not user.is_counselor for user in facilitators):
        raise ValidationError({"facilitators": _("Facilitators must be counselors.")})
    group = Group.objects.create(
        name=name.strip(),
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    group.facilitators.set({actor, *facilitators})
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=group,
        summary="Created a group",
        request=request,
    )
    return group


@transaction.atomic
def group_member_add(
    *,
    actor: User,
    group: Group,
    client: Client,
    joined_on: dt.date,
    request: HttpRequest | None = None,
) -> GroupMember:
    _ensure_facilitator(actor, group)
    ensure_open(client)
    if not Client.objects.editable_by(actor).filter(pk=client.pk).exists():
        raise ValidationError({"client": _("You can add clients from your own caseload.")})
    if joined_on < group.starts_on:
        raise ValidationError({"joined_on": _("The group had not started yet on that day.")})
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(group=group, client=client, joined_on=joined_on)
    except IntegrityError:
        raise ValidationError(
            {"client": _("This client is already a member of the group.")}
        ) from None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=member,
        client_id=client.pk,
        summary=f"Joined group {group}",
        request=request,
    )
    return member


@transaction.atomic
def group_member_exit(
    *,
    actor: User,
    member: GroupMember,
    exited_on: dt.date,
    exit_reason: str,
    request: HttpRequest | None = None,
) -> GroupMember:
    member = GroupMember.objects.select_for_update().select_related("group").get(pk=member.pk)
    _ensure_facilitator(actor, member.group)
    if member.exited_on:
        raise ValidationError(
            _("This member already left on %(day)s.") % {"day": when(member.exited_on, "date")}
        )
    if exited_on < member.joined_on:
        raise ValidationError({"exited_on": _("A member cannot leave before joining.")})
    if not exit_reason:
        raise ValidationError({"exit_reason": _("Give the reason the member left.")})
    member.exited_on, member.exit_reason = exited_on, exit_reason
    member.save(update_fields=["exited_on", "exit_reason"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=member,
        client_id=member.client_id,
        summary=f"Left group {member.group}",
        request=request,
    )
    return member


@dataclass(frozen=True)
class AttendanceEntry:
    member: GroupMember
    presence: str
    note_line: str = ""


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    session: CounselingSession,
    entries: list[AttendanceEntry],
    request: HttpRequest | None = None,
) -> list[GroupAttendance]:
    session = (
        CounselingSession.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=session.pk)
    )
    if session.group is None:
        raise ValidationError(_("Attendance is for group sessions."))
    _ensure_facilitator(actor, session.group)
    if session.starts_at > timezone.now():
        raise ValidationError(_("The session has not happened yet."))
    day = timezone.localtime(session.starts_at).date()
    rows = []
    for entry in entries:
        if entry.member.group_id != session.group_id or not entry.member.is_member_on(day):
            raise ValidationError(
                _("%(client)s was not a member on that day.") % {"client": entry.member.client}
            )
        row, _created = GroupAttendance.objects.update_or_create(
            session=session,
            member=entry.member,
            defaults={
                "presence": entry.presence,
                "note_line": entry.note_line.strip(),
                "recorded_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=row,
            client_id=entry.member.client_id,
            summary="Recorded group attendance",
            request=request,
        )
        rows.append(row)
    if session.status == SessionStatus.SCHEDULED:
        session_set_status(
            actor=actor, session=session, status=SessionStatus.ATTENDED, request=request
        )
    return rows
