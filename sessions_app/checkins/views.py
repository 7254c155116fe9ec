"""The counselor's side of check-ins: send one, show it in the room, see the answers, revoke,
and choose the before-session schedule for a client."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients.access import client_for_changing
from practice.forms import read_query
from sessions_app.checkins.access import checkin_for_changing, checkin_for_reading
from sessions_app.checkins.email import public_url
from sessions_app.checkins.forms import CheckInQueryForm, CheckInSendForm, ScheduleForm
from sessions_app.checkins.models import CheckIn, CheckInChannel, CheckInSchedule
from sessions_app.checkins.selectors import checkin_detail_context
from sessions_app.checkins.services import (
    SHORT_CODE_MINUTES,
    checkin_mark_seen,
    checkin_revoke,
    checkin_schedule_set,
    checkin_send,
    checkin_show_in_room,
)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def room_page(request: HttpRequest, checkin: CheckIn, raw: str, code: str) -> HttpResponse:
    """The QR code and the short code, drawn on the server as inline SVG: the link exists only
    in this response (it is a POST's answer, and never cached)."""
    url = public_url(raw)
    qr = segno.make(url, error="m")
    start_url = f"{settings.SITE_URL.rstrip('/')}{reverse('checkin_start')}"
    return _no_store(
        render(
            request,
            "checkins/room.html",
            {
                "checkin": checkin,
                "qr_svg": qr.svg_inline(scale=6, title=_("QR code of the check-in link")),
                "code": code,
                "start_url": start_url,
                "minutes": SHORT_CODE_MINUTES,
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="client record to send a check-in")
    wanted = read_query(request, CheckInQueryForm).values["session"]
    initial = {"session": wanted} if wanted else {}
    form = CheckInSendForm(request.POST or None, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin = checkin_send(
                actor=request.user,
                client=client,
                instruments=list(data["instruments"]),
                channel=data["channel"],
                session=data["session"],
                request=request,
            )
            if data["channel"] == CheckInChannel.IN_ROOM:
                raw, code = checkin_show_in_room(
                    actor=request.user, checkin=checkin, request=request
                )
                return room_page(request, checkin, raw, code)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Check-in sent by email."))
            return redirect("client_detail", pk=client.pk)
    return render(request, "checkins/checkin_new.html", {"client": client, "form": form})


@login_required
@require_POST
def checkin_show(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = checkin_for_changing(request, pk)
    try:
        raw, code = checkin_show_in_room(actor=request.user, checkin=checkin, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("checkin_detail", pk=checkin.pk)
    return room_page(request, checkin, raw, code)


@login_required
def checkin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = checkin_for_reading(request, pk)
    context = checkin_detail_context(checkin)
    context["can_change"] = CheckIn.objects.changeable_by(request.user).filter(pk=pk).exists()
    return render(request, "checkins/checkin_detail.html", context)


@login_required
@require_POST
def checkin_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = checkin_for_changing(request, pk)
    try:
        checkin_revoke(actor=request.user, checkin=checkin, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Check-in revoked: its links no longer work."))
    return redirect("checkin_detail", pk=checkin.pk)


@login_required
@require_POST
def checkin_seen(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = checkin_for_changing(request, pk)
    try:
        checkin_mark_seen(actor=request.user, checkin=checkin, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("checkin_detail", pk=checkin.pk)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_for_changing(request, pk, what="client's check-in schedule")
    current = CheckInSchedule.objects.filter(client=client).first()
    if current is None or (current.enabled and current.rules is None):
        mode = "policy"
    else:
        mode = "own" if current.enabled else "off"
    rules_text = (
        ", ".join(f"{rule['instrument']}: {rule['every']}" for rule in (current.rules or []))
        if current
        else ""
    )
    form = ScheduleForm(request.POST or None, initial={"mode": mode, "rules": rules_text})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin_schedule_set(
                actor=request.user,
                client=client,
                enabled=data["mode"] != "off",
                rules=data["rules"],
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Before-session check-ins saved."))
            return redirect("client_detail", pk=client.pk)
    return render(request, "checkins/schedule.html", {"client": client, "form": form})
