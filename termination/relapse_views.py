"""From a relapse signal, in one step: offer a booster session or reopen the record."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from practice.audit.services import audit_viewed
from practice.forms import add_service_error
from practice.input import InputLimits
from sessions_app.models import Modality
from termination.models import RelapseSignal, SignalAction, Termination
from termination.services import relapse_signal_respond


class SignalResponseForm(InputLimits, forms.Form):
    action = forms.ChoiceField(
        choices=SignalAction.choices, widget=forms.RadioSelect, label=_("What to offer")
    )
    starts_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        label=_("Booster session starts"),
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, initial=50, label=_("Minutes")
    )
    modality = forms.ChoiceField(
        choices=Modality.choices, initial=Modality.IN_PERSON, label=_("Modality")
    )


def signal_for_changing(request: HttpRequest, pk: int) -> RelapseSignal:
    """Signals of former clients whose record the user may change (their counselor)."""
    signal = get_object_or_404(
        RelapseSignal.objects.filter(
            termination__in=Termination.objects.editable_by(request.user)
        ).select_related("termination__client", "checkin"),
        pk=pk,
    )
    audit_viewed(
        request, signal, client_id=signal.termination.client_id, summary="Viewed a relapse signal"
    )
    return signal


@login_required
@require_http_methods(["GET", "POST"])
def relapse_signal_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    signal = signal_for_changing(request, pk)
    form = SignalResponseForm(request.POST or None, initial={"action": SignalAction.BOOSTER})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relapse_signal_respond(actor=request.user, signal=signal, request=request, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if data["action"] == SignalAction.BOOSTER:
                messages.success(request, _("Record reopened and booster session scheduled."))
            else:
                messages.success(request, _("Record reopened (reason: relapse)."))
            return redirect("client_detail", pk=signal.termination.client_id)
    return render(request, "termination/relapse_signal.html", {"signal": signal, "form": form})
