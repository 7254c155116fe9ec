"""Staff: the list, invitations, roles and details, supervision links, deactivation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.models import Client
from practice.administration import services as services
from practice.administration.forms import (
    StaffForm,
    StaffInviteForm,
    SupervisionEndForm,
    SupervisionLinkForm,
)
from practice.administration.views.common import OPEN_STATUSES, admin_only, form_data
from practice.administration.views.directory import clients_needing_counselor
from practice.forms import add_service_error
from practice.staff.models import Supervision, User


def staff_with_facts() -> QuerySet:
    """Staff with their MFA state, open clients and current supervision links (three queries)."""
    links = services.links_current_or_later(Q())
    return User.objects.annotate(
        mfa_enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        open_clients=Count("primary_clients", filter=Q(primary_clients__status__in=OPEN_STATUSES)),
    ).prefetch_related(
        Prefetch(
            "supervisions_received",
            queryset=links.select_related("supervisor"),
            to_attr="supervised_by",
        ),
        Prefetch(
            "supervisions_given", queryset=links.select_related("supervisee"), to_attr="supervising"
        ),
    )


@admin_only
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "practice/admin_staff.html", staff_list_context())


def staff_list_context() -> dict:
    return {
        "staff": list(staff_with_facts().order_by("-is_active", "last_name", "first_name")),
        "needs_counselor": list(clients_needing_counselor()),
        "today": timezone.localdate(),
    }


@admin_only
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    form = StaffInviteForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_invite(
                actor=request.user, request=request, **form.service_values()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(member)s is invited: an email with a link to choose a password is on its "
                    "way to %(email)s."
                )
                % {"member": member, "email": member.email},
            )
            return redirect("admin_staff_detail", pk=member.pk)
    return render(request, "practice/admin_staff_invite.html", {"form": form})


@dataclass(frozen=True)
class LinkRow:
    link: Supervision
    state: str  # "current", "future" or "ended"


def _link_rows(links: Iterable[Supervision], today: dt.date) -> list[LinkRow]:
    rows = []
    for link in links:
        if link.ends_on is not None and link.ends_on < today:
            state = "ended"
        elif link.starts_on > today:
            state = "future"
        else:
            state = "current"
        rows.append(LinkRow(link, state))
    return rows


def staff_detail_context(member: User, *, form: StaffForm, link_form: SupervisionLinkForm) -> dict:
    today = timezone.localdate()
    received = member.supervisions_received.select_related("supervisor").order_by("-starts_on")
    given = member.supervisions_given.select_related("supervisee").order_by("-starts_on")
    return {
        "member": member,
        "form": form,
        "link_form": link_form,
        "supervised_by": _link_rows(received, today),
        "supervising": _link_rows(given, today),
        "mfa_enrolled": TOTPDevice.objects.filter(user=member, confirmed=True).exists(),
        "invitation_pending": not member.has_usable_password(),
        "open_clients": Client.objects.filter(
            primary_counselor=member, status__in=OPEN_STATUSES
        ).count(),
    }


@admin_only
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    # The form works on its own copy, so a refused change does not show in the page heading.
    form = StaffForm(form_data(request), instance=User.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_set_roles(
                actor=request.user,
                user=member,
                request=request,
                **{name: form.cleaned_data[name] for name in StaffForm.Meta.fields},
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(member)s's details are saved.") % {"member": member})
            return redirect("admin_staff_detail", pk=member.pk)
    context = staff_detail_context(
        member, form=form, link_form=SupervisionLinkForm(supervisee=member)
    )
    return render(request, "practice/admin_staff_detail.html", context)


@admin_only
@require_POST
def supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    link_form = SupervisionLinkForm(request.POST, supervisee=member)
    if link_form.is_valid():
        data = link_form.cleaned_data
        try:
            services.supervision_link_add(
                actor=request.user,
                supervisor=data["supervisor"],
                supervisee=member,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(link_form, error)
        else:
            messages.success(
                request,
                _("%(supervisor)s now supervises %(member)s.")
                % {"supervisor": data["supervisor"], "member": member},
            )
            return redirect("admin_staff_detail", pk=member.pk)
    context = staff_detail_context(member, form=StaffForm(instance=member), link_form=link_form)
    return render(request, "practice/admin_staff_detail.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def supervision_end(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Supervision.objects.select_related("supervisor", "supervisee"), pk=pk)
    form = SupervisionEndForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_link_end(
                actor=request.user, link=link, ends_on=form.cleaned_data["ends_on"], request=request
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The supervision of %(supervisee)s by %(supervisor)s ends.")
                % {"supervisee": link.supervisee, "supervisor": link.supervisor},
            )
            return redirect("admin_staff_detail", pk=link.supervisee_id)
    return render(request, "practice/admin_supervision_end.html", {"link": link, "form": form})


@admin_only
@require_http_methods(["GET", "POST"])
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        try:
            result = services.staff_deactivate(actor=request.user, user=member, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("admin_staff_detail", pk=member.pk)
        messages.success(
            request,
            ngettext(
                "%(member)s is deactivated and signed out everywhere. %(count)s open client(s) "
                "need a new counselor.",
                "%(member)s is deactivated and signed out everywhere. %(count)s open client(s) "
                "need a new counselor.",
                result.clients_needing_counselor,
            )
            % {"member": member, "count": result.clients_needing_counselor},
        )
        return redirect("admin_staff")
    context = staff_detail_context(
        member, form=StaffForm(instance=member), link_form=SupervisionLinkForm(supervisee=member)
    )
    context["is_self"] = member.pk == request.user.pk
    return render(request, "practice/admin_staff_deactivate.html", context)


def _staff_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Run a one-click staff service and say what happened (or why not) on the staff page."""
    member = get_object_or_404(User, pk=pk)
    try:
        action(actor=request.user, user=member, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"member": member})
    return redirect("admin_staff_detail", pk=member.pk)


@admin_only
@require_POST
def staff_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        services.staff_reactivate,
        _("%(member)s can sign in again. Add their supervision links again if they need them."),
    )


@admin_only
@require_POST
def staff_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        services.staff_mfa_reset,
        _(
            "%(member)s's authenticator app is removed and they are signed out; they set up a new "
            "one at their next sign-in."
        ),
    )


@admin_only
@require_POST
def staff_invite_again(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        services.staff_invite_again,
        _("A new invitation is on its way to %(member)s."),
    )
