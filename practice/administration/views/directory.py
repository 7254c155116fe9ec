"""The client directory: names, counselors, statuses and dates; never clinical content."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clients.models import Client
from practice.administration.forms import NEEDS_COUNSELOR, DirectoryFilterForm
from practice.administration.views.common import OPEN_STATUSES, admin_only
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.forms import PageForm, page_of, read_query
from practice.staff.models import User

DIRECTORY_PAGE_SIZE = 50

# Names, counselor, status and dates only: clinical fields are never even loaded.
DIRECTORY_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "status",
    "intake_date",
    "opened_on",
    "closed_on",
    "primary_counselor__first_name",
    "primary_counselor__last_name",
    "primary_counselor__username",
    "primary_counselor__credentials",
    "primary_counselor__is_active",
)


def _name_matches(text: str) -> Q:
    condition = Q()
    for word in text.split()[:4]:
        condition &= (
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return condition


def directory_clients(user: User, filters: dict) -> QuerySet:
    clients = (
        Client.objects.directory_for(user)
        .select_related("primary_counselor")
        .only(*DIRECTORY_FIELDS)
    )
    if filters.get("q"):
        clients = clients.filter(_name_matches(filters["q"]))
    if filters.get("counselor"):
        clients = clients.filter(primary_counselor=filters["counselor"])
    if filters.get("status") == NEEDS_COUNSELOR:
        clients = clients.filter(primary_counselor__is_active=False, status__in=OPEN_STATUSES)
    elif filters.get("status"):
        clients = clients.filter(status=filters["status"])
    return clients


@admin_only
@require_GET
def client_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    clients = (
        Client.objects.none()
        if refused
        else directory_clients(request.user, form.cleaned_data if form.is_bound else {})
    )
    page = page_of(clients, DIRECTORY_PAGE_SIZE, read_query(request, PageForm))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        summary="Opened the client directory",
        request=request,
    )
    return render(request, "practice/admin_clients.html", {"form": form, "page": page})


def clients_needing_counselor() -> QuerySet:
    """Open clients whose primary counselor was deactivated."""
    return (
        Client.objects.filter(primary_counselor__is_active=False, status__in=OPEN_STATUSES)
        .select_related("primary_counselor")
        .only(*DIRECTORY_FIELDS)
        .order_by(
            "primary_counselor__last_name",
            "primary_counselor_id",
            "legal_last_name",
            "legal_first_name",
        )
    )
