"""The instrument library (admin-managed) and recording a rating for a client."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients.access import client_for_changing
from clients.models import Client
from practice.forms import read_query
from practice.staff.access import role_required
from practice.staff.models import Role
from sessions_app.forms.measures import InstrumentForm, RatingForm, RatingQueryForm
from sessions_app.models import AllianceAlert, CounselingSession, Instrument, RatingMode
from sessions_app.rating_dates import rating_date, rating_date_warning
from sessions_app.services import instrument_create, instrument_set_enabled, rating_record

# The instrument library -----------------------------------------------------------------------


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sessions_app/instrument_list.html",
        {
            "instruments": [instrument.in_language() for instrument in Instrument.objects.all()],
            "can_manage": request.user.is_practice_admin,
        },
    )


@role_required(Role.PRACTICE_ADMIN)
@require_http_methods(["GET", "POST"])
def instrument_new(request: HttpRequest) -> HttpResponse:
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = instrument_create(actor=request.user, request=request, **form.spec())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("%(name)s added to the library.") % {"name": instrument.short_name}
            )
            return redirect("instrument_list")
    return render(request, "sessions_app/instrument_form.html", {"form": form})


@role_required(Role.PRACTICE_ADMIN)
@require_POST
def instrument_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    # An explicit target keeps a repeated click from flipping it back; without one, flip it.
    wanted = request.POST.get("enabled")
    enabled = wanted == "true" if wanted in ("true", "false") else not instrument.is_enabled
    try:
        instrument_set_enabled(
            actor=request.user, instrument=instrument, enabled=enabled, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enabled:
            done = _("%(name)s is switched on for the practice.")
        else:
            done = _("%(name)s is switched off for the practice.")
        messages.success(request, done % {"name": instrument.short_name})
    return redirect("instrument_list")


# Recording a rating -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rating_new(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="measures")
    preset = read_query(request, RatingQueryForm).values
    instrument = _chosen_instrument(preset)
    if instrument is None:
        return render(
            request,
            "sessions_app/rating_choose.html",
            {"client": client, "instruments": list(Instrument.objects.enabled())},
        )
    client_mode = preset["mode"] == RatingMode.CLIENT
    chosen_session = _session_from_query(preset, client)
    # The items as the client reads them: in their language of correspondence.
    shown = instrument.in_language(client.language)
    form = RatingForm(
        request.POST or None,
        instrument=shown,
        client=client,
        initial={
            "session": chosen_session.pk if chosen_session else None,
            "administered_on": rating_date(given=None, session=chosen_session),
            "mode": RatingMode.CLIENT if client_mode else RatingMode.COUNSELOR,
        },
    )
    if request.method == "POST" and form.is_valid():
        session = form.cleaned_data["session"]
        given_on = rating_date(given=form.cleaned_data["administered_on"], session=session)
        try:
            rating = rating_record(
                actor=request.user,
                client=client,
                instrument=instrument,
                answers=form.answers(),
                administered_on=given_on,
                session=session,
                mode=form.cleaned_data["mode"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            _announce(request, rating)
            warning = rating_date_warning(given=given_on, session=session)
            if warning:
                messages.warning(request, warning)
            return redirect("client_detail", pk=client.pk)
    context = {
        "client": client,
        "instrument": shown,
        "form": form,
        "client_mode": client_mode,
        "client_prompt": client_prompt(shown),
        "counselor_mode_url": _rating_url(client, instrument, preset, mode=None),
        "client_mode_url": _rating_url(client, instrument, preset, mode=RatingMode.CLIENT),
    }
    template = "rating_client_mode.html" if client_mode else "rating_form.html"
    return render(request, f"sessions_app/{template}", context)


def client_prompt(instrument: Instrument) -> str:
    """What the client reads above the questions: the instrument's own question where its
    description starts with one (PHQ-9, GAD-7), else how to use the scale. Scoring notes in a
    description are for the counselor, not the client."""
    question, mark, _rest = instrument.description.partition("?")
    if mark and len(question) < 300:
        return f"{question.strip()}?"
    labels = instrument.scale_labels or {}
    low, high = instrument.scale_min, instrument.scale_max
    low_text = f"{low} ({labels[str(low)].lower()})" if str(low) in labels else f"{low}"
    high_text = f"{high} ({labels[str(high)].lower()})" if str(high) in labels else f"{high}"
    return _("For each question, choose a number from %(low)s to %(high)s.") % {
        "low": low_text,
        "high": high_text,
    }


def _chosen_instrument(preset: dict) -> Instrument | None:
    if preset["instrument"] is None:
        return None
    return Instrument.objects.enabled().filter(pk=preset["instrument"]).first()


def _session_from_query(preset: dict, client: Client) -> CounselingSession | None:
    if preset["session"] is None:
        return None
    return client.sessions.filter(pk=preset["session"]).first()


def _rating_url(client: Client, instrument: Instrument, preset: dict, *, mode: str | None) -> str:
    query = {"instrument": instrument.pk}
    if preset["session"] is not None:
        query["session"] = preset["session"]
    if mode:
        query["mode"] = mode
    return f"{reverse('rating_create', kwargs={'pk': client.pk})}?{urlencode(query)}"


def _announce(request: HttpRequest, rating) -> None:
    total = f"{rating.total.normalize():f}"
    name = rating.instrument.short_name
    if rating.band:
        recorded = _("%(name)s recorded: total %(total)s (%(band)s).")
    else:
        recorded = _("%(name)s recorded: total %(total)s.")
    messages.success(request, recorded % {"name": name, "total": total, "band": rating.band})
    if rating.risk_endorsed:
        messages.error(
            request,
            _(
                "Risk item endorsed on the %(name)s: the client reported thoughts of being "
                "better off dead or of self-harm. Assess risk today and record it in the "
                "session note."
            )
            % {"name": name},
        )
    alert = AllianceAlert.objects.filter(rating=rating).first()
    if alert is None:
        return
    if alert.repeated:
        warning = _(
            "Alliance alert: %(reason)s (total %(total)s, cutoff %(cutoff)s). This is the second "
            "alert in a row. Consider talking with the client about how the work is going."
        )
    else:
        warning = _(
            "Alliance alert: %(reason)s (total %(total)s, cutoff %(cutoff)s). Consider talking "
            "with the client about how the work is going."
        )
    messages.warning(
        request,
        warning
        % {
            "reason": alert.get_reason_display().lower(),
            "total": total,
            "cutoff": f"{alert.cutoff.normalize():f}",
        },
    )
