"""The closing summary: edit the draft assembled from the record, sign, approve or return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
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
)
from termination.summary_draft import summary_draft_due_on, summary_draft_preview
from termination.views.kept import post_action_keeping_text
from termination.views.steps import _post_action, stamp, to_workspace


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the saved draft, or the first draft assembled from the record without saving
    it. POST saves (creating the draft the first time); "sign" also signs."""
    termination = termination_for_changing(request, pk, what="a closing summary")
    summary = ClosingSummary.objects.filter(termination=termination).first()
    initial: dict[str, str] = {}
    if summary is None and request.method == "GET":
        try:
            initial = summary_draft_preview(actor=request.user, termination=termination)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("termination_workspace", pk=termination.pk)
    if summary is not None and summary.status != SummaryStatus.DRAFT:
        return to_workspace(
            request, termination, _("The summary is signed; add an addendum instead.")
        )
    if summary is not None:
        initial = {field: getattr(summary, field) for field in SUMMARY_CONTENT_FIELDS}
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
                # One transaction: the signature and the request for its PDF (an outbox row)
                # are saved together or not at all; the render is sent after the commit.
                with transaction.atomic():
                    services.termination_summary_sign(
                        actor=request.user, termination=termination, request=request
                    )
                    request_summary_pdf(request, termination)
                return to_workspace(request, termination, _("The closing summary is signed."))
            return to_workspace(request, termination, _("Draft summary saved."))
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
            "due_on": summary.due_on if summary else summary_draft_due_on(termination),
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
    def approve_and_request_pdf(**kwargs):
        # One transaction: the approval and the request for the approved summary's PDF.
        with transaction.atomic():
            approved = services.termination_summary_approve(**kwargs)
            request_summary_pdf(request, kwargs["termination"])
        return approved

    return _review(
        request, pk, approve_and_request_pdf, _("Summary approved: the ending can close.")
    )


@login_required
@require_POST
def summary_return(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_reviewing(request, pk)
    return post_action_keeping_text(
        request,
        termination,
        lambda data: services.termination_summary_return(
            actor=request.user, termination=termination, request=request, comment=data["comment"]
        ),
        _("Summary returned to the counselor with your comment."),
        form=CommentForm(request.POST),
        form_name="comment_form",
    )


@login_required
@require_POST
def summary_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_changing(request, pk)
    return post_action_keeping_text(
        request,
        termination,
        lambda data: services.termination_summary_addendum(
            actor=request.user, termination=termination, request=request, text=data["text"]
        ),
        _("Addendum added to the summary."),
        form=AddendumForm(request.POST),
        form_name="addendum_form",
    )
