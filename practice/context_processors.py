"""Navigation by role. The template only loops over what this builds."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from practice.policy.models import PracticePolicy
from practice.reminders.inbox import unread_count


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def nav_items_for(user, current_path: str) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    entries: list[tuple[str, str]] = []
    if user.is_counselor:
        entries += [
            (_("My caseload"), reverse("counselor_home")),
            (_("Agenda"), reverse("agenda")),
            (_("Groups"), reverse("group_list")),
        ]
    if user.is_supervisor:
        entries.append((_("Supervision"), reverse("supervisor_home")))
    if user.is_counselor or user.is_supervisor:
        entries.append((_("Find a client"), reverse("client_search")))
    entries.append((_("Providers"), reverse("provider_list")))
    entries.append((_("Measures"), reverse("instrument_list")))
    if user.is_counselor or user.is_supervisor or user.is_practice_admin:
        entries.append((_("Reports"), reverse("report_endings")))
    if user.is_practice_admin:
        entries.append((_("Practice admin"), reverse("admin_home")))
    # Adding a client starts from the caseload: it is not a search, whatever its address says.
    if current_path == reverse("client_create") and user.is_counselor:
        current_path = reverse("counselor_home")
    return [
        NavItem(label=label, url=url, active=current_path.startswith(url)) for label, url in entries
    ]


def navigation(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": [], "practice_name": _("Counseling Practice")}
    policy = PracticePolicy.current()
    return {
        "nav_items": nav_items_for(user, request.path),
        "idle_logoff_seconds": policy.idle_logoff_minutes * 60,
        "practice_name": policy.practice_name,
        # One COUNT query per page, whatever the number of notifications.
        "unread_notifications": unread_count(user),
    }
