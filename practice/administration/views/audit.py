"""Searching and exporting the audit log: who touched which record, when, from where."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from clients.models import Client
from practice.administration.forms import AuditFilterForm
from practice.administration.views.common import admin_only
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.forms import read_query
from practice.paging import KeysetPageForm, keyset_page
from termination.services.workflow import event_summary

AUDIT_PAGE_SIZE = 50


def audit_events(filters: dict) -> QuerySet:
    """Audit rows matching the filters; dates are whole days in the viewer's time zone."""
    events = AuditEvent.objects.all()
    if filters.get("actor"):
        events = events.filter(actor=filters["actor"])
    if filters.get("client_id"):
        events = events.filter(client_id=filters["client_id"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("date_from"):
        events = events.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    return events


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    record: str
    client_name: str
    who: str = ""
    summary: str = ""


# Rows written before summaries were in words name the step and states as the code does.
_OLD_ENDING_STEP = re.compile(r"^Ending step (\w+): (\w*) → (\w+)$")
# Records in the words the pages use (the model's own name where it reads well).
RECORD_WORDS = {
    "termination.termination": pgettext_lazy("record", "Ending"),
    "termination.closingsummary": gettext_lazy("Closing summary"),
    "termination.document": gettext_lazy("Document"),
    "sessions_app.counselingsession": gettext_lazy("Session"),
}


def summary_in_words(summary: str) -> str:
    match = _OLD_ENDING_STEP.match(summary)
    if match is None:
        return summary
    return event_summary(*match.groups())


def who_in_words(event: AuditEvent) -> str:
    """A person's name, as every other page shows them; the typed username only when no
    account matched (a failed sign-in) or a process acted."""
    if event.actor is not None:
        return str(event.actor)
    return event.actor_username


def _record_label(event: AuditEvent) -> str:
    if not event.object_type:
        return ""
    try:
        kind = RECORD_WORDS.get(event.object_type.lower()) or (
            apps.get_model(event.object_type)._meta.verbose_name.capitalize()
        )
    except (LookupError, ValueError):
        kind = event.object_type
    return f"{kind} #{event.object_id}"


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    events = list(events)
    client_ids = {event.client_id for event in events if event.client_id}
    names = {
        client.pk: client.display_name
        for client in Client.objects.filter(pk__in=client_ids).only(
            "legal_first_name", "legal_last_name", "preferred_name"
        )
    }
    return [
        AuditRow(
            event,
            _record_label(event),
            names.get(event.client_id, ""),
            who=who_in_words(event),
            summary=summary_in_words(event.summary),
        )
        for event in events
    ]


def _describe_filters(filters: dict) -> str:
    parts = [
        f"{label} {filters[key]}"
        for key, label in (
            ("actor", "staff"),
            ("client_id", "client"),
            ("action", "kind"),
            ("date_from", "from"),
            ("date_to", "until"),
        )
        if filters.get(key)
    ]
    return ", ".join(parts) or "no filter"


@admin_only
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    events = (
        AuditEvent.objects.none()
        if refused
        else audit_events(form.cleaned_data if form.is_bound else {}).select_related("actor")
    )
    cursors = read_query(request, KeysetPageForm).values
    page = keyset_page(
        events, older_than=cursors["older"], newer_than=cursors["newer"], size=AUDIT_PAGE_SIZE
    )
    return render(
        request,
        "practice/admin_audit.html",
        {"form": form, "page": page, "rows": audit_rows(page.rows), "page_size": AUDIT_PAGE_SIZE},
    )


CSV_COLUMNS = (
    "at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "summary",
    "ip_address",
    "user_agent",
)


def _csv_safe(value: object) -> str:
    """A spreadsheet must not run a cell as a formula (a user agent is whatever a browser sent)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv_lines(events: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        values = [getattr(event, column) for column in CSV_COLUMNS]
        values[0] = event.at.isoformat()
        yield writer.writerow([_csv_safe(value) for value in values])


@admin_only
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, gettext("Correct the filters before exporting."))
        return redirect(f"{reverse('admin_audit')}?{request.GET.urlencode()}")
    filters = form.cleaned_data if form.is_bound else {}
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        summary=f"Exported the audit log as CSV ({_describe_filters(filters)})",
        request=request,
    )
    response = StreamingHttpResponse(
        audit_csv_lines(audit_events(filters)), content_type="text/csv; charset=utf-8"
    )
    filename = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
