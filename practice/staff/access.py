"""Role checks for staff pages. A page a user may not open answers 404, never 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from practice.staff.models import Role

ROLE_FLAG = {
    Role.COUNSELOR: "is_counselor",
    Role.SUPERVISOR: "is_supervisor",
    Role.PRACTICE_ADMIN: "is_practice_admin",
}


def has_role(user, role: Role) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, ROLE_FLAG[role]))


def role_required(role: Role) -> Callable:
    """Signed-in users without the role get 404, as if the page did not exist."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, role):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
