"""What every admin page shares."""

from django.http import HttpRequest, QueryDict

from clients.models import ClientStatus
from practice.staff.access import role_required
from practice.staff.models import Role

OPEN_STATUSES = (ClientStatus.ACTIVE, ClientStatus.ENDING)

admin_only = role_required(Role.PRACTICE_ADMIN)


def form_data(request: HttpRequest) -> QueryDict | None:
    """POST data for a form, even an empty POST (so that it is validated and shows errors)."""
    return request.POST if request.method == "POST" else None
