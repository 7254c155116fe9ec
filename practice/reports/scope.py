"""Whose endings a viewer may count, decided in one place.

A counselor counts their own clients' endings; a supervisor their current supervisees' (each
counselor and pooled); the practice admin the whole practice, pooled and per counselor, with
every count under the policy's minimum cell size suppressed. A person holding several roles picks
which view to open; each view keeps its own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from practice.staff.models import User


class View(StrEnum):
    OWN = "own"
    SUPERVISION = "supervision"
    PRACTICE = "practice"

    @property
    def label(self) -> str:
        return str(VIEW_LABELS[self])


VIEW_LABELS = {
    View.OWN: _("My clients"),
    View.SUPERVISION: _("My supervisees"),
    View.PRACTICE: _("The whole practice (pooled, small counts hidden)"),
}


def views_for(user: User) -> list[View]:
    """The views a user may open, the default first: supervision, then own, then the practice."""
    if not (user.is_authenticated and user.is_active):
        return []
    available = []
    if user.is_supervisor:
        available.append(View.SUPERVISION)
    if user.is_counselor:
        available.append(View.OWN)
    if user.is_practice_admin:
        available.append(View.PRACTICE)
    return available


@dataclass(frozen=True)
class Scope:
    viewer: User
    view: View
    min_cell_size: int | None  # set for the practice view: counts below it are never shown

    @property
    def suppresses(self) -> bool:
        return self.min_cell_size is not None

    def counselors(self) -> QuerySet[User]:
        """The counselors whose clients' endings this view counts (and may filter on)."""
        if self.view == View.OWN:
            return User.objects.filter(pk=self.viewer.pk)
        if self.view == View.SUPERVISION:
            return self.viewer.supervisees()
        # Everyone who counsels or ever held a caseload, former staff included.
        return User.objects.filter(
            Q(is_counselor=True) | Q(pk__in=_primary_counselor_ids())
        ).order_by("last_name", "first_name", "username")

    def limits_counselors(self) -> bool:
        return self.view != View.PRACTICE


def _primary_counselor_ids():
    from clients.models import Client

    return Client.objects.values("primary_counselor")


def scope_for(user: User, view: View, min_cell_size: int) -> Scope:
    if view not in views_for(user):
        raise PermissionError(f"{user} may not open the {view} view.")
    return Scope(
        viewer=user,
        view=view,
        min_cell_size=min_cell_size if view == View.PRACTICE else None,
    )
