"""The ending workspace (every step on one page), the provider directory, and a counselor's
departure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.models import Client, ClientStatus
from practice.forms import SearchQueryForm, add_service_error, read_query
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination import dates, services
from termination.access import termination_for_reading
from termination.documents import document_panel
from termination.forms import AddendumForm, CommentForm, DepartureForm, ProviderForm, ReasonForm
from termination.models import EndingKind, Provider, Termination, TerminationState
from termination.relapse_watch import watch_timeline
from termination.selectors import (
    checklist,
    missing_for_close,
    reason_in_words,
    relapse_plan_of,
    summary_of,
)


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    termination = termination_for_reading(request, pk, what="an ending workspace")
    return render(
        request, "termination/workspace.html", workspace_context(termination, request.user)
    )


def workspace_context(termination: Termination, viewer: User) -> dict:
    policy = PracticePolicy.current()
    client = termination.client
    counselor = client.primary_counselor
    steps = checklist(termination, policy)
    summary = summary_of(termination)
    today = timezone.localdate()
    return {
        "dates": dates.ending_dates(termination, policy, today=today),
        "early_close": dates.early_close_problem(termination, on=today)
        if termination.is_open
        else "",
        "termination": termination,
        "client": client,
        "policy": policy,
        "steps": steps,
        "steps_by_key": {step.key: step for step in steps},
        "missing_for_close": missing_for_close(termination, policy) if termination.is_open else [],
        "can_edit": Client.objects.editable_by(viewer).filter(pk=client.pk).exists(),
        "can_review": viewer.is_supervisor and viewer.supervises(counselor),
        "summary": summary,
        "relapse_plan": relapse_plan_of(termination),
        "reason_in_words": reason_in_words(termination),
        "planned": termination.kind == EndingKind.PLANNED,
        "states": TerminationState,
        "reason_form": ReasonForm(),
        "comment_form": CommentForm(),
        "addendum_form": AddendumForm(),
        "history": list(termination.events.all()),
        "today": today,
        "document_panel": document_panel(client=client, viewer=viewer, termination=termination),
        "relapse_watch": watch_timeline(termination),
    }


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    if not (
        request.user.is_counselor or request.user.is_supervisor or request.user.is_practice_admin
    ):
        raise Http404("No such page.")
    query = read_query(request, SearchQueryForm).values["q"]
    providers = Provider.objects.all()
    if query:
        providers = (
            providers.filter(name__icontains=query)
            | providers.filter(specialty__icontains=query)
            | providers.filter(organisation__icontains=query)
        )
    return render(
        request,
        "termination/provider_list.html",
        {
            "providers": providers,
            "query": query,
            "can_manage": request.user.is_counselor or request.user.is_practice_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not (request.user.is_counselor or request.user.is_practice_admin):
        raise Http404("No such page.")
    provider = get_object_or_404(Provider, pk=pk) if pk else None
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        saved = services.provider_save(
            actor=request.user, form_instance=form.save(commit=False), request=request
        )
        messages.success(request, _("%(provider)s is in the directory.") % {"provider": saved})
        return redirect("provider_list")
    return render(request, "termination/provider_form.html", {"form": form, "provider": provider})


@login_required
@require_http_methods(["GET", "POST"])
def counselor_departure(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Transfer a departing counselor's clients, or open a "counselor leaving" ending for each."""
    counselor = get_object_or_404(User, pk=user_pk, is_counselor=True)
    clients = list(
        Client.objects.assignable_by(request.user).filter(
            primary_counselor=counselor, status=ClientStatus.ACTIVE
        )
    )
    if (
        not clients
        and not Client.objects.assignable_by(request.user)
        .filter(primary_counselor=counselor)
        .exists()
    ):
        raise Http404("No such counselor.")
    counselors = User.objects.counselors().exclude(pk=counselor.pk)
    form = DepartureForm(request.POST or None, clients=clients, counselors=counselors)
    if request.method == "POST" and form.is_valid():
        try:
            moved, opened = services.counselor_departure(
                actor=request.user,
                counselor=counselor,
                transfers=form.transfers(),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(moved)s client(s) transferred; %(opened)s ending(s) opened "
                    "for the counselor to walk through before leaving."
                )
                % {"moved": moved, "opened": opened},
            )
            return redirect("home")
    return render(
        request,
        "termination/counselor_departure.html",
        {"counselor": counselor, "form": form, "clients": clients},
    )
