"""Workspace actions with typed text (an addendum, a return comment, a reason to withdraw): on
refusal the workspace is shown again with the text kept and the reason beside it, like every
other form, instead of a redirect that drops what was typed."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from practice.forms import add_service_error
from termination.models import Termination
from termination.views.workspace import workspace_context


def post_action_keeping_text(
    request: HttpRequest,
    termination: Termination,
    call: Callable[[dict], object],
    success: str,
    *,
    form: forms.Form,
    form_name: str,
) -> HttpResponse:
    """`call(cleaned_data)` when the form is valid; on success back to the workspace with
    `success`, else the workspace again with `form` (bound, with its errors) as `form_name`."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("termination_workspace", pk=termination.pk)
    termination.refresh_from_db()
    context = workspace_context(termination, request.user) | {form_name: form}
    return render(request, "termination/workspace.html", context)
