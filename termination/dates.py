"""Every date of an ending, computed here and nowhere else. The services store what they compute
with these functions; the selectors, the workspace, the reminders and the documents read them
through these functions too, so a letter, the workspace and the schedule always agree.

    final session      the notice's date, moved to the last tapering session when tapering is
                       scheduled (a cancelled tapering session does not count)
    summary due        the final session + the policy's days; an ending without a final session
                       (unplanned): the day the closing letter step was recorded + those days;
                       no due date before that
    follow-ups         the close + each policy offset (so never overdue on the day of closing);
                       before the close, the expected close: the final session (or today, once
                       it has passed), for an unplanned ending the date promised in the letter
    last contact       the latest day the client was seen or reached: an attended session, an
                       outreach attempt that reached them, a follow-up that reached them; none
                       of those: the day of closing
    no relationship    the last contact + the policy's years
    retention          the last contact + the policy's years; for a minor the later of that and
                       majority + the policy's years
    promised close     the close date in the latest closing letter produced (not a failed one)

Closing before the final session, or before the date promised in a closing letter, needs a
recorded reason (see `early_close_problem`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from practice.policy.models import PracticePolicy
from sessions_app.models import CounselingSession, SessionStatus
from termination.models import (
    Document,
    DocumentKind,
    DocumentState,
    EndingKind,
    FollowUp,
    OutreachAttempt,
    Termination,
)

# Sessions that did not take place: a tapering session cancelled does not end counseling.
NOT_HELD = (SessionStatus.CANCELLED, SessionStatus.LATE_CANCELLED)
# Follow-ups whose outcome means the client was reached (a contact).
FOLLOW_UPS_REACHED = (FollowUp.Outcome.REACHED, FollowUp.Outcome.RETURNED)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 1 March, so nothing ends a day early."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


# The final session and the summary ------------------------------------------------------------


def last_tapering_session_on(termination: Termination) -> dt.date | None:
    """The day of the last tapering session still on (uses prefetched taper sessions)."""
    days = [
        _local_day(item.session.starts_at)
        for item in termination.taper_sessions.all()
        if item.session.status not in NOT_HELD
    ]
    return max(days) if days else None


def final_session_on(termination: Termination, *, notice_date: dt.date | None) -> dt.date | None:
    """The final session: the notice's date, unless tapering books the last session."""
    return last_tapering_session_on(termination) or notice_date


def summary_due_on(termination: Termination, policy: PracticePolicy) -> dt.date | None:
    days = dt.timedelta(days=policy.closing_summary_due_days)
    if termination.final_session_on:
        return termination.final_session_on + days
    if termination.closing_letter_recorded_at:
        return _local_day(termination.closing_letter_recorded_at) + days
    return None


def summary_deadline(termination: Termination, policy: PracticePolicy) -> dt.date | None:
    """The summary's due date as the workspace and reminders show it: once the summary is
    started it keeps the date it was given (moved only when the final session moves, not by a
    later policy change); before that, computed."""
    try:
        summary = termination.summary
    except Termination.summary.RelatedObjectDoesNotExist:
        summary = None
    if summary is not None and summary.due_on:
        return summary.due_on
    return summary_due_on(termination, policy)


# The promise of a closing letter, and closing early -----------------------------------------


def promised_close_on(termination: Termination) -> dt.date | None:
    """The close date the client was told in the latest closing letter produced."""
    letter = (
        Document.objects.filter(termination=termination, kind=DocumentKind.CLOSING_LETTER)
        .exclude(state=DocumentState.FAILED)
        .order_by("-version")
        .values_list("options", flat=True)
        .first()
    )
    if not letter or not letter.get("close_on"):
        return None
    return dt.date.fromisoformat(letter["close_on"])


def early_close_problem(termination: Termination, *, on: dt.date) -> str:
    """Why closing on `on` is early (empty when it is not): before the planned final session,
    or before the date promised to the client in a closing letter."""
    promised = promised_close_on(termination)
    if promised and on < promised:
        return _(
            "The closing letter told the client the file closes on %(day)s. To close before "
            "then, record the reason."
        ) % {"day": date_format(promised, "j F Y")}
    final = termination.final_session_on
    if termination.kind == EndingKind.PLANNED and final and on < final:
        return _(
            "The final session is planned for %(day)s. To close before then, record the reason."
        ) % {"day": date_format(final, "j F Y")}
    return ""


# Follow-ups -------------------------------------------------------------------------------------


def expected_close_on(termination: Termination, *, today: dt.date) -> dt.date:
    """The day the ending is expected to close, before it has: what the follow-ups count from."""
    if termination.closed_at:
        return _local_day(termination.closed_at)
    planned_end = termination.final_session_on
    if termination.kind == EndingKind.UNPLANNED:
        planned_end = promised_close_on(termination) or planned_end
    return max(planned_end, today) if planned_end else today


def follow_up_schedule(anchor: dt.date, policy: PracticePolicy) -> list[tuple[int, dt.date]]:
    return [(days, anchor + dt.timedelta(days=days)) for days in policy.follow_up_offsets_days]


def follow_up_dates(
    termination: Termination, policy: PracticePolicy, *, today: dt.date
) -> list[dt.date]:
    """The scheduled follow-ups once closed (prefetched rows), else the expected ones."""
    scheduled = [item.due_on for item in termination.follow_ups.all()]
    if scheduled:
        return sorted(scheduled)
    anchor = expected_close_on(termination, today=today)
    return [due for _offset, due in follow_up_schedule(anchor, policy)]


# The last contact, no relationship and retention ----------------------------------------------


def last_contact_on(client: Client, termination: Termination | None = None) -> dt.date | None:
    """The latest day the client was seen or reached."""
    days = []
    attended = CounselingSession.objects.filter(
        client=client, status=SessionStatus.ATTENDED
    ).aggregate(last=Max("starts_at"))["last"]
    if attended:
        days.append(_local_day(attended))
    if termination is not None:
        reached = termination.outreach_attempts.filter(
            outcome=OutreachAttempt.Outcome.REACHED
        ).aggregate(last=Max("attempted_on"))["last"]
        followed = termination.follow_ups.filter(outcome__in=FOLLOW_UPS_REACHED).aggregate(
            last=Max("done_on")
        )["last"]
        days += [day for day in (reached, followed) if day]
    return max(days) if days else None


def retention_date(*, client: Client, last_contact: dt.date, policy: PracticePolicy) -> dt.date:
    """Policy years after the last contact; for a minor, the later of that and majority + N."""
    retain = add_years(last_contact, policy.retention_years)
    if client.age_on(last_contact) < policy.age_of_majority:
        majority = add_years(client.date_of_birth, policy.age_of_majority)
        retain = max(retain, add_years(majority, policy.minor_retention_years_after_majority))
    return retain


@dataclass(frozen=True)
class AfterContact:
    last_contact: dt.date
    relationship_barred_until: dt.date
    retain_until: dt.date


def after_last_contact(
    termination: Termination, policy: PracticePolicy, *, fallback: dt.date
) -> AfterContact:
    client = termination.client
    last = last_contact_on(client, termination) or fallback
    return AfterContact(
        last_contact=last,
        relationship_barred_until=add_years(last, policy.no_relationship_years),
        retain_until=retention_date(client=client, last_contact=last, policy=policy),
    )


# What each document states, to tell when it is out of date -------------------------------------


@dataclass(frozen=True)
class EndingDates:
    final_session: dt.date | None
    summary_due: dt.date | None
    follow_ups: list[dt.date] = field(default_factory=list)
    last_contact: dt.date | None = None
    relationship_barred_until: dt.date | None = None
    retain_until: dt.date | None = None
    promised_close: dt.date | None = None
    closed: bool = False


def ending_dates(
    termination: Termination, policy: PracticePolicy, *, today: dt.date
) -> EndingDates:
    """The dates of one ending as they stand now (a fixed number of queries)."""
    return EndingDates(
        final_session=termination.final_session_on,
        summary_due=summary_deadline(termination, policy),
        follow_ups=follow_up_dates(termination, policy, today=today),
        last_contact=termination.ended_on,
        relationship_barred_until=termination.relationship_barred_until,
        retain_until=termination.retain_until,
        promised_close=(
            promised_close_on(termination) if termination.kind == EndingKind.UNPLANNED else None
        ),
        closed=termination.closed_at is not None,
    )


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def document_dates(kind: str, dates: EndingDates, options: dict) -> dict[str, object]:
    """The dates a document of this kind states, as stored on the Document when produced."""
    if kind == DocumentKind.AFTERCARE_LETTER:
        return {"follow_ups": [_iso(day) for day in dates.follow_ups]}
    if kind == DocumentKind.CLOSING_SUMMARY:
        return {
            "final_session": _iso(dates.final_session),
            "last_contact": _iso(dates.last_contact),
        }
    if kind == DocumentKind.CLOSING_LETTER:
        return {"close_on": options.get("close_on", "")}
    return {}


DATE_LABELS = {
    "follow_ups": gettext_lazy("follow-up dates"),
    "final_session": gettext_lazy("final session"),
    "last_contact": gettext_lazy("last contact"),
    "close_on": gettext_lazy("closing date"),
}


def changed_dates(stated: dict, current: dict) -> list[str]:
    """What changed since a document was produced, in words ([] when it still agrees). A
    document produced before its dates were recorded (no stated dates) is taken as it is."""
    if not stated:
        return []
    return [
        str(DATE_LABELS.get(key, key)) for key, value in current.items() if stated.get(key) != value
    ]
