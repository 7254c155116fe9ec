"""Opening an ending and its first steps: notice (with the pre-ending conversation) and reasons."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import Client, ClientStatus
from clients.services import client_set_status
from practice.formats import when
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from termination import dates
from termination.models import (
    EndingKind,
    Initiator,
    Reason,
    Termination,
)
from termination.services.summary import summary_refresh_due
from termination.services.workflow import _ensure_fresh, _record, _step

# Opening -------------------------------------------------------------------------------------


def termination_open(
    *,
    actor: User,
    client: Client,
    kind: str,
    initiated_by: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Termination:
    """Start an ending. The client moves to `ending`; one open ending per client."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        may_open = (
            Client.objects.editable_by(actor).filter(pk=client.pk).exists()
            or Client.objects.assignable_by(actor).filter(pk=client.pk).exists()
        )
        if not may_open:
            raise ValidationError(
                _(
                    "Only the client's counselor, their supervisor or the practice "
                    "admin can start an ending."
                )
            )
        if client.status != ClientStatus.ACTIVE:
            raise ValidationError(
                _("The client is %(status)s: an ending can only start for an active client.")
                % {"status": client.get_status_display().lower()}
            )
        if kind not in EndingKind.values or initiated_by not in Initiator.values:
            raise ValidationError(_("Choose the kind of ending and who initiated it."))
        try:
            with transaction.atomic():
                termination = Termination.objects.create(
                    client=client,
                    kind=kind,
                    initiated_by=initiated_by,
                    opened_by=actor,
                    reason=reason if reason in Reason.values else "",
                )
        except IntegrityError:
            raise ValidationError(_("This client already has an ending in progress.")) from None
        client_set_status(actor=actor, client=client, status=ClientStatus.ENDING, request=request)
        _record(
            termination,
            actor=actor,
            step="open",
            old_state="",
            request=request,
            note=(
                _("Planned ending opened")
                if termination.kind == EndingKind.PLANNED
                else _("Unplanned ending opened")
            ),
        )
        return termination


# 1. Notice -----------------------------------------------------------------------------------


@_step("notice")
def termination_record_notice(
    *,
    actor: User,
    termination: Termination,
    raised_on: dt.date,
    initiated_by: str,
    final_session_on: dt.date | None,
    more_help_needed: str = "",
    counseling_helped: str = "",
    break_kind: str = "",
    client_view: str = "",
    override_reason: str = "",
    version: str | None = None,
) -> Termination:
    _ensure_fresh(termination.notice_recorded_at, version, _("The notice"))
    policy = PracticePolicy.current()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if initiated_by not in Initiator.values:
        errors["initiated_by"] = _("Choose who initiated the ending.")
    if raised_on > today:
        errors["raised_on"] = _("The ending cannot have been raised in the future.")
    if termination.kind == EndingKind.PLANNED and final_session_on is None:
        errors["final_session_on"] = _("A planned ending needs the date of the final session.")
    if final_session_on and final_session_on < raised_on:
        errors["final_session_on"] = _("The final session cannot be before the ending was raised.")
    elif (
        termination.kind == EndingKind.PLANNED
        and final_session_on
        and (final_session_on - raised_on).days < policy.minimum_notice_days
        and not override_reason.strip()
    ):
        earliest = raised_on + dt.timedelta(days=policy.minimum_notice_days)
        errors["final_session_on"] = ngettext(
            "The practice asks for at least %(days)s day's notice: the final session should be "
            "on or after %(earliest)s. To end sooner, give the reason for the shorter notice.",
            "The practice asks for at least %(days)s days' notice: the final session should be "
            "on or after %(earliest)s. To end sooner, give the reason for the shorter notice.",
            policy.minimum_notice_days,
        ) % {"days": policy.minimum_notice_days, "earliest": when(earliest, "date")}
    # An unplanned ending may have had no conversation: the client could not be reached.
    conversation = (
        ("more_help_needed", more_help_needed),
        ("counseling_helped", counseling_helped),
        ("break_kind", break_kind),
    )
    for field, value in conversation if termination.kind == EndingKind.PLANNED else ():
        if not value:
            errors[field] = _("Record the client's answer from the pre-ending conversation.")
    if errors:
        raise ValidationError(errors)
    termination.raised_on, termination.initiated_by = raised_on, initiated_by
    termination.final_session_on = dates.final_session_on(termination, notice_date=final_session_on)
    termination.notice_override_reason = override_reason.strip()
    termination.more_help_needed, termination.counseling_helped = (
        more_help_needed,
        counseling_helped,
    )
    termination.break_kind, termination.client_view = break_kind, client_view.strip()
    termination.notice_recorded_at = timezone.now()
    termination.save()
    summary_refresh_due(termination, policy)
    if termination.notice_override_reason:
        return termination, _("Short notice accepted: %(reason)s") % {
            "reason": termination.notice_override_reason
        }
    return termination


# 2. Reasons ----------------------------------------------------------------------------------


@_step("reasons")
def termination_record_reasons(
    *,
    actor: User,
    termination: Termination,
    reason: str,
    narrative: str,
    barriers: str = "",
    feelings_about_future_help: str = "",
    based_on_personal_values: bool = False,
    fees_explained: bool = False,
    client_not_in_danger: bool = False,
    consequences_discussed: bool = False,
    version: str | None = None,
) -> Termination:
    _ensure_fresh(termination.reasons_recorded_at, version, _("The reasons step"))
    errors: dict[str, str] = {}
    if reason not in Reason.values:
        errors["reason"] = _("Choose the reason for the ending.")
    if based_on_personal_values:
        errors["based_on_personal_values"] = _(
            "A counselor's personal values, attitudes or beliefs are never a sufficient reason to "
            "end counseling or refer a client. Seek supervision about the values conflict instead."
        )
    if not narrative.strip():
        errors["narrative"] = _("Describe the reason in your own words.")
    if reason and reason != Reason.GOALS_MET:
        if not barriers.strip():
            errors["barriers"] = _("The ending is short of its goals: say what stood in the way.")
        if not feelings_about_future_help.strip():
            errors["feelings_about_future_help"] = _(
                "Record how the client feels about seeking help in the future."
            )
    if reason == Reason.FINANCIAL:
        for field, value, message in (
            ("fees_explained", fees_explained, _("Confirm the fees were explained beforehand.")),
            (
                "client_not_in_danger",
                client_not_in_danger,
                _(
                    "Confirm the client is not in danger: nobody in crisis is ended for "
                    "non-payment."
                ),
            ),
            (
                "consequences_discussed",
                consequences_discussed,
                _("Confirm the consequences of non-payment were discussed with the client."),
            ),
        ):
            if not value:
                errors[field] = message
    if errors:
        raise ValidationError(errors)
    termination.reason, termination.reason_narrative = reason, narrative.strip()
    termination.barriers = barriers.strip()
    termination.feelings_about_future_help = feelings_about_future_help.strip()
    termination.fees_explained = fees_explained
    termination.client_not_in_danger = client_not_in_danger
    termination.consequences_discussed = consequences_discussed
    termination.reasons_recorded_at = timezone.now()
    termination.save()
    return termination
