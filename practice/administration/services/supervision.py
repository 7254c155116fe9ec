"""Supervision links between two staff members, with dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from practice.administration.services.common import day_text, ensure_practice_admin
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.staff.models import Supervision, User


def links_current_or_later(who: Q, on: dt.date | None = None) -> QuerySet[Supervision]:
    """Links matching `who` that have not ended by the day (today by default)."""
    day = on or timezone.localdate()
    return Supervision.objects.filter(who).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


@transaction.atomic
def supervision_link_add(
    *,
    actor: User,
    supervisor: User,
    supervisee: User,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Supervision:
    ensure_practice_admin(actor)
    # Adding links for one supervisee happens one at a time, so two cannot overlap.
    supervisee = User.objects.select_for_update().get(pk=supervisee.pk)
    errors: dict[str, str] = {}
    if not supervisee.is_active:
        errors[NON_FIELD_ERRORS] = _("%(user)s is deactivated: reactivate them first.") % {
            "user": supervisee
        }
    if supervisor.pk == supervisee.pk:
        errors["supervisor"] = _("A person cannot supervise themselves.")
    elif not (supervisor.is_active and supervisor.is_supervisor):
        errors["supervisor"] = _("Choose an active staff member who has the supervisor role.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("A supervision cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    overlapping = links_current_or_later(Q(supervisor=supervisor, supervisee=supervisee), starts_on)
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    existing = overlapping.order_by("starts_on").first()
    if existing is not None:
        names = {
            "supervisor": supervisor,
            "supervisee": supervisee,
            "starts": day_text(existing.starts_on),
        }
        if existing.ends_on:
            message = _(
                "%(supervisor)s already supervises %(supervisee)s from %(starts)s until "
                "%(ends)s. End that link first, or choose dates after it."
            ) % {**names, "ends": day_text(existing.ends_on)}
        else:
            message = (
                _(
                    "%(supervisor)s already supervises %(supervisee)s from %(starts)s. End that "
                    "link first, or choose dates after it."
                )
                % names
            )
        raise ValidationError({"starts_on": message})
    try:
        with transaction.atomic():
            link = Supervision.objects.create(
                supervisor=supervisor, supervisee=supervisee, starts_on=starts_on, ends_on=ends_on
            )
    except IntegrityError:
        raise ValidationError(
            {"starts_on": _("This supervision link already exists with that start date.")}
        ) from None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=link,
        summary=f"{supervisor} supervises {supervisee} from {starts_on:%d %b %Y}",
        request=request,
    )
    return link


@transaction.atomic
def supervision_link_end(
    *, actor: User, link: Supervision, ends_on: dt.date, request: HttpRequest | None = None
) -> Supervision:
    ensure_practice_admin(actor)
    link = (
        Supervision.objects.select_for_update()
        .select_related("supervisor", "supervisee")
        .get(pk=link.pk)
    )
    if link.ends_on is not None and link.ends_on < timezone.localdate():
        raise ValidationError(
            _("This supervision already ended on %(day)s.") % {"day": day_text(link.ends_on)}
        )
    if ends_on < link.starts_on:
        raise ValidationError(
            {
                "ends_on": _("A supervision cannot end before it starts (%(day)s).")
                % {"day": day_text(link.starts_on)}
            }
        )
    link.ends_on = ends_on
    link.save(update_fields=["ends_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=link,
        summary=(
            f"{link.supervisor.username} supervises {link.supervisee.username} until {ends_on}"
        ),
        request=request,
    )
    return link
