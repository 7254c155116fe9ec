"""The practice admin's home page: where to go, with small counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clients.models import Client, ClientStatus
from practice.administration.views.common import admin_only
from practice.administration.views.directory import clients_needing_counselor
from practice.audit.models import AuditEvent
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import Instrument
from termination.models import Termination


@admin_only
@require_GET
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "practice/admin_home.html", admin_home_context())


def admin_home_context() -> dict:
    since = timezone.now() - dt.timedelta(days=1)
    recent = AuditEvent.objects.filter(at__gte=since).aggregate(
        events=Count("pk"), failed=Count("pk", filter=Q(action=AuditEvent.Action.LOGIN_FAILED))
    )
    return {
        "policy": PracticePolicy.current(),
        "staff_count": User.objects.filter(is_active=True).count(),
        "active_clients": Client.objects.filter(status=ClientStatus.ACTIVE).count(),
        "needs_counselor": clients_needing_counselor().count(),
        "endings_in_progress": Termination.objects.open().count(),
        "recent_events": recent["events"],
        "recent_failed_sign_ins": recent["failed"],
        "instrument_count": Instrument.objects.filter(is_enabled=True).count(),
    }
