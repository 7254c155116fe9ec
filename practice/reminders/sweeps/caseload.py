"""Sweeps over the caseload: silent clients, consents about to expire, plan reviews due."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client, ClientStatus, Consent, ConsentKind
from clients.services import plan_review_due_condition, plan_review_due_on
from practice.policy.models import PracticePolicy
from practice.reminders.models import ReminderKind
from practice.reminders.recording import Due
from practice.reminders.text import day_text, first_name, in_language_of, initials, utc_date
from sessions_app.models import CounselingSession, SessionStatus
from sessions_app.selectors import silent_condition


def find_silent_clients(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Active clients with no attended session for the policy's days and nothing scheduled
    (silent_condition, the rule is_silent states for one client). The key's date is the last
    contact (or the intake): one reminder per silence."""
    clients = (
        Client.objects.filter(status=ClientStatus.ACTIVE, primary_counselor__is_active=True)
        .filter(silent_condition(policy, now))
        .annotate(
            last_session_at=Subquery(
                CounselingSession.objects.filter(
                    client=OuterRef("pk"), status=SessionStatus.ATTENDED
                )
                .order_by("-starts_at")
                .values("starts_at")[:1]
            )
        )
        .select_related("primary_counselor")
    )
    dues = []
    for client in clients:
        last_contact = (
            utc_date(client.last_session_at) if client.last_session_at else client.intake_date
        )
        counselor = client.primary_counselor
        who = initials(client)
        days = (utc_date(now) - last_contact).days
        with in_language_of(counselor):
            dues.append(
                Due(
                    kind=ReminderKind.SILENT_CLIENT,
                    object_id=client.pk,
                    due_on=last_contact,
                    recipient=counselor,
                    title=_("No contact with %(who)s for %(days)s days")
                    % {"who": who, "days": days},
                    link=reverse("client_detail", args=[client.pk]),
                    context={
                        "first_name": first_name(counselor),
                        "who": who,
                        "days": days,
                        "since": day_text(last_contact),
                        "attended_before": client.last_session_at is not None,
                    },
                )
            )
    return dues


CONSENT_WORDS = {
    ConsentKind.TREATMENT: gettext_lazy("consent to treatment"),
    ConsentKind.RELEASE: gettext_lazy("release of information"),
    ConsentKind.ELECTRONIC: gettext_lazy("consent to electronic communication"),
}


def find_expiring_consents(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Consents valid today that expire within the next days and were not renewed."""
    today = utc_date(now)
    horizon = today + dt.timedelta(days=settings.REMINDER_CONSENT_EXPIRY_DAYS)
    renewed = (
        Consent.objects.valid_on(today)
        .filter(
            client=OuterRef("client_id"),
            kind=OuterRef("kind"),
            recipient_name=OuterRef("recipient_name"),
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    )
    consents = (
        Consent.objects.valid_on(today)
        .filter(expires_on__lte=horizon, client__primary_counselor__is_active=True)
        .exclude(client__status=ClientStatus.CLOSED)
        .exclude(Exists(renewed))
        .select_related("client__primary_counselor")
    )
    dues = []
    for consent in consents:
        counselor = consent.client.primary_counselor
        who = initials(consent.client)
        with in_language_of(counselor):
            label = str(CONSENT_WORDS.get(consent.kind) or consent.get_kind_display().lower())
            expires = day_text(consent.expires_on)
            dues.append(
                Due(
                    kind=ReminderKind.CONSENT_EXPIRING,
                    object_id=consent.pk,
                    due_on=consent.expires_on,
                    recipient=counselor,
                    title=_("%(consent)s for %(who)s expires on %(day)s")
                    % {"consent": label.capitalize(), "who": who, "day": expires},
                    link=reverse("client_detail", args=[consent.client_id]),
                    context={
                        "first_name": first_name(counselor),
                        "who": who,
                        "consent": label,
                        "expires": expires,
                        "days": (consent.expires_on - today).days,
                    },
                )
            )
    return dues


def find_plan_reviews(*, now: dt.datetime, policy: PracticePolicy) -> list[Due]:
    """Open clients whose plan review (the policy's interval after the last, or the intake) is
    due today or earlier (plan_review_due_condition)."""
    today = utc_date(now)
    clients = (
        Client.objects.exclude(status=ClientStatus.CLOSED)
        .filter(primary_counselor__is_active=True)
        .filter(plan_review_due_condition(policy, today))
        .annotate(last_review_on=Max("plan_reviews__reviewed_on"))
        .select_related("primary_counselor")
    )
    dues = []
    for client in clients:
        due = plan_review_due_on(client=client, last_review_on=client.last_review_on, policy=policy)
        counselor = client.primary_counselor
        who = initials(client)
        with in_language_of(counselor):
            day = day_text(due)
            dues.append(
                Due(
                    kind=ReminderKind.PLAN_REVIEW_DUE,
                    object_id=client.pk,
                    due_on=due,
                    recipient=counselor,
                    title=_("Plan review for %(who)s due since %(day)s") % {"who": who, "day": day},
                    link=reverse("plan_review", args=[client.pk]),
                    context={"first_name": first_name(counselor), "who": who, "due": day},
                )
            )
    return dues
