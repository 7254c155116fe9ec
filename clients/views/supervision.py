"""The supervisor's pages: the caseload review board and the review actions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from practice.access import role_required
from practice.models import Role


@role_required(Role.SUPERVISOR)
def review_board(request: HttpRequest) -> HttpResponse:
    return render(
        request, "practice/supervisor_home.html", {"supervisees": request.user.supervisees()}
    )
