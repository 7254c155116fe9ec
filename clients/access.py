"""The one place that decides which client records a request may read or change.

Reading a client's clinical record is audited here, so no view can forget it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from clients.models import Client, Goal
from practice.audit.services import audit_viewed


def audited_view(request: HttpRequest, client: Client, summary: str) -> Client:
    """Write the audit row for a page that shows a client's record (GET only: changes are
    audited by their services)."""
    audit_viewed(request, client, client_id=client.pk, summary=summary)
    return client


def client_for_reading(request: HttpRequest, pk: int, *, what: str = "client record") -> Client:
    """The client if the user may read their clinical record (else 404); the view is audited."""
    client = get_object_or_404(
        Client.objects.clinical_for(request.user).select_related("primary_counselor"), pk=pk
    )
    return audited_view(request, client, f"Viewed {what}")


def client_for_changing(request: HttpRequest, pk: int, *, what: str = "client record") -> Client:
    """The client if the user may change their record (their own or covered client), else 404."""
    client = get_object_or_404(
        Client.objects.editable_by(request.user).select_related("primary_counselor"), pk=pk
    )
    return audited_view(request, client, f"Opened {what} for editing")


def client_for_assigning(request: HttpRequest, pk: int) -> Client:
    """The client if the user may transfer them (admin, or the counselor's supervisor)."""
    return get_object_or_404(
        Client.objects.assignable_by(request.user).select_related("primary_counselor"), pk=pk
    )


def goal_for_changing(request: HttpRequest, pk: int) -> Goal:
    """A goal of a client the user may change (else 404); opening it is audited like the client."""
    goal = get_object_or_404(
        Goal.objects.filter(client__in=Client.objects.editable_by(request.user)).select_related(
            "client"
        ),
        pk=pk,
    )
    audit_viewed(
        request, goal, client_id=goal.client_id, summary="Opened a treatment goal for editing"
    )
    return goal


def client_for_review(request: HttpRequest, pk: int) -> Client:
    """A client of one of the supervisor's current supervisees (their own clients excluded:
    nobody reviews themselves); opening it is audited like the client page."""
    client = get_object_or_404(
        Client.objects.filter(
            primary_counselor__in=request.user.supervisees().values("pk")
        ).select_related("primary_counselor"),
        pk=pk,
    )
    audit_viewed(
        request, client, client_id=client.pk, summary="Viewed the supervision review of a client"
    )
    return client
