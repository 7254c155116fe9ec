"""The closing summary: edit the draft assembled from the record, sign, approve or return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clients.models import GoalStatus
from practice.forms import add_service_error
from termination import services
from termination.access import termination_for_changing, termination_for_reviewing
from termination.documents import document_request
from termination.forms import GOAL_FIELD_PREFIX, AddendumForm, CommentForm, SummaryForm
from termination.models import (
    SUMMARY_CONTENT_FIELDS,
    ClosingSummary,
    DocumentKind,
    SummaryStatus,
    Termination,
    TerminationState,
)
from termination.views.steps import _post_action, stamp, to_workspace


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET creates the draft from the record the first time. POST saves; "sign" also signs."""
    termination = termination_for_changing(request, pk, what="a closing summary")
    summary = ClosingSummary.objects.filter(termination=termination).first()
    if summary is None and request.method == "GET":
        try:
            summary = services.termination_summary_save(
                actor=request.user, termination=termination, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("termination_workspace", pk=termination.pk)
    if summary is not None and summary.status != SummaryStatus.DRAFT:
        return to_workspace(request, termination, "The summary is signed; add an addendum instead.")
    initial = (
        {field: getattr(summary, field) for field in SUMMARY_CONTENT_FIELDS} if summary else {}
    )
    goals = list(termination.client.goals.filter(status=GoalStatus.ACTIVE).order_by("pk"))
    outcomes = (summary.goal_outcomes if summary else None) or {}
    initial.update({f"{GOAL_FIELD_PREFIX}{key}": value for key, value in outcomes.items()})
    form = SummaryForm(
        request.POST or None,
        initial={**initial, "version": stamp(summary.updated_at if summary else None)},
        goals=goals,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_summary_save(
                actor=request.user,
                termination=termination,
                request=request,
                goal_outcomes=form.goal_outcomes(),
                **form.content(),
            )
            if "sign" in request.POST:
                services.termination_summary_sign(
                    actor=request.user, termination=termination, request=request
                )
                request_summary_pdf(request, termination)
                return to_workspace(request, termination, "The closing summary is signed.")
            return to_workspace(request, termination, "Draft summary saved.")
        except ValidationError as error:
            add_service_error(form, error)
    return render(
        request,
        "termination/summary_edit.html",
        {
            "termination": termination,
            "client": termination.client,
            "form": form,
            "summary": summary,
        },
    )


def _review(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    """A supervisor's decision on a summary awaiting approval, with an optional comment."""
    termination = termination_for_reviewing(request, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    return _post_action(
        request,
        termination,
        lambda: service(
            actor=request.user,
            termination=termination,
            request=request,
            comment=form.cleaned_data.get("comment", ""),
        ),
        success,
    )


def request_summary_pdf(request: HttpRequest, termination: Termination) -> None:
    """Once the summary is signed or approved, its PDF is rendered by a task after commit."""
    document_request(actor=request.user, termination=termination, kind=DocumentKind.CLOSING_SUMMARY)


@login_required
@require_POST
def summary_approve(request: HttpRequest, pk: int) -> HttpResponse:
    response = _review(
        request, pk, services.termination_summary_approve, "Summary approved: the ending can close."
    )
    termination = Termination.objects.get(pk=pk)
    if termination.state == TerminationState.READY_TO_CLOSE:
        request_summary_pdf(request, termination)
    return response


@login_required
@require_POST
def summary_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(
        request,
        pk,
        services.termination_summary_return,
        "Summary returned to the counselor with your comment.",
    )


@login_required
@require_POST
def summary_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    form = AddendumForm(request.POST)
    return _post_action(
        request,
        termination,
        lambda: services.termination_summary_addendum(
            actor=request.user,
            termination=termination,
            request=request,
            text=form.cleaned_data["text"],
        ),
        "Addendum added to the summary.",
        form=form,
    )
