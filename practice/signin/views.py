from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice.input import safe_next
from practice.policy.models import PracticePolicy
from practice.signin.forms import LanguageForm, ProfileForm, TokenForm
from practice.signin.mfa import (
    mfa_confirm,
    mfa_offer,
    mfa_pending_device,
    mfa_qr_svg,
    mfa_remove,
    mfa_signed_key,
)
from practice.signin.preferences import language_choose, preferences_save
from practice.staff.models import Role

HOME_BY_ROLE = {
    Role.SUPERVISOR: "supervisor_home",
    Role.COUNSELOR: "counselor_home",
    Role.PRACTICE_ADMIN: "admin_home",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = request.user.roles
    if not roles:
        return render(request, "practice/no_role.html")
    return redirect(HOME_BY_ROLE[roles[0]])


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    return safe_next(request, default)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user, confirmed=True):
        return render(request, "registration/mfa_manage.html", {"policy": PracticePolicy.current()})
    device = mfa_offer(user=request.user, signed_key=request.POST.get("enrolment"))
    if request.method == "POST":
        device = mfa_pending_device(user=request.user, key=device.key)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        mfa_confirm(user=request.user, device=device, request=request)
        otp_login(request, device)
        messages.success(
            request, _("Two-factor sign-in is on. You will be asked for a code at sign-in.")
        )
        return redirect(_safe_next(request))
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mfa_qr_svg(device),
            "secret_base32": _base32(device),
            "enrolment": mfa_signed_key(device),
            "next": _safe_next(request, default=""),
        },
    )


@login_required
@require_POST
def mfa_disable(request: HttpRequest) -> HttpResponse:
    if PracticePolicy.current().mfa_required:
        raise Http404("Two-factor sign-in is required by the practice.")
    mfa_remove(user=request.user, request=request)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("mfa_setup")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or request.user.is_verified():
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_safe_next(request))
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _safe_next(request, default="")},
    )


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Changes the language of the pages: the cookie before sign-in, the profile after."""
    form = LanguageForm(request.POST)
    response = redirect(_safe_next(request))
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        language_choose(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, **form.cleaned_data)
        translation.activate(request.user.language)
        messages.success(request, _("Your preferences are saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})
