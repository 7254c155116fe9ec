"""The client's side: pages opened from a check-in link, on the client's own phone.

No sign-in: the link's token is the permission, and it opens only its own check-in. An unknown,
used, expired or revoked token gets one neutral page, the same bytes and status for all four.
Wrong tokens and codes are counted per address; past the limit every answer is "wait".
Every response says `Cache-Control: no-store` and loads nothing from another site."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from practice.client_address import client_address
from practice.policy.models import PracticePolicy
from sessions_app.checkins.forms import AnswerForm, FollowUpQuestionsForm, ShortCodeForm
from sessions_app.checkins.models import CheckIn, CheckInItem
from sessions_app.checkins.services import (
    checkin_answer,
    checkin_finish_follow_up,
    checkin_for_token,
    checkin_open,
    checkin_opt_out,
    checkin_redeem_code,
)
from sessions_app.views.measures import client_prompt

# Wrong tokens or codes allowed per address in the window; then every request waits.
FAILURE_LIMIT = getattr(settings, "CHECKIN_FAILURE_LIMIT", 10)
FAILURE_WINDOW_SECONDS = 15 * 60


def _failure_key(request: HttpRequest) -> str:
    return f"checkin-failures:{client_address(request) or 'unknown'}"


def is_blocked(request: HttpRequest) -> bool:
    return (cache.get(_failure_key(request)) or 0) >= FAILURE_LIMIT


def count_failure(request: HttpRequest) -> None:
    key = _failure_key(request)
    cache.add(key, 0, FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, FAILURE_WINDOW_SECONDS)


def client_page(
    request: HttpRequest, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    policy = PracticePolicy.current()
    response = render(
        request, template, {"practice_name": policy.practice_name, **(context or {})}, status=status
    )
    response["Cache-Control"] = "no-store, max-age=0"
    # The token never leaves for another site in a Referer header. Not "no-referrer": with it
    # browsers send "Origin: null" on the form posts, which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def neutral_page(request: HttpRequest) -> HttpResponse:
    """The same page for an unknown, used, expired or revoked link."""
    count_failure(request)
    return client_page(request, "checkins/public_neutral.html", status=404)


def too_many(request: HttpRequest) -> HttpResponse:
    return client_page(request, "checkins/public_wait.html", status=429)


@dataclass
class Step:
    items: list[CheckInItem]
    current: CheckInItem | None  # None: the follow-up's own questions
    number: int
    total: int


def current_step(checkin: CheckIn) -> Step:
    items = list(checkin.items.select_related("instrument").order_by("position"))
    pending = [item for item in items if item.rating_id is None]
    total = len(items) + (1 if checkin.is_follow_up else 0)
    if pending:
        return Step(items, pending[0], items.index(pending[0]) + 1, total)
    return Step(items, None, total, total)


def in_clients_language(request: HttpRequest, checkin: CheckIn) -> None:
    """A check-in's pages speak the client's language of correspondence, whatever the phone's."""
    translation.activate(checkin.client.language)
    request.LANGUAGE_CODE = translation.get_language()


def first_name(checkin: CheckIn) -> str:
    return checkin.client.preferred_name or checkin.client.legal_first_name


@require_http_methods(["GET", "POST"])
def checkin_start(request: HttpRequest) -> HttpResponse:
    """Where the client types the short code shown in the room."""
    if is_blocked(request):
        return too_many(request)
    form = ShortCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        raw = checkin_redeem_code(typed=form.cleaned_data["code"], request=request)
        if raw:
            return redirect("checkin_public", token=raw)
        count_failure(request)
        form.add_error("code", _("That code does not work. Check it, or ask for a new one."))
    return client_page(request, "checkins/public_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def checkin_public(request: HttpRequest, token: str) -> HttpResponse:
    if is_blocked(request):
        return too_many(request)
    checkin = checkin_for_token(token)
    if checkin is None:
        return neutral_page(request)
    in_clients_language(request, checkin)
    checkin_open(checkin=checkin, request=request)
    step = current_step(checkin)
    if step.current is None:
        form = FollowUpQuestionsForm(request.POST or None)
    else:
        form = AnswerForm(request.POST or None, instrument=step.current.instrument)
    posted_item = request.POST.get("item", "")
    if request.method == "POST" and posted_item != str(step.current.pk if step.current else "end"):
        return redirect("checkin_public", token=token)  # an older screen sent twice
    if request.method == "POST" and form.is_valid():
        try:
            if step.current is None:
                checkin_finish_follow_up(checkin=checkin, request=request, **form.cleaned_data)
                done = True
            else:
                checkin_answer(
                    checkin=checkin,
                    item_id=step.current.pk,
                    answers=form.answers(),
                    request=request,
                )
                checkin.refresh_from_db()
                done = checkin.state != "waiting"
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if done:
                checkin.refresh_from_db()
                return client_page(
                    request,
                    "checkins/public_done.html",
                    {"checkin": checkin, "first_name": first_name(checkin), **_crisis(checkin)},
                )
            return redirect("checkin_public", token=token)
    return client_page(
        request,
        "checkins/public_step.html",
        {
            "checkin": checkin,
            "first_name": first_name(checkin),
            "step": step,
            "form": form,
            "token": token,
            "prompt": client_prompt(step.current.instrument) if step.current else "",
            **_crisis(checkin),
        },
    )


def _crisis(checkin: CheckIn) -> dict:
    if not checkin.risk_endorsed:
        return {}
    policy = PracticePolicy.current()
    return {"crisis_resources": policy.text_in("crisis_resources", checkin.client.language)}


@require_POST
def checkin_stop(request: HttpRequest, token: str) -> HttpResponse:
    """One click: never contacted for a check-in again."""
    if is_blocked(request):
        return too_many(request)
    checkin = checkin_for_token(token)
    if checkin is None:
        return neutral_page(request)
    in_clients_language(request, checkin)
    checkin_opt_out(checkin=checkin, request=request)
    return client_page(request, "checkins/public_stopped.html")
