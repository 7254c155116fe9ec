"""Groups: the list, a group's page, members joining and leaving, group sessions, attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.models import Client
from practice.staff.access import has_role, role_required
from practice.staff.models import Role, User
from sessions_app.access import group_for_changing, group_for_reading, session_for_changing
from sessions_app.forms.groups import (
    AttendanceForm,
    GroupForm,
    GroupSessionForm,
    MemberAddForm,
    MemberExitForm,
    user_time_zone,
)
from sessions_app.models import (
    CounselingSession,
    Group,
    GroupAttendance,
    GroupMember,
    SessionKind,
    SessionStatus,
)
from sessions_app.services import (
    attendance_record,
    group_create,
    group_member_add,
    group_member_exit,
    session_schedule,
)
from sessions_app.services.groups import AttendanceEntry

Presence = GroupAttendance.Presence


def counselor_or_supervisor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Groups are for those who run them and those who supervise them; others get 404."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (has_role(user, Role.COUNSELOR) or has_role(user, Role.SUPERVISOR)):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def in_time_zone_of(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Dates and times on group pages are read and shown in the signed-in user's time zone."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with timezone.override(user_time_zone(request.user)):
            return view(request, *args, **kwargs)

    return wrapped


# The list and a group's page ----------------------------------------------------------------


@counselor_or_supervisor
@in_time_zone_of
def group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sessions_app/group_list.html", group_list_context(request.user))


def group_list_context(user: User) -> dict:
    groups = (
        Group.objects.visible_to(user)
        .prefetch_related("facilitators")
        .annotate(
            current_members=Count(
                "members", filter=Q(members__exited_on__isnull=True), distinct=True
            ),
            next_session_at=Min(
                "sessions__starts_at",
                filter=Q(
                    sessions__starts_at__gte=timezone.now(),
                    sessions__status=SessionStatus.SCHEDULED,
                ),
            ),
        )
    )
    rows = [
        {"group": group, "mine": any(person.pk == user.pk for person in group.facilitators.all())}
        for group in groups
    ]
    return {"rows": rows, "can_create": user.is_counselor}


@dataclass(frozen=True)
class GroupSessionRow:
    session: CounselingSession
    present: int
    absent: int
    excused: int
    expected: int
    is_past: bool

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.excused


@counselor_or_supervisor
@in_time_zone_of
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = group_for_reading(request, pk)
    return render(
        request, "sessions_app/group_detail.html", group_page_context(group, request.user)
    )


def group_page_context(group: Group, viewer: User) -> dict:
    """Facilitators, members (current and past), and sessions with attendance: fixed queries."""
    now = timezone.now()
    facilitators = list(group.facilitators.all())
    members = list(group.members.select_related("client"))
    sessions = group.sessions.select_related("counselor").annotate(
        present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT)),
        absent=Count("attendance", filter=Q(attendance__presence=Presence.ABSENT)),
        excused=Count("attendance", filter=Q(attendance__presence=Presence.EXCUSED)),
    )
    session_rows = []
    for session in sessions.order_by("-starts_at"):
        day = timezone.localtime(session.starts_at).date()
        session_rows.append(
            GroupSessionRow(
                session=session,
                present=session.present,
                absent=session.absent,
                excused=session.excused,
                expected=sum(1 for member in members if member.is_member_on(day)),
                is_past=session.starts_at <= now,
            )
        )
    return {
        "group": group,
        "facilitators": facilitators,
        "current_members": [member for member in members if member.exited_on is None],
        "past_members": [member for member in members if member.exited_on is not None],
        "session_rows": session_rows,
        "can_change": any(person.pk == viewer.pk for person in facilitators),
        # A co-facilitator who is not a member's counselor sees the name without a link to a
        # record they may not open (one query).
        "readable_client_ids": set(
            Client.objects.clinical_for(viewer)
            .filter(pk__in=[member.client_id for member in members])
            .values_list("pk", flat=True)
        ),
    }


# Changes -------------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = group_create(
                actor=request.user,
                name=data["name"],
                description=data["description"].strip(),
                facilitators=list(data["co_facilitators"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
            return redirect("group_detail", pk=group.pk)
    return render(request, "sessions_app/group_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def group_member_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = group_for_changing(request, pk)
    current = list(group.members.filter(exited_on__isnull=True).values_list("client_id", flat=True))
    form = MemberAddForm(request.POST or None, actor=request.user, current_client_ids=current)
    if request.method == "POST" and form.is_valid():
        try:
            member = group_member_add(
                actor=request.user,
                group=group,
                client=form.cleaned_data["client"],
                joined_on=form.cleaned_data["joined_on"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(client)s joined the group.") % {"client": member.client.display_name},
            )
            return redirect("group_detail", pk=group.pk)
    context = {
        "form": form,
        "group": group,
        "no_clients_to_add": not form.fields["client"].queryset.exists(),
    }
    return render(request, "sessions_app/group_member_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_member_exit_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(GroupMember.objects.select_related("client"), pk=pk)
    group = group_for_changing(request, member.group_id)
    form = MemberExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group_member_exit(
                actor=request.user,
                member=member,
                exited_on=form.cleaned_data["exited_on"],
                exit_reason=form.cleaned_data["exit_reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(client)s has left the group.") % {"client": member.client.display_name},
            )
            return redirect("group_detail", pk=group.pk)
    return render(
        request,
        "sessions_app/group_member_exit.html",
        {"form": form, "group": group, "member": member},
    )


@login_required
@in_time_zone_of
@require_http_methods(["GET", "POST"])
def group_session_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = group_for_changing(request, pk)
    form = GroupSessionForm(
        request.POST or None,
        time_zone=user_time_zone(request.user),
        initial={"starts_at": _next_full_hour()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session_schedule(
                actor=request.user,
                counselor=request.user,
                group=group,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                modality=form.cleaned_data["modality"],
                kind=SessionKind.REGULAR,
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Group session scheduled."))
            return redirect("group_detail", pk=group.pk)
    return render(request, "sessions_app/group_session_form.html", {"form": form, "group": group})


def _next_full_hour() -> dt.datetime:
    now = timezone.localtime()
    return (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)


@login_required
@in_time_zone_of
@require_http_methods(["GET", "POST"])
def group_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_changing(request, pk)
    if session.group is None:
        raise Http404("Attendance is kept for group sessions only.")
    day = timezone.localtime(session.starts_at).date()
    members = list(
        GroupMember.objects.filter(group=session.group, joined_on__lte=day)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=day))
        .select_related("client")
    )
    recorded = {row.member_id: row for row in session.attendance.all()}
    rows = [
        (
            member,
            AttendanceForm(
                request.POST or None,
                prefix=f"member-{member.pk}",
                initial={
                    "presence": recorded[member.pk].presence if member.pk in recorded else None,
                    "note_line": recorded[member.pk].note_line if member.pk in recorded else "",
                },
            ),
        )
        for member in members
    ]
    is_future = session.starts_at > timezone.now()
    problem = None
    # Validate every row (no short-circuit) so each mistake shows beside its member.
    valid_rows = [form.is_valid() for _member, form in rows] if request.method == "POST" else []
    if request.method == "POST" and not rows:
        problem = _("Nobody was a member of the group on that day.")
    elif request.method == "POST" and all(valid_rows):
        entries = [
            AttendanceEntry(
                member=member,
                presence=form.cleaned_data["presence"],
                note_line=form.cleaned_data["note_line"],
            )
            for member, form in rows
        ]
        try:
            attendance_record(actor=request.user, session=session, entries=entries, request=request)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("group_detail", pk=session.group_id)
    return render(
        request,
        "sessions_app/group_attendance.html",
        {
            "session": session,
            "group": session.group,
            "rows": rows,
            "is_future": is_future,
            "problem": problem,
            "day": day,
        },
    )
