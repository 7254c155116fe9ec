"""The supervisor's pages: the caseload review board, the lists behind its counts, the co-sign
and approval queues, a supervisee's caseload read-only, and the review actions on a client.

Every page is for supervisors only (404 for anyone else), and every counselor or client in a URL
must belong to one of the supervisor's current supervisees (404 otherwise).
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients import reviews
from clients.access import client_for_review
from clients.models import Client
from clients.reviews import ReviewCommentForm, review_context
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.caseload.forms import CaseloadFilterForm
from practice.formats import when
from practice.forms import PageForm, add_service_error, page_of, read_query
from practice.input import safe_next
from practice.policy.models import PracticePolicy
from practice.staff.access import role_required
from practice.staff.models import Role, User
from practice.supervision import exports
from practice.supervision import selectors as supervision
from practice.supervision.forms import SuperviseeListForm
from sessions_app.views.sessions import in_users_time_zone

COSIGN_PAGE_SIZE = 50


def _supervisee(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(request.user.supervisees(), pk=pk)


def _audit_caseload_view(request: HttpRequest, counselor: User, what: str) -> None:
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        obj=counselor,
        summary=f"Viewed {what} of {counselor}",
        request=request,
    )


def _back_to(request: HttpRequest, default: str) -> str:
    return safe_next(request, default)


# The board, the lists and the queues ------------------------------------------------------------


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def review_board(request: HttpRequest) -> HttpResponse:
    policy = PracticePolicy.current()
    rows = supervision.board_rows(supervisor=request.user, policy=policy)
    return render(
        request,
        "practice/supervisor_home.html",
        {
            "rows": rows,
            "policy": policy,
            "columns": supervision.BOARD_COUNTS,
            "cosign_total": sum(row.count_of("cosign") for row in rows),
            "approval_total": sum(row.count_of("approval") for row in rows),
            "month": reviews.month_start(timezone.localdate()),
        },
    )


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def counselor_review(request: HttpRequest, pk: int) -> HttpResponse:
    counselor = _supervisee(request, pk)
    policy = PracticePolicy.current()
    (row,) = supervision.board_rows(supervisor=request.user, policy=policy, counselors=[counselor])
    key = read_query(request, SuperviseeListForm).values["flag"]
    listing = None
    if key:
        listing = supervision.supervisee_list(
            supervisor=request.user, counselor=counselor, key=key, policy=policy
        )
        with translation.override("en"):  # the audit log reads in one language
            what = f"the supervision list “{listing.title}”"
        _audit_caseload_view(request, counselor, what)
    return render(
        request,
        "clients/supervision_counselor.html",
        {
            "counselor": counselor,
            "row": row,
            "listing": listing,
            "policy": policy,
            "month": reviews.month_start(timezone.localdate()),
        },
    )


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def cosign_queue(request: HttpRequest) -> HttpResponse:
    page = page_of(
        supervision.cosign_queue(request.user), COSIGN_PAGE_SIZE, read_query(request, PageForm)
    )
    return render(request, "clients/supervision_cosign.html", {"page": page})


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def approval_queue(request: HttpRequest) -> HttpResponse:
    policy = PracticePolicy.current()
    return render(
        request,
        "clients/supervision_approvals.html",
        {"endings": supervision.approval_queue(request.user, policy), "policy": policy},
    )


# A supervisee's caseload, read-only, and its export ---------------------------------------------


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def supervisee_caseload(request: HttpRequest, pk: int) -> HttpResponse:
    counselor = _supervisee(request, pk)
    # Imported here: the client page (in caseload.py) includes the review panel from this module.
    from practice.caseload.views import caseload_context

    context = caseload_context(counselor, read_query(request, CaseloadFilterForm).values)
    context["rows"] = exports.visible_caseload_rows(supervisor=request.user, rows=context["rows"])
    _audit_caseload_view(request, counselor, "the caseload")
    return render(
        request,
        "clients/caseload.html",
        {**context, "counselor": counselor, "read_only": True},
    )


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def supervisee_caseload_csv(request: HttpRequest, pk: int) -> HttpResponse:
    counselor = _supervisee(request, pk)
    filters = CaseloadFilterForm(request.GET)
    if filters.refusals:
        # A file is no place for the message: the caseload page shows it, and what it exports.
        return redirect(f"{reverse('supervision_caseload', args=[pk])}?{request.GET.urlencode()}")
    table = exports.caseload_export(
        actor=request.user, counselor=counselor, status=filters.values["status"], request=request
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"caseload-{counselor.username}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    csv.writer(response).writerows(table)
    return response


# A client's review: comments and the monthly mark -----------------------------------------------


def _client_review_page(
    request: HttpRequest, client: Client, comment_form: ReviewCommentForm | None = None
) -> HttpResponse:
    policy = PracticePolicy.current()
    facts = supervision.open_client_facts(
        Client.objects.filter(pk=client.pk),
        supervisor=request.user,
        policy=policy,
        now=timezone.now(),
    )
    return render(
        request,
        "clients/supervision_client.html",
        {
            "client": client,
            "facts": facts[0] if facts else None,
            "policy": policy,
            "notes_to_cosign": list(supervision.cosign_queue(request.user).filter(client=client)),
            "past_marks": list(client.chart_reviews.select_related("supervisor")[:12]),
            # A refused comment is shown here, but the forms still return where they came from.
            **review_context(
                client,
                request.user,
                comment_form,
                back_to=_back_to(request, client_review_url(client)),
            ),
        },
    )


@role_required(Role.SUPERVISOR)
@in_users_time_zone
def client_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_review_page(request, client_for_review(request, pk))


@role_required(Role.SUPERVISOR)
@in_users_time_zone
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_review(request, pk)
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        try:
            reviews.review_comment_add(
                actor=request.user, client=client, text=form.cleaned_data["text"], request=request
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Comment added. The counselor sees it on the client's page.")
            )
            return redirect(_back_to(request, client_review_url(client)))
    return _client_review_page(request, client, form)


@role_required(Role.SUPERVISOR)
@require_POST
def chart_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_review(request, pk)
    try:
        mark = reviews.chart_review_mark(actor=request.user, client=client, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(client)s's chart is marked reviewed for %(month)s.")
            % {"client": client.display_name, "month": when(mark.month, "month")},
        )
    return redirect(_back_to(request, client_review_url(client)))


def client_review_url(client: Client) -> str:
    return reverse("supervision_client", args=[client.pk])
