"""A supervisor's review of a client's record: comments the counselor reads and the monthly
"chart reviewed" mark. Only a current supervisor of the client's counselor may add them; each is
audited. The panel shows on the client page and on the supervisor's review page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import ChartReview, Client, ReviewComment
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.formats import when
from practice.staff.models import User


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# A client's review panel: comments and the monthly mark ------------------------------------------


@dataclass
class ClientReview:
    comments: list[ReviewComment]
    month: dt.date
    marks_this_month: list[ChartReview]
    can_review: bool
    marked_by_viewer: ChartReview | None


def client_review(client: Client, viewer: User) -> ClientReview:
    """The review comments and this month's marks on a client's record. Shown to whoever may
    read the clinical record (the counselor and the supervisors); only a current supervisor of
    the client's counselor may add to them."""
    month = month_start(timezone.localdate())
    marks = list(client.chart_reviews.filter(month=month).select_related("supervisor"))
    can_review = (
        viewer.is_supervisor
        and not client.is_closed
        and viewer.supervises(client.primary_counselor)
    )
    return ClientReview(
        comments=list(client.review_comments.select_related("author")),
        month=month,
        marks_this_month=marks,
        can_review=can_review,
        marked_by_viewer=next((mark for mark in marks if mark.supervisor_id == viewer.pk), None),
    )


# Review actions ---------------------------------------------------------------------------


def _lock_for_review(actor: User, client: Client, closed_message: str) -> Client:
    client = (
        Client.objects.select_for_update().select_related("primary_counselor").get(pk=client.pk)
    )
    if not (actor.is_supervisor and actor.supervises(client.primary_counselor)):
        raise ValidationError(
            _("Only a current supervisor of the client's counselor can review this record.")
        )
    if client.is_closed:
        raise ValidationError(closed_message)
    return client


@transaction.atomic
def review_comment_add(
    *, actor: User, client: Client, text: str, request: HttpRequest | None = None
) -> ReviewComment:
    """A supervisor's comment on a client's record, seen by the counselor and supervisors."""
    client = _lock_for_review(
        actor,
        client,
        _("This client's record is closed and locked: review comments can't be added."),
    )
    if not text.strip():
        raise ValidationError({"text": _("Write the comment for the counselor.")})
    comment = ReviewComment.objects.create(client=client, author=actor, text=text.strip())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=comment,
        client_id=client.pk,
        summary="Left a review comment",
        request=request,
    )
    return comment


@transaction.atomic
def chart_review_mark(
    *,
    actor: User,
    client: Client,
    month: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ChartReview:
    """Mark a client's chart reviewed by this supervisor for a month (this month by default)."""
    client = _lock_for_review(
        actor,
        client,
        _("This client's record is closed and locked: review marks can't be added."),
    )
    today = timezone.localdate()
    month = month_start(month or today)
    if month > today:
        raise ValidationError(_("A chart cannot be marked reviewed for a month still to come."))
    existing = ChartReview.objects.filter(client=client, supervisor=actor, month=month).first()
    if existing is not None:
        raise ValidationError(
            _("You already marked this chart reviewed for %(month)s on %(when)s.")
            % {"month": when(month, "month"), "when": when(existing.reviewed_at, "datetime")}
        )
    try:
        with transaction.atomic():
            mark = ChartReview.objects.create(client=client, supervisor=actor, month=month)
    except IntegrityError:  # a second click that slipped past the check above
        raise ValidationError(
            _("You already marked this chart reviewed for %(month)s.")
            % {"month": when(month, "month")}
        ) from None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=mark,
        client_id=client.pk,
        summary=f"Marked the chart reviewed for {month:%B %Y}",
        request=request,
    )
    return mark


# The panel's form and context ---------------------------------------------------------------


class ReviewCommentForm(forms.Form):
    # Prefixed: the form also sits on the client page beside other forms.
    prefix = "review"

    text = forms.CharField(
        label=gettext_lazy("Review comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What you noticed and what you suggest; the counselor reads it on the record."
        ),
        error_messages={"required": gettext_lazy("Write the comment for the counselor.")},
    )


def review_context(
    client: Client,
    viewer: User,
    comment_form: ReviewCommentForm | None = None,
    back_to: str = "",
) -> dict:
    """What templates/clients/_review_comments.html needs (the client page includes it too).
    `back_to` is where its forms return; by default the page that shows them."""
    return {
        "review": client_review(client, viewer),
        "review_comment_form": comment_form or ReviewCommentForm(),
        "review_next": back_to,
    }
