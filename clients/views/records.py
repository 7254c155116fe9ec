"""Creating, editing, finding and assigning clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial, wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.access import client_for_assigning, client_for_changing, client_for_reading
from clients.forms import ClientForm, ClientSearchForm, CoverForm, TransferForm
from clients.models import Client
from clients.selectors import search_clients
from clients.services import (
    CLIENT_FIELDS,
    client_create,
    client_transfer,
    client_update,
    coverage_add,
)
from practice.formats import when
from practice.forms import add_service_error
from practice.staff.access import has_role, role_required
from practice.staff.models import Role

SEARCH_LIMIT = 50
T = TypeVar("T")


def run_service(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Call the service and return its result; on ValidationError keep the typed values, show
    why on the form and return None."""
    try:
        return action()
    except ValidationError as error:
        add_service_error(form, error)
        return None


def clinical_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Counselors and supervisors (who read clinical records); others get 404."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (has_role(user, Role.COUNSELOR) or has_role(user, Role.SUPERVISOR)):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


@clinical_staff_required
def client_search(request: HttpRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    query = form.cleaned_data["q"] if form.is_bound and not refused else ""
    results = [] if refused else list(search_clients(user=request.user, query=query))
    return render(
        request,
        "clients/client_search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "limit": SEARCH_LIMIT,
        },
    )


@role_required(Role.COUNSELOR)
@require_http_methods(["GET", "POST"])
def client_create_view(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = run_service(
            form,
            partial(
                client_create,
                actor=request.user,
                primary_counselor=request.user,
                request=request,
                **form.cleaned_data,
            ),
        )
        if client is not None:
            messages.success(
                request,
                _("%(client)s was added to your caseload.") % {"client": client.display_name},
            )
            return redirect("client_detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": None, "cancel_url": reverse("counselor_home")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="client details")
    version = request.POST.get("version", "") if request.method == "POST" else ""
    differences: list[tuple[str, str]] = []
    if request.method == "POST":
        # The form gets a fresh instance so a refused edit never touches `client` in memory.
        form = ClientForm(request.POST)
        if form.is_valid():
            saved = run_service(
                form,
                partial(
                    client_update,
                    actor=request.user,
                    client=client,
                    version=version,
                    request=request,
                    **form.cleaned_data,
                ),
            )
            if saved is not None:
                messages.success(request, _("The client's details are saved."))
                return redirect("client_detail", pk=client.pk)
            current = Client.objects.get(pk=client.pk)
            if version and current.updated_at.isoformat() != version:
                # Someone saved in between: show what they saved, and let a second save win.
                differences = _differences(form, current)
                version = current.updated_at.isoformat()
    else:
        form = ClientForm(initial=model_to_dict(client, fields=CLIENT_FIELDS))
        version = client.updated_at.isoformat()
    return render(
        request,
        "clients/client_form.html",
        {
            "form": form,
            "client": client,
            "version": version,
            "differences": differences,
            "cancel_url": reverse("client_detail", args=[client.pk]),
        },
    )


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return when(value, "date")
    return str(value) if value not in (None, "") else "—"


def _differences(form: ClientForm, current: Client) -> list[tuple[str, str]]:
    """The fields where the saved record now differs from what the user typed."""
    return [
        (form.fields[name].label or name, _shown(getattr(current, name)))
        for name in CLIENT_FIELDS
        if name in form.cleaned_data and getattr(current, name) != form.cleaned_data[name]
    ]


def _after_assignment_url(request: HttpRequest, client: Client) -> str:
    """Back to the client page if the user reads clinical records, else to their home page."""
    if Client.objects.clinical_for(request.user).filter(pk=client.pk).exists():
        return reverse("client_detail", args=[client.pk])
    return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def client_transfer_view(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_assigning(request, pk)
    form = TransferForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        transfer = run_service(
            form,
            partial(
                client_transfer,
                actor=request.user,
                client=client,
                to_counselor=data["to_counselor"],
                reason=data["reason"],
                on=data["transferred_on"],
                request=request,
            ),
        )
        if transfer is not None:
            new_counselor = data["to_counselor"].display_with_credentials
            messages.success(
                request,
                _("%(client)s is now with %(counselor)s.")
                % {"client": client.display_name, "counselor": new_counselor},
            )
            return redirect(_after_assignment_url(request, client))
    return render(
        request,
        "clients/record_form.html",
        {
            "form": form,
            "client": client,
            "title": _("Transfer %(client)s") % {"client": client.display_name},
            "intro": _(
                "%(client)s is with %(counselor)s. The new counselor becomes the primary "
                "counselor from the date you give; the history keeps the reason."
            )
            % {
                "client": client.display_name,
                "counselor": client.primary_counselor.display_with_credentials,
            },
            "submit_label": _("Transfer the client"),
            "cancel_url": _after_assignment_url(request, client),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_cover(request: HttpRequest, pk: int) -> HttpResponse:
    # Readers reach the form; coverage_add decides who may arrange cover (the primary counselor
    # or whoever may assign the client) and says so on the form otherwise.
    client = client_for_reading(request, pk, what="cover arrangements")
    form = CoverForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coverage = run_service(
            form,
            partial(
                coverage_add,
                actor=request.user,
                client=client,
                counselor=data["counselor"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                request=request,
            ),
        )
        if coverage is not None:
            messages.success(
                request,
                _("%(counselor)s covers %(client)s for those dates.")
                % {"counselor": data["counselor"], "client": client.display_name},
            )
            return redirect("client_detail", pk=client.pk)
    return render(
        request,
        "clients/record_form.html",
        {
            "form": form,
            "client": client,
            "title": _("Arrange cover for %(client)s") % {"client": client.display_name},
            "intro": _(
                "The covering counselor can read and add to this client's record between these "
                "dates, inclusive. The primary counselor stays the same."
            ),
            "submit_label": _("Arrange cover"),
            "cancel_url": reverse("client_detail", args=[client.pk]),
        },
    )
