"""The counselor's caseload and the client record page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients.access import client_for_reading
from clients.models import Client, Goal, GoalProgress
from clients.reviews import review_context
from clients.services import plan_review_due_on
from practice.caseload.forms import CaseloadFilterForm
from practice.caseload.selectors import FLAG_LABELS, caseload_rows
from practice.forms import read_query
from practice.policy.models import PracticePolicy
from practice.staff.access import role_required
from practice.staff.models import Role, User
from sessions_app.checkins.selectors import checkin_counts_for_clients, checkin_panel
from sessions_app.models import Instrument, SessionStatus
from sessions_app.selectors import measures_panel
from termination.documents import document_panel

STATUS_FILTERS = {
    "open": _("Active and ending"),
    "active": _("Active"),
    "ending": pgettext_lazy("client status", "Ending"),
    "closed": pgettext_lazy("client status", "Closed"),
    "all": _("All"),
}
SORT_COLUMNS = [
    ("name", _("Client")),
    ("last", _("Last session")),
    ("next", _("Next session")),
    ("attended", _("Attended")),
    ("alliance", _("Alliance")),
    ("flags", _("Flags")),
]
RECENT_SESSIONS = 15
RISK_RECENT_DAYS = 30


@role_required(Role.COUNSELOR)
def caseload(request: HttpRequest) -> HttpResponse:
    filters = read_query(request, CaseloadFilterForm)
    return render(request, "clients/caseload.html", caseload_context(request.user, filters.values))


def caseload_context(counselor: User, params: QueryDict | dict) -> dict:
    """The caseload for `params`, the query string (or a CaseloadFilterForm's values): a value
    the form refuses is its default."""
    filters = CaseloadFilterForm(params).values
    status, flag, sort, query = (filters[name] for name in ("status", "flag", "sort", "q"))
    policy = PracticePolicy.current()
    rows = caseload_rows(
        counselor=counselor, policy=policy, status=status, flag=flag, sort=sort, query=query
    )
    return {
        "rows": rows,
        "checkin_counts": checkin_counts_for_clients(row.client.pk for row in rows),
        "policy": policy,
        "status": status,
        "flag": flag,
        "sort": sort,
        "query": query,
        "status_filters": STATUS_FILTERS,
        "flag_labels": FLAG_LABELS,
        "sort_links": [
            {
                "key": key,
                "label": label,
                "active": sort.lstrip("-") == key,
                "descending": sort == f"-{key}",
                "next": f"-{key}" if sort == key else key,
            }
            for key, label in SORT_COLUMNS
        ],
    }


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_reading(request, pk)
    return render(
        request, "clients/client_detail.html", client_record_context(client, request.user)
    )


def client_record_context(client: Client, viewer: User) -> dict:
    """Everything the client page shows, in a fixed number of queries."""
    policy = PracticePolicy.current()
    now = timezone.now()
    sessions = client.sessions.select_related("counselor", "note")
    status_counts = dict(
        client.sessions.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    last_review = client.plan_reviews.first()
    panel = measures_panel(
        client, policy, since=timezone.localdate() - dt.timedelta(days=RISK_RECENT_DAYS)
    )
    return {
        "client": client,
        "can_edit": Client.objects.editable_by(viewer).filter(pk=client.pk).exists(),
        "can_assign": Client.objects.assignable_by(viewer).filter(pk=client.pk).exists(),
        "policy": policy,
        "upcoming_sessions": list(
            sessions.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now).order_by(
                "starts_at"
            )[:10]
        ),
        "recent_sessions": list(
            sessions.exclude(status=SessionStatus.SCHEDULED, starts_at__gte=now).order_by(
                "-starts_at"
            )[:RECENT_SESSIONS]
        ),
        "session_counts": {
            status.value: status_counts.get(status.value, 0) for status in SessionStatus
        },
        "goals": list(
            Goal.objects.filter(client=client).prefetch_related(
                Prefetch("progress_entries", queryset=GoalProgress.objects.order_by("-recorded_on"))
            )
        ),
        "consents": list(client.consents.all()),
        "today": timezone.localdate(),
        "charts": panel.charts,
        "measures": panel.summary,
        "risk_ratings": panel.risk_ratings,
        "alliance_alerts": panel.alerts,
        "transfers": list(client.transfers.select_related("from_counselor", "to_counselor")),
        "coverages": list(client.coverages.select_related("counselor")),
        "last_plan_review": last_review,
        "plan_review_due_on": plan_review_due_on(
            client=client,
            last_review_on=last_review.reviewed_on if last_review else None,
            policy=policy,
        ),
        "instruments": list(Instrument.objects.enabled()),
        "endings": list(client.terminations.select_related("summary")),
        **review_context(client, viewer),
        "document_panel": document_panel(client=client, viewer=viewer),
        "checkin_panel": checkin_panel(client, policy),
    }
