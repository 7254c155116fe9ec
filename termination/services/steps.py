"""The middle steps of an ending: referral, relapse warning signs, tapering, and the unplanned
path's outreach and closing letter."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import InformationCategory
from clients.services import disclosure_allowed
from practice.formats import when
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import SessionKind
from sessions_app.services import session_schedule
from termination import dates
from termination.models import (
    EndingKind,
    OutreachAttempt,
    Provider,
    Referral,
    RelapsePlan,
    TaperSession,
    Termination,
)
from termination.services.summary import summary_refresh_due
from termination.services.workflow import _ensure_fresh, _step

# 3. Referral ---------------------------------------------------------------------------------


@_step("referral")
def termination_add_referral(
    *,
    actor: User,
    termination: Termination,
    provider: Provider,
    reason: str,
    made_on: dt.date | None = None,
) -> Referral:
    if not provider.is_active:
        raise ValidationError({"provider": _("This provider is no longer in the directory.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the client is referred to this provider.")})
    made_on = made_on or timezone.localdate()
    release = disclosure_allowed(
        client=termination.client,
        recipient_name=provider.name,
        recipient_organisation=provider.organisation,
        information=InformationCategory.REFERRAL,
        on=made_on,
    )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                termination=termination,
                provider=provider,
                reason=reason.strip(),
                made_on=made_on,
                release_valid=release.allowed,
                release_note=release.reason[:300],
                made_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"provider": _("This provider is already referred to.")}) from None
    termination.save(update_fields=["updated_at"])
    return referral, _("Referred to %(provider)s") % {"provider": provider}


# 4. Relapse plan -----------------------------------------------------------------------------


@_step("relapse_plan")
def termination_record_relapse_plan(
    *,
    actor: User,
    termination: Termination,
    warning_signs: str,
    triggers: str,
    coping_steps: list[dict],
    support_contacts: list[dict],
    crisis_lines: str,
    when_to_come_back: str,
    version: str | None = None,
) -> RelapsePlan:
    existing = RelapsePlan.objects.select_for_update().filter(termination=termination).first()
    _ensure_fresh(existing.updated_at if existing else None, version, _("The relapse plan"))
    errors: dict[str, str] = {}
    for field, value, message in (
        ("warning_signs", warning_signs, _("List the early warning signs you agreed on.")),
        ("triggers", triggers, _("List the situations that could set things off again.")),
        ("crisis_lines", crisis_lines, _("Give the crisis lines the client can call.")),
        ("when_to_come_back", when_to_come_back, _("Say when the client should come back.")),
    ):
        if not value.strip():
            errors[field] = message
    steps = _clean_rows(coping_steps, ("sign", "step"))
    if not steps:
        errors["coping_steps"] = _("Give at least one coping step.")
    elif any(not step["step"] for step in steps):
        errors["coping_steps"] = _("Each warning sign or trigger listed needs its coping step.")
    contacts = _clean_rows(support_contacts, ("name", "relation", "phone"))
    if any(not contact["name"] or not contact["phone"] for contact in contacts):
        errors["support_contacts"] = _("Each support contact needs a name and a phone number.")
    if errors:
        raise ValidationError(errors)
    values = {
        "warning_signs": warning_signs.strip(),
        "triggers": triggers.strip(),
        "coping_steps": steps,
        "support_contacts": contacts,
        "crisis_lines": crisis_lines.strip(),
        "when_to_come_back": when_to_come_back.strip(),
    }
    plan, _created = RelapsePlan.objects.update_or_create(termination=termination, defaults=values)
    termination.save(update_fields=["updated_at"])
    return plan


def _clean_rows(rows: list[dict], keys: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows as stripped text under the expected keys only; rows left empty are dropped."""
    cleaned = [{key: str(row.get(key) or "").strip() for key in keys} for row in rows]
    return [row for row in cleaned if any(row.values())]


# 5. Tapering ---------------------------------------------------------------------------------


@_step("tapering")
def termination_schedule_tapering(
    *,
    actor: User,
    termination: Termination,
    first_starts_at: dt.datetime,
    intervals_days: list[int],
    duration_minutes: int = 50,
    modality: str = "in_person",
) -> list[TaperSession]:
    """Schedule sessions spaced out: the first at `first_starts_at`, then after each interval."""
    if not intervals_days or any(days < 1 or days > 120 for days in intervals_days):
        raise ValidationError(
            {"intervals_days": _("Give the gaps between sessions in days (1–120).")}
        )
    if first_starts_at <= timezone.now():
        raise ValidationError(
            {"first_starts_at": _("The first tapering session must be in the future.")}
        )
    starts, gaps = [first_starts_at], list(intervals_days)
    for gap in gaps:
        starts.append(starts[-1] + dt.timedelta(days=gap))
    created = []
    for index, starts_at in enumerate(starts):
        session = session_schedule(
            actor=actor,
            counselor=termination.client.primary_counselor,
            client=termination.client,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            modality=modality,
            kind=SessionKind.FINAL if index == len(starts) - 1 else SessionKind.REGULAR,
        )
        created.append(
            TaperSession.objects.create(
                termination=termination,
                session=session,
                interval_days=gaps[index - 1] if index else 0,
            )
        )
    # Tapering books the last session: it becomes the final session, and the summary's due
    # date follows it.
    moved_from = termination.final_session_on
    termination.final_session_on = dates.final_session_on(
        termination, notice_date=termination.final_session_on
    )
    termination.save(update_fields=["final_session_on", "updated_at"])
    summary_refresh_due(termination, PracticePolicy.current())
    count = len(created)
    if moved_from != termination.final_session_on:
        note = ngettext(
            "%(count)s tapering session scheduled; final session moved to %(day)s",
            "%(count)s tapering sessions scheduled; final session moved to %(day)s",
            count,
        ) % {"count": count, "day": when(termination.final_session_on, "date")}
    else:
        note = ngettext(
            "%(count)s tapering session scheduled", "%(count)s tapering sessions scheduled", count
        ) % {"count": count}
    return created, note


# Unplanned path: outreach and the closing letter -----------------------------------------------


@_step("outreach")
def termination_log_outreach(
    *,
    actor: User,
    termination: Termination,
    attempted_on: dt.date,
    channel: str,
    outcome: str,
    note: str = "",
) -> OutreachAttempt:
    if attempted_on > timezone.localdate():
        raise ValidationError(
            {"attempted_on": _("Log an attempt on or after the day it was made.")}
        )
    if channel not in OutreachAttempt.Channel.values:
        raise ValidationError({"channel": _("Choose how you tried to reach the client.")})
    if outcome not in OutreachAttempt.Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    attempt = OutreachAttempt.objects.create(
        termination=termination,
        attempted_on=attempted_on,
        channel=channel,
        outcome=outcome,
        note=note.strip(),
        recorded_by=actor,
    )
    termination.save(update_fields=["updated_at"])
    return attempt, f"{attempt.get_channel_display()}: {attempt.get_outcome_display()}"


@_step("closing_letter")
def termination_record_closing_letter(
    *,
    actor: User,
    termination: Termination,
    sent_on: dt.date | None = None,
    alternative: str = "",
    version: str | None = None,
) -> Termination:
    _ensure_fresh(termination.closing_letter_recorded_at, version, _("The closing letter"))
    policy = PracticePolicy.current()
    if termination.kind != EndingKind.UNPLANNED:
        raise ValidationError(_("A closing letter is part of an unplanned ending."))
    attempts = termination.outreach_attempts.count()
    if attempts < policy.outreach_attempts_before_letter:
        raise ValidationError(
            _(
                "Try to reach the client at least %(needed)s times before the closing letter "
                "(%(logged)s logged so far)."
            )
            % {"needed": policy.outreach_attempts_before_letter, "logged": attempts}
        )
    if termination.client.may_write:
        if sent_on is None:
            raise ValidationError({"sent_on": _("Give the date the letter was sent.")})
        if sent_on > timezone.localdate():
            raise ValidationError(
                {"sent_on": _("Record the letter on or after the day it is sent.")}
            )
        termination.closing_letter_sent_on, termination.closing_letter_alternative = sent_on, ""
    else:
        if not alternative.strip():
            raise ValidationError(
                {
                    "alternative": _(
                        "The client has not agreed to letters, so no letter is sent. Record what "
                        "was done instead (for example, a phone message with referrals and "
                        "crisis lines)."
                    )
                }
            )
        termination.closing_letter_sent_on = None
        termination.closing_letter_alternative = alternative.strip()
    termination.closing_letter_recorded_at = timezone.now()
    termination.save()
    summary_refresh_due(termination, policy)
    return termination
