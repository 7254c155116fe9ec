"""One page and one CSV export per report. Thin: the form checks the filters, a page function
builds the figures, the view audits the read and renders it.

Who may open a report: counselors, supervisors and the practice admin (404 for anyone else). A
counselor or view outside what the viewer may see answers 404 as well.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.policy.models import PracticePolicy
from practice.reports.forms import ReportFilterForm, ReportFilters
from practice.reports.pages.after import after_page
from practice.reports.pages.alliance import alliance_page
from practice.reports.pages.common import ReportPage
from practice.reports.pages.endings import endings_page
from practice.reports.pages.outcomes import outcomes_page
from practice.reports.scope import views_for
from practice.reports.tables import tables_csv
from sessions_app.views.sessions import in_users_time_zone

REPORTS: dict[str, tuple[str, Callable[[ReportFilters, PracticePolicy], ReportPage]]] = {
    "endings": (_("Endings"), endings_page),
    "outcomes": (_("Outcomes at the end"), lambda filters, _policy: outcomes_page(filters)),
    "alliance": (_("Alliance and dropout"), lambda filters, _policy: alliance_page(filters)),
    "after": (_("After the end"), lambda filters, policy: after_page(filters, policy)),
}


def report_viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not views_for(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def _filters(
    request: HttpRequest, policy: PracticePolicy
) -> tuple[ReportFilterForm, ReportFilters | None]:
    form = ReportFilterForm(
        request.GET, user=request.user, min_cell_size=policy.report_min_cell_size
    )
    if form.is_valid():
        return form, form.filters()
    if "counselor" in form.errors or "view" in form.errors or form.scope is None:
        raise Http404("No such counselor.")
    return form, None


def _audit(request: HttpRequest, page: ReportPage, action: str) -> None:
    audit_record(
        actor=request.user,
        action=action,
        summary=f"{'Exported' if action == AuditEvent.Action.EXPORT else 'Viewed'} the "
        f"{page.key} report ({page.filters.describe()})",
        request=request,
    )


def _report(request: HttpRequest, key: str) -> HttpResponse:
    policy = PracticePolicy.current()
    form, filters = _filters(request, policy)
    page = REPORTS[key][1](filters, policy) if filters else None
    if page is not None:
        _audit(request, page, AuditEvent.Action.VIEW)
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "page": page,
            "report_key": key,
            "tabs": [(name, str(label)) for name, (label, _build) in REPORTS.items()],
            "query": request.GET.urlencode(),
        },
    )


def _report_csv(request: HttpRequest, key: str) -> HttpResponse:
    policy = PracticePolicy.current()
    _form, filters = _filters(request, policy)
    if filters is None:
        raise Http404("Those filters do not make a report.")
    page = REPORTS[key][1](filters, policy)
    _audit(request, page, AuditEvent.Action.EXPORT)
    response = HttpResponse(
        tables_csv(
            title=page.title,
            described=f"{filters.scope.view.label}; {filters.period_label}",
            tables=page.tables,
            notes=page.notes,
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="report-{key}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _page_view(key: str) -> Callable[[HttpRequest], HttpResponse]:
    @report_viewer_required
    @in_users_time_zone
    def view(request: HttpRequest) -> HttpResponse:
        return _report(request, key)

    view.__name__ = f"report_{key}"
    return view


def _csv_view(key: str) -> Callable[[HttpRequest], HttpResponse]:
    @report_viewer_required
    @in_users_time_zone
    def view(request: HttpRequest) -> HttpResponse:
        return _report_csv(request, key)

    view.__name__ = f"report_{key}_csv"
    return view


report_endings = _page_view("endings")
report_endings_csv = _csv_view("endings")
report_outcomes = _page_view("outcomes")
report_outcomes_csv = _csv_view("outcomes")
report_alliance = _page_view("alliance")
report_alliance_csv = _csv_view("alliance")
report_after = _page_view("after")
report_after_csv = _csv_view("after")
