"""A supervisee's caseload as CSV for the supervisor: no note text, formulas neutralised,
audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record, client_ip
from practice.caseload.selectors import FLAG_LABELS, caseload_rows
from practice.links import RowLink
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from practice.supervision.selectors import open_client_facts

# Column headings for people (no code reads them back), in the exporting person's language.
CSV_HEADER = [
    gettext_lazy("Client"),
    gettext_lazy("Status"),
    gettext_lazy("Intake date"),
    gettext_lazy("Last session"),
    gettext_lazy("Next session"),
    gettext_lazy("Sessions attended"),
    gettext_lazy("Latest alliance"),
    gettext_lazy("Outcomes"),
    gettext_lazy("Flags"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; typed text that a spreadsheet would run as a formula is
    prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(moment: dt.datetime | None, pattern: str) -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def caseload_export(
    *,
    actor: User,
    counselor: User,
    status: str = "open",
    request: HttpRequest | None = None,
) -> list[list[str]]:
    """A supervisee's caseload as CSV rows (a header first). Facts and flags only, never note
    text. Each client in it gets an audit row, so the log shows who took their data out."""
    if not (actor.is_supervisor and actor.supervises(counselor)):
        raise ValidationError(
            _("Only a current supervisor of this counselor can export the caseload.")
        )
    policy = PracticePolicy.current()
    rows = visible_caseload_rows(
        supervisor=actor,
        rows=caseload_rows(counselor=counselor, policy=policy, status=status),
    )
    off_track_ids = {
        facts.client.pk
        for facts in open_client_facts(
            Client.objects.filter(pk__in=[row.client.pk for row in rows]),
            supervisor=actor,
            policy=policy,
            now=timezone.now(),
        )
        if facts.off_track
    }
    table = [[str(heading) for heading in CSV_HEADER]]
    for row in rows:
        flags = [str(FLAG_LABELS[key]) for key in row.flags]
        if row.client.pk in off_track_ids:
            flags.append(_("Off track"))
        alliance = row.measures.alliance_latest
        table.append(
            [
                _cell(row.client.display_name),
                row.client.get_status_display(),
                row.client.intake_date.isoformat(),
                _local(row.last_session_at, "%Y-%m-%d"),
                _local(row.next_session_at, "%Y-%m-%d %H:%M"),
                str(row.attended_count),
                "" if alliance is None else f"{alliance.normalize():f}",
                "; ".join(
                    f"{_cell(reading.instrument)}: {reading.outcome.label}"
                    for reading in row.measures.outcomes
                ),
                "; ".join(flags),
            ]
        )
    _audit_export(actor, counselor, [row.client.pk for row in rows], request)
    return table


def visible_caseload_rows(*, supervisor: User, rows: list) -> list:
    """Rows of a current supervisee's caseload that the supervisor may open: a supervisee may
    cover clients of counselors this supervisor does not supervise, and those stay private.
    Each row the supervisee holds as primary counselor gets the link to its comments and
    review."""
    # The supervisee's own clients are the supervisor's to read by the access rule; only the
    # clients they cover need asking about (none, most days: no query then).
    covered = [row.client.pk for row in rows if row.covering]
    visible = set(
        Client.objects.clinical_for(supervisor).filter(pk__in=covered).values_list("pk", flat=True)
        if covered
        else ()
    )
    review_link, of_name = RowLink("supervision_client"), _("of %(name)s")
    for row in rows:
        if not row.covering:
            row.review_url = review_link(row.client.pk)
            row.review_of = of_name % {"name": row.client.display_name}
    return [row for row in rows if not row.covering or row.client.pk in visible]


def _audit_export(
    actor: User, counselor: User, client_ids: list[int], request: HttpRequest | None
) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=counselor,
        summary=f"Exported the caseload of {counselor} as CSV ({len(client_ids)} clients)",
        request=request,
    )
    user_agent = (request.META.get("HTTP_USER_AGENT", "") if request else "")[:300]
    # One row per client in a single insert: the log answers "who took this client's data out".
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_username=actor.get_username(),
            action=AuditEvent.Action.EXPORT,
            object_type=Client._meta.label_lower,
            object_id=str(client_id),
            client_id=client_id,
            summary="Included in a caseload export (CSV)",
            ip_address=client_ip(request),
            user_agent=user_agent,
        )
        for client_id in client_ids
    )
