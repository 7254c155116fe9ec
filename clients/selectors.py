"""Reads of clients: name search, whether a client has gone silent, electronic consent."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from clients.models import Client, Consent, ConsentKind
from practice.policy.models import PracticePolicy
from practice.staff.models import User


def silent_threshold(policy: PracticePolicy, now: dt.datetime) -> dt.datetime:
    """A client whose last attended session is before this moment has gone silent."""
    return now - dt.timedelta(days=policy.silent_client_days)


def is_silent(
    *,
    last_session_at: dt.datetime | None,
    next_session_at: dt.datetime | None,
    intake_date: dt.date,
    policy: PracticePolicy,
    now: dt.datetime,
) -> bool:
    """No attended session within the policy's days and nothing scheduled (the same rule as
    sessions_app.selectors.silent_condition, for pages that count clients in the database)."""
    if next_session_at is not None:
        return False
    threshold = silent_threshold(policy, now)
    if last_session_at is None:
        return intake_date < threshold.date()
    return last_session_at < threshold


def name_matches(query: str) -> Q:
    condition = Q()
    for word in query.split()[:4]:
        condition &= (
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return condition


def search_clients(*, user: User, query: str) -> QuerySet:
    """Clients the user may read whose names match every word typed."""
    return (
        Client.objects.clinical_for(user)
        .filter(name_matches(query))
        .select_related("primary_counselor")[:50]
    )


def electronic_consent_today(day: dt.date, client_field: str = "client_id") -> Exists:
    """For a query of rows with a client: that client has a valid electronic-communication
    consent on the day (what email to a client needs)."""
    return Exists(
        Consent.objects.valid_on(day).filter(
            client=OuterRef(client_field), kind=ConsentKind.ELECTRONIC
        )
    )
