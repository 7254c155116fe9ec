"""Which endings a report counts, shared by every report.

An ending counts once it has closed (a later reopening keeps it counted: the ending happened, and
the return is reported after the end). It falls in a period by its last contact (`ended_on`) and
belongs to the client's primary counselor.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

from practice.reports.forms import ReportFilters
from termination.models import Termination, TerminationState

ENDED_STATES = (TerminationState.CLOSED, TerminationState.REOPENED)


def endings(filters: ReportFilters) -> QuerySet[Termination]:
    queryset = Termination.objects.filter(
        state__in=ENDED_STATES, ended_on__gte=filters.start, ended_on__lte=filters.end
    )
    if filters.scope.limits_counselors():
        queryset = queryset.filter(client__primary_counselor__in=filters.scope.counselors())
    if filters.counselor is not None:
        queryset = queryset.filter(client__primary_counselor=filters.counselor)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.reason:
        queryset = queryset.filter(reason=filters.reason)
    return queryset.order_by()


def endings_sql(filters: ReportFilters) -> tuple[str, list]:
    """The counted endings as SQL for a common table expression: id, client_id, kind,
    counselor_id, ended_on, closed_at."""
    columns = endings(filters).values(
        "id",
        "client_id",
        "kind",
        "ended_on",
        "closed_at",
        counselor_id=F("client__primary_counselor"),
    )
    sql, params = columns.query.sql_with_params()
    return sql, list(params)


def run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)
