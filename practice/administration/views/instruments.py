"""The instrument library as the admin manages it: copies of shipped instruments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from practice.administration import services as services
from practice.administration.views.common import admin_only
from sessions_app.models import Instrument


@admin_only
@require_GET
def instrument_library(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "practice/admin_instruments.html",
        {"instruments": [instrument.in_language() for instrument in Instrument.objects.all()]},
    )


@admin_only
@require_POST
def instrument_copy(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    try:
        duplicate = services.instrument_copy(
            actor=request.user, instrument=instrument, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "“%(name)s” is in the library, switched off. Switch it on when the practice is "
                "ready to use it."
            )
            % {"name": duplicate.name},
        )
    return redirect("admin_instruments")
