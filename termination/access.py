"""The one place that decides which endings a request may read, change or review."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from practice.audit.services import audit_viewed
from termination.models import Termination
from termination.selectors import workspace_termination


def _audited(request: HttpRequest, termination: Termination, what: str) -> Termination:
    audit_viewed(request, termination, client_id=termination.client_id, summary=f"Viewed {what}")
    return termination


def termination_for_reading(request: HttpRequest, pk: int, what: str = "an ending") -> Termination:
    try:
        termination = workspace_termination(pk, Termination.objects.visible_to(request.user))
    except Termination.DoesNotExist:
        raise Http404("No such ending.") from None
    return _audited(request, termination, what)


def termination_for_changing(
    request: HttpRequest, pk: int, what: str = "an ending step"
) -> Termination:
    termination = get_object_or_404(
        Termination.objects.editable_by(request.user).select_related("client"), pk=pk
    )
    return _audited(request, termination, what)


def termination_for_reviewing(request: HttpRequest, pk: int) -> Termination:
    """Endings whose summary the user may approve: clients of their current supervisees."""
    termination = get_object_or_404(
        Termination.objects.visible_to(request.user).select_related("client__primary_counselor"),
        pk=pk,
    )
    if not (
        request.user.is_supervisor and request.user.supervises(termination.client.primary_counselor)
    ):
        raise Http404("No such ending.")
    return termination
