"""Reads of staff: who supervises whom on a day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from practice.staff.models import Supervision, User


def supervisors_by_counselor(counselor_ids: Iterable[int], day: dt.date) -> dict[int, list[User]]:
    """Each counselor's current, active supervisors, in one query."""
    links = (
        Supervision.objects.current(day)
        .filter(
            supervisee_id__in=set(counselor_ids),
            supervisor__is_active=True,
            supervisor__is_supervisor=True,
        )
        .select_related("supervisor")
        .order_by("supervisor_id")
    )
    found: dict[int, list[User]] = defaultdict(list)
    for link in links:
        found[link.supervisee_id].append(link.supervisor)
    return found
