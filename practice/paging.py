"""Keyset paging for lists that grow forever (the audit log): each page asks for the rows
after a cursor, so a page costs the same on the first day and after ten years, and nothing
counts the whole table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from practice.forms import QueryForm


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    newer: str | None  # the cursor of the page before this one, if there is one
    older: str | None  # the cursor of the next page, if there is one


def cursor_of(at: dt.datetime, pk: int) -> str:
    return f"{at.isoformat()}_{pk}"


def _parse(cursor: str | None) -> tuple[dt.datetime, int] | None:
    """A cursor from the address bar, or None if it is not one of ours."""
    if not cursor or len(cursor) > 80:
        return None
    moment, _, pk = cursor.rpartition("_")
    try:
        at = parse_datetime(moment)
    except ValueError:
        return None
    if at is None or at.tzinfo is None or not pk.isdigit() or len(pk) > 18:
        return None
    return at, int(pk)


def keyset_page(
    rows: QuerySet, *, older_than: str | None, newer_than: str | None, size: int, at: str = "at"
) -> KeysetPage:
    """Newest first by (`at`, pk). `older_than` pages back in time, `newer_than` forward; an
    unreadable cursor is the first page."""
    newer_key, older_key = _parse(newer_than), _parse(older_than)
    if newer_key is not None:
        moment, pk = newer_key
        found = list(
            rows.filter(Q(**{f"{at}__gt": moment}) | Q(**{at: moment, "pk__gt": pk})).order_by(
                at, "pk"
            )[: size + 1]
        )
        more_newer = len(found) > size
        page = list(reversed(found[:size]))
        return KeysetPage(
            rows=page,
            newer=_cursor(page[0], at) if more_newer and page else None,
            older=_cursor(page[-1], at) if page else older_than,
        )
    if older_key is not None:
        moment, pk = older_key
        rows = rows.filter(Q(**{f"{at}__lt": moment}) | Q(**{at: moment, "pk__lt": pk}))
    found = list(rows.order_by(f"-{at}", "-pk")[: size + 1])
    page = found[:size]
    return KeysetPage(
        rows=page,
        newer=_cursor(page[0], at) if older_key is not None and page else None,
        older=_cursor(page[-1], at) if len(found) > size else None,
    )


def _cursor(row, at: str) -> str:
    return cursor_of(getattr(row, at), row.pk)


def validate_cursor(value: str) -> None:
    if value and _parse(value) is None:
        raise forms.ValidationError(_("This is not a page of this list."), code="bad_cursor")


class KeysetPageForm(QueryForm):
    """The cursors of a keyset-paged list, from the query string."""

    older = forms.CharField(
        max_length=80, initial=None, validators=[validate_cursor], label=_("Older page")
    )
    newer = forms.CharField(
        max_length=80, initial=None, validators=[validate_cursor], label=_("Newer page")
    )
