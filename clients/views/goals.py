"""Treatment goals, their progress and the plan review."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.access import client_for_changing, goal_for_changing
from clients.forms import GoalEditForm, GoalForm, GoalProgressForm, PlanReviewForm
from clients.models import Client
from clients.services import goal_create, goal_progress_add, goal_update, plan_review_record
from clients.views.records import run_service
from practice.formats import when


def _goals_url(client_pk: int) -> str:
    return reverse("client_detail", args=[client_pk]) + "#goals"


def _form_page(request: HttpRequest, form, client: Client, **context) -> HttpResponse:
    return render(
        request,
        "clients/record_form.html",
        {"form": form, "client": client, "cancel_url": _goals_url(client.pk), **context},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="treatment goals")
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = run_service(
            form,
            partial(
                goal_create, actor=request.user, client=client, request=request, **form.cleaned_data
            ),
        )
        if goal is not None:
            messages.success(request, _("Goal added."))
            return redirect(_goals_url(client.pk))
    return _form_page(
        request,
        form,
        client,
        title=_("Add a goal for %(client)s") % {"client": client.display_name},
        intro=_("Agree the goal with the client, and how you will both know it is reached."),
        submit_label=_("Add the goal"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = goal_for_changing(request, pk)
    # A fresh form instance: a refused edit must not alter `goal` before the page is shown.
    form = GoalEditForm(request.POST or None, initial=model_to_dict(goal, GoalEditForm.Meta.fields))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            partial(
                goal_update, actor=request.user, goal=goal, request=request, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Goal saved."))
            return redirect(_goals_url(goal.client_id))
    return _form_page(
        request,
        form,
        goal.client,
        title=_("Edit a goal"),
        intro=_("Goal for %(client)s, added %(date)s.")
        % {"client": goal.client.display_name, "date": when(goal.created_at, "date")},
        submit_label=_("Save the goal"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    goal = goal_for_changing(request, pk)
    form = GoalProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = run_service(
            form,
            partial(
                goal_progress_add,
                actor=request.user,
                goal=goal,
                request=request,
                **form.cleaned_data,
            ),
        )
        if entry is not None:
            messages.success(request, _("Progress recorded."))
            return redirect(_goals_url(goal.client_id))
    return _form_page(
        request,
        form,
        goal.client,
        title=_("Record progress on a goal"),
        intro=_("“%(goal)s”. Target: %(measure)s")
        % {"goal": goal.description, "measure": goal.measure},
        submit_label=_("Record progress"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="the treatment plan")
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = run_service(
            form,
            partial(
                plan_review_record,
                actor=request.user,
                client=client,
                request=request,
                **form.cleaned_data,
            ),
        )
        if review is not None:
            messages.success(request, _("Plan review recorded. The next review date is updated."))
            return redirect(_goals_url(client.pk))
    return _form_page(
        request,
        form,
        client,
        title=_("Review the treatment plan of %(client)s") % {"client": client.display_name},
        intro=_(
            "Go through the goals with the client: keep, change, close or add. Record goal "
            "changes on each goal; note here what you agreed."
        ),
        submit_label=_("Record the review"),
    )
