"""The practice admin's pages: policy, staff, client directory, instruments, audit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import role_required
from .models import PracticePolicy, Role, User


@role_required(Role.PRACTICE_ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "practice/admin_home.html", admin_home_context())


def admin_home_context() -> dict:
    return {
        "staff": User.objects.filter(is_active=True).prefetch_related(
            "supervisions_received__supervisor"
        ),
        "policy": PracticePolicy.current(),
    }
