"""Alerts from the client's own phone: a risk item endorsed on a check-in, new answers before a
session, and (from the relapse watch) a relapse signal after an ending.

They take the alliance alerts' path (reminders.recording): notification rows with a unique key
per (kind, object, day, recipient), written in the same transaction as the answer that raised
them, and emailed after commit by the delivery task. The counselor is told; when the counselor has
left, the supervisors, or else the practice admins, are told instead."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from practice.policy.models import PracticePolicy
from practice.reminders.models import ReminderKind
from practice.reminders.recording import Due, record_due
from practice.reminders.text import first_name, in_language_of, initials, utc_date
from practice.staff.models import User
from practice.staff.selectors import supervisors_by_counselor
from sessions_app.checkins.models import CheckIn, CheckInPurpose
from sessions_app.models import Rating


def responsible_staff(
    clients: Iterable[Client], *, supervisors_too: bool = False
) -> dict[int, list[User]]:
    """client pk -> who hears about them: the counselor if still active (and their supervisors
    when asked); the supervisors if the counselor left; the practice admins if nobody else.
    Expects clients with primary_counselor selected. Two queries at most."""
    clients = list(clients)
    if not clients:
        return {}
    supervisors = supervisors_by_counselor(
        {client.primary_counselor_id for client in clients}, timezone.localdate()
    )
    admins = None
    found: dict[int, list[User]] = {}
    for client in clients:
        counselor = client.primary_counselor
        people = [counselor] if counselor.is_active else []
        if supervisors_too or not people:
            people += supervisors.get(counselor.pk, [])
        if not people:
            if admins is None:
                admins = list(User.objects.filter(is_active=True, is_practice_admin=True))
            people = list(admins)
        found[client.pk] = people
    return found


def staff_link(person: User, client: Client, *, counselor: bool) -> str:
    """The counselor opens the record; a supervisor the supervision view; an admin nothing."""
    if counselor:
        return reverse("client_detail", args=[client.pk])
    if person.is_supervisor:
        return reverse("supervision_client", args=[client.pk])
    return ""


def checkin_risk_dues(ratings: list[Rating], policy: PracticePolicy) -> list[Due]:
    """Expects ratings with client__primary_counselor selected."""
    people = responsible_staff(
        [rating.client for rating in ratings], supervisors_too=policy.risk_alert_to_supervisor
    )
    dues = []
    for rating in ratings:
        who = initials(rating.client)
        for person in people[rating.client_id]:
            counselor = person.pk == rating.client.primary_counselor_id
            with in_language_of(person):
                dues.append(
                    Due(
                        kind=ReminderKind.CHECKIN_RISK,
                        object_id=rating.pk,
                        due_on=utc_date(rating.created_at or timezone.now()),
                        recipient=person,
                        title=_("Risk item endorsed on a check-in by %(who)s") % {"who": who},
                        link=staff_link(person, rating.client, counselor=counselor),
                        context={"first_name": first_name(person), "who": who},
                    )
                )
    return dues


def record_checkin_risk(rating: Rating) -> int:
    """Called by checkin_answer inside its transaction: the alert is written with the answer."""
    rating = Rating.objects.select_related("client__primary_counselor").get(pk=rating.pk)
    return record_due(checkin_risk_dues([rating], PracticePolicy.current()), source="alert")


def checkin_answered_dues(checkins: list[CheckIn]) -> list[Due]:
    """New answers before a session: the counselor sees them before it starts (in-app and, by
    their choice, email). Expects checkins with client__primary_counselor and session."""
    people = responsible_staff([checkin.client for checkin in checkins])
    dues = []
    for checkin in checkins:
        who = initials(checkin.client)
        for person in people[checkin.client_id]:
            with in_language_of(person):
                dues.append(
                    Due(
                        kind=ReminderKind.CHECKIN_ANSWERED,
                        object_id=checkin.pk,
                        due_on=utc_date(checkin.completed_at or timezone.now()),
                        recipient=person,
                        title=_("%(who)s answered a check-in") % {"who": who},
                        link=reverse("checkin_detail", args=[checkin.pk]),
                        context={"first_name": first_name(person), "who": who},
                    )
                )
    return dues


def checkin_completed(checkin: CheckIn) -> int:
    """Called by the check-in service inside the transaction that completed it."""
    checkin = CheckIn.objects.select_related("client__primary_counselor").get(pk=checkin.pk)
    if checkin.purpose == CheckInPurpose.FOLLOW_UP:
        from termination.relapse_watch import relapse_evaluate

        signal = relapse_evaluate(checkin=checkin)
        if signal is not None:
            return record_due(relapse_signal_dues([signal]), source="alert")
    return record_due(checkin_answered_dues([checkin]), source="alert")


def relapse_signal_dues(signals: list) -> list[Due]:
    """At once to the counselor; if the counselor has left, to the supervisors, else the
    practice admins. Expects signals with termination__client__primary_counselor selected."""
    people = responsible_staff([signal.termination.client for signal in signals])
    dues = []
    for signal in signals:
        client = signal.termination.client
        who = initials(client)
        for person in people[client.pk]:
            counselor = person.pk == client.primary_counselor_id
            with in_language_of(person):
                dues.append(
                    Due(
                        kind=ReminderKind.RELAPSE_SIGNAL,
                        object_id=signal.pk,
                        due_on=utc_date(signal.raised_at),
                        recipient=person,
                        title=_("Relapse signal from a follow-up with %(who)s") % {"who": who},
                        link=reverse("termination_workspace", args=[signal.termination_id])
                        if counselor
                        else staff_link(person, client, counselor=False),
                        context={
                            "first_name": first_name(person),
                            "who": who,
                            "reasons": "; ".join(
                                str(label).split(" (")[0].lower() for label in signal.reason_labels
                            ),
                        },
                    )
                )
    return dues
