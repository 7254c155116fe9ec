"""The one place that decides which check-ins a signed-in user may read or change."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from practice.audit.services import audit_viewed
from sessions_app.checkins.models import CheckIn


def checkin_for_reading(request: HttpRequest, pk: int) -> CheckIn:
    checkin = get_object_or_404(
        CheckIn.objects.visible_to(request.user).select_related(
            "client__primary_counselor", "session", "sent_by"
        ),
        pk=pk,
    )
    audit_viewed(request, checkin, client_id=checkin.client_id, summary="Viewed a check-in")
    return checkin


def checkin_for_changing(request: HttpRequest, pk: int) -> CheckIn:
    return get_object_or_404(
        CheckIn.objects.changeable_by(request.user).select_related("client", "session"), pk=pk
    )
