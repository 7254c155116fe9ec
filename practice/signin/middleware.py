"""Idle logoff and two-factor enforcement, both driven by the practice policy."""

import time
import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import user_has_device

from practice.policy.models import PracticePolicy

EXEMPT_PREFIXES = ("/static/", "/account/mfa/", "/account/logout/", "/healthz")
# Writing the session on every request costs a query; a minute's precision is enough.
LAST_SEEN_WRITE_EVERY_SECONDS = 30


class IdleLogoffMiddleware:
    """Signs out a user who has been idle longer than the policy allows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            policy = PracticePolicy.current()
            now = time.time()
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - last_seen > policy.idle_logoff_minutes * 60:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out after %(minutes)s minutes without activity, to "
                        "keep client records private. Please sign in again."
                    )
                    % {"minutes": policy.idle_logoff_minutes},
                )
                return redirect(
                    f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if last_seen is None or now - last_seen > LAST_SEEN_WRITE_EVERY_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)


class MfaMiddleware:
    """Sends a user to verify their second factor, or to enrol when the policy requires one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            if user_has_device(user, confirmed=True):
                if not user.is_verified():
                    return redirect(_with_next("mfa_verify", request))
            else:
                policy = PracticePolicy.current()
                if policy.mfa_required:
                    messages.info(
                        request,
                        _("The practice requires two-factor sign-in. Set it up to continue."),
                    )
                    return redirect(_with_next("mfa_setup", request))
        return self.get_response(request)


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"


class UserTimeZoneMiddleware:
    """Shows and reads times in the signed-in user's own time zone on every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            with timezone.override(zoneinfo.ZoneInfo(user.time_zone)):
                return self.get_response(request)
        return self.get_response(request)


class UserLanguageMiddleware:
    """Shows every page in the signed-in user's own language (their profile's choice).

    Before sign-in Django's LocaleMiddleware has already chosen from the switch's cookie or the
    browser's Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
