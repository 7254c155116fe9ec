"""What each document of an ending says: plain functions of the record that build a template's
context. Nothing here renders: tests read what a document will say without WeasyPrint."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from clients.models import Client, GoalStatus, InformationCategory
from clients.services import disclosure_allowed
from practice.documents.pdf import LOGO_URL
from practice.formats import when
from practice.policy.models import PracticePolicy
from practice.staff.models import User
from sessions_app.models import CounselingSession, SessionStatus
from sessions_app.selectors import client_charts, measure_summaries
from termination import dates
from termination.models import (
    SUMMARY_CONTENT_FIELDS,
    DocumentKind,
    EndingKind,
    Provider,
    Referral,
    SummaryStatus,
    Termination,
)
from termination.selectors import relapse_plan_of, summary_of

KIND_SLUGS = {
    "closing-summary": DocumentKind.CLOSING_SUMMARY,
    "referral-letter": DocumentKind.REFERRAL_LETTER,
    "aftercare-letter": DocumentKind.AFTERCARE_LETTER,
    "closing-letter": DocumentKind.CLOSING_LETTER,
}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}
TEMPLATES = {
    DocumentKind.CLOSING_SUMMARY: "pdf/closing_summary.html",
    DocumentKind.REFERRAL_LETTER: "pdf/referral_letter.html",
    DocumentKind.AFTERCARE_LETTER: "pdf/aftercare_letter.html",
    DocumentKind.CLOSING_LETTER: "pdf/closing_letter.html",
}
SUMMARY_LABELS = {
    "service_dates": gettext_lazy("Dates of service"),
    "attendance": gettext_lazy("Sessions attended and missed"),
    "presenting_concerns": gettext_lazy("Presenting concerns"),
    "goals_outcome": gettext_lazy("Goals and their outcome"),
    "measures": gettext_lazy("Measures, first against latest"),
    "alliance_trend": gettext_lazy("Alliance"),
    "reason": gettext_lazy("Reason for ending"),
    "condition_at_ending": gettext_lazy("Condition at ending"),
    "recommendations": gettext_lazy("Recommendations"),
    "referrals": gettext_lazy("Referrals"),
    "relapse_plan": gettext_lazy("Relapse prevention plan"),
}
# What a referral letter may carry beyond who the client is and why they are referred. The
# counselor ticks only what the receiving provider needs (minimum necessary); each section needs
# the release of information to cover its category.
REFERRAL_SECTIONS = {
    "attendance": (gettext_lazy("Dates of service and attendance"), InformationCategory.ATTENDANCE),
    "presenting_concerns": (gettext_lazy("Presenting concerns"), InformationCategory.ASSESSMENT),
    "goals": (gettext_lazy("Treatment goals and progress"), InformationCategory.TREATMENT_PLAN),
    "measures": (
        gettext_lazy("Measure scores, first against latest"),
        InformationCategory.MEASURES,
    ),
    "summary": (
        gettext_lazy("Condition at ending and recommendations (signed closing summary)"),
        InformationCategory.CLOSING_SUMMARY,
    ),
}
# Goals in the client's own terms for the after-care letter.
GOAL_WORDS = {
    GoalStatus.MET: gettext_lazy("you reached this"),
    GoalStatus.PARTLY_MET: gettext_lazy("you made real progress here"),
    GoalStatus.NOT_MET: gettext_lazy("we worked on this together"),
    GoalStatus.ACTIVE: gettext_lazy("we worked on this together"),
    GoalStatus.DISCONTINUED: gettext_lazy("we set this aside along the way"),
}


# Small helpers --------------------------------------------------------------------------------


def goals_at_the_end(termination: Termination) -> list[tuple[Any, str]]:
    """Each goal with its status, or for a goal still active the outcome the counselor gave it in
    the summary (it becomes the goal's status at close)."""
    summary = summary_of(termination)
    outcomes = (summary.goal_outcomes if summary else None) or {}
    return [
        (
            goal,
            outcomes.get(str(goal.pk), goal.status)
            if goal.status == GoalStatus.ACTIVE
            else goal.status,
        )
        for goal in termination.client.goals.all()
    ]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def day(value: dt.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def moment(value: dt.datetime | None, person: User | None) -> str:
    """A signature time in the signer's own time zone, named, so every reader agrees on it."""
    if value is None:
        return ""
    zone = zoneinfo.ZoneInfo(person.time_zone if person and person.time_zone else "UTC")
    local = timezone.localtime(value, zone)
    return f"{when(local, 'datetime_long')} {local.tzname()}"


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, dt.date | dt.datetime | Decimal):
        return str(value)
    raise TypeError(f"Not part of a document's facts: {type(value).__name__}")


def record_version(context: dict) -> str:
    """SHA-256 of the facts a document is built from: the same record gives the same value, so
    asking twice for an unchanged document does not make a second copy."""
    canonical = json.dumps(context, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(canonical.encode()).hexdigest()


def letterhead_context(policy: PracticePolicy) -> dict:
    return {
        "name": policy.practice_name,
        "address_lines": lines(policy.address),
        "phone": policy.phone,
        "email": policy.email,
        "footer": policy.text_in("letter_footer"),
        "logo_url": LOGO_URL if policy.logo else "",
    }


def client_identity(client: Client) -> dict:
    return {
        "name": client.display_name,
        "legal_name": f"{client.legal_first_name} {client.legal_last_name}",
        "first_name": client.preferred_name or client.legal_first_name,
        "pronouns": client.pronouns,
        "date_of_birth": day(client.date_of_birth),
    }


def counselor_identity(counselor: User) -> dict:
    return {"name": str(counselor), "credentials": counselor.credentials}


def _base(policy: PracticePolicy, title: str, client: Client, **extra: Any) -> dict:
    return {
        "title": title,
        "letterhead": letterhead_context(policy),
        "client": client_identity(client),
        "counselor": counselor_identity(client.primary_counselor),
        **extra,
    }


def _service_dates(client: Client) -> dict:
    attended = CounselingSession.objects.filter(client=client, status=SessionStatus.ATTENDED)
    span = attended.order_by().aggregate(count=Count("pk"))
    first = attended.order_by("starts_at").values_list("starts_at", flat=True).first()
    last = attended.order_by("-starts_at").values_list("starts_at", flat=True).first()
    return {
        "first": day(timezone.localtime(first).date()) if first else "",
        "last": day(timezone.localtime(last).date()) if last else "",
        "attended": span["count"],
    }


# 1. Closing summary ---------------------------------------------------------------------------


def closing_summary_context(termination: Termination, *, policy: PracticePolicy) -> dict:
    summary = summary_of(termination)
    if summary is None:
        raise ValidationError(
            _("Start the closing summary first: the document is printed from it.")
        )
    client = termination.client
    signed = summary.status != SummaryStatus.DRAFT
    signature = approval = None
    # A draft never carries a signature, whatever the row holds.
    if signed and summary.signed_by:
        signature = {
            **counselor_identity(summary.signed_by),
            "signed_at": moment(summary.signed_at, summary.signed_by),
            "sha256": summary.content_sha256,
        }
    if signed and summary.approved_by:
        approval = {
            **counselor_identity(summary.approved_by),
            "approved_at": moment(summary.approved_at, summary.approved_by),
        }
    return _base(
        policy,
        _("Closing summary"),
        client,
        status=summary.status,
        status_label={
            SummaryStatus.DRAFT: _("Draft — not signed"),
            SummaryStatus.AWAITING_APPROVAL: _("Signed — awaiting supervisor approval"),
            SummaryStatus.SIGNED: (
                _("Signed and approved") if approval else pgettext("closing summary", "Signed")
            ),
        }[summary.status],
        ending={
            "kind": termination.get_kind_display(),
            "initiated_by": termination.get_initiated_by_display(),
            "final_session_on": day(termination.final_session_on),
            "ended_on": day(termination.ended_on),
        },
        sections=[
            {"label": str(SUMMARY_LABELS[field]), "text": getattr(summary, field)}
            for field in SUMMARY_CONTENT_FIELDS
        ],
        addenda=[
            {
                "written_on": day(item.written_at.date()),
                "author": str(item.author),
                "text": item.text,
            }
            for item in summary.addenda.select_related("author")
        ],
        charts=client_charts(client, policy),
        signature=signature,
        approval=approval,
    )


# 2. Referral letter ---------------------------------------------------------------------------


def release_problems(
    *, client: Client, provider: Provider, categories: list[str], on: dt.date
) -> list[str]:
    """Why the letter may not go to this provider today: one line per missing or expired
    consent (empty when a valid release names them and covers everything chosen)."""
    problems = []
    for category in [InformationCategory.REFERRAL, *categories]:
        answer = disclosure_allowed(
            client=client,
            recipient_name=provider.name,
            recipient_organisation=provider.organisation,
            information=category,
            on=on,
        )
        if not answer.allowed and answer.reason not in problems:
            problems.append(answer.reason)
    return problems


def referral_letter_context(
    termination: Termination,
    *,
    referral: Referral,
    sections: list[str],
    policy: PracticePolicy,
    today: dt.date,
) -> dict:
    client, provider = termination.client, referral.provider
    chosen = [key for key in REFERRAL_SECTIONS if key in sections]
    problems = release_problems(
        client=client,
        provider=provider,
        categories=[REFERRAL_SECTIONS[key][1] for key in chosen],
        on=today,
    )
    if problems:
        raise ValidationError(
            [
                _("The referral letter to %(provider)s cannot be produced:")
                % {"provider": provider},
                *problems,
                _(
                    "Record a valid release of information naming this provider, or leave out "
                    "the sections it does not cover."
                ),
            ]
        )
    summary = summary_of(termination)
    if "summary" in chosen and (summary is None or summary.status == SummaryStatus.DRAFT):
        raise ValidationError(
            {"sections": _("The closing summary is not signed yet: leave that section out.")}
        )
    included = []
    for key in chosen:
        included.append(
            {"key": key, "label": str(REFERRAL_SECTIONS[key][0]), **_section(key, termination)}
        )
    return _base(
        policy,
        _("Referral letter"),
        client,
        issued_on=day(today),
        recipient={
            "name": provider.name,
            "organisation": provider.organisation,
            "specialty": provider.specialty,
            "address_lines": lines(provider.address),
        },
        reason=referral.reason,
        sections=included,
        counselor_email=client.primary_counselor.email,
    )


def _section(key: str, termination: Termination) -> dict:
    client = termination.client
    if key == "attendance":
        dates = _service_dates(client)
        return {
            "paragraphs": [
                _("Seen from %(first)s to %(last)s; %(attended)s sessions attended.")
                % {
                    "first": dates["first"] or "—",
                    "last": dates["last"] or "—",
                    "attended": dates["attended"],
                }
            ]
        }
    if key == "presenting_concerns":
        return {"paragraphs": lines(client.presenting_concerns) or [_("None recorded.")]}
    if key == "goals":
        return {
            "bullets": [
                f"{goal.description} — {GoalStatus(status).label.lower()}"
                for goal, status in goals_at_the_end(termination)
            ]
            or [_("No treatment goals were recorded.")]
        }
    if key == "measures":
        readings = measure_summaries([client.pk])[client.pk].outcomes
        return {
            "bullets": [reading.in_words() for reading in readings]
            or [_("No outcome measures were recorded.")]
        }
    summary = summary_of(termination)
    return {
        "paragraphs": [
            _("Condition at ending: %(text)s") % {"text": summary.condition_at_ending},
            _("Recommendations: %(text)s") % {"text": summary.recommendations},
        ]
    }


# 3. After-care letter -------------------------------------------------------------------------


def follow_up_dates(
    termination: Termination, policy: PracticePolicy, *, today: dt.date | None = None
) -> list[str]:
    """The check-ins after the end: the scheduled ones once closed, else the expected ones
    (both from termination/dates.py, so the letter and the workspace agree)."""
    today = today or timezone.localdate()
    return [day(due) for due in dates.follow_up_dates(termination, policy, today=today)]


def aftercare_letter_context(
    termination: Termination, *, policy: PracticePolicy, today: dt.date
) -> dict:
    plan = relapse_plan_of(termination)
    if plan is None:
        raise ValidationError(
            _("Write the relapse plan first: the after-care letter is built from it.")
        )
    client = termination.client
    crisis = lines(plan.crisis_lines)
    practice_lines = lines(policy.text_in("crisis_resources"))
    crisis += [line for line in practice_lines if line not in crisis]
    return _base(
        policy,
        _("After-care letter"),
        client,
        issued_on=day(today),
        worked_on=[
            {"goal": goal.description, "words": str(GOAL_WORDS.get(status, ""))}
            for goal, status in goals_at_the_end(termination)
        ],
        warning_signs=lines(plan.warning_signs),
        triggers=lines(plan.triggers),
        coping_steps=[dict(item) for item in plan.coping_steps],
        support_contacts=[dict(item) for item in plan.support_contacts],
        crisis_lines=crisis,
        # Sent by post only to a client who agreed to letters: then it carries their address.
        address_lines=lines(client.address) if client.may_write else [],
        follow_ups=follow_up_dates(termination, policy, today=today),
        when_to_come_back=plan.when_to_come_back,
        practice_phone=policy.phone,
    )


# 4. Closing letter (unplanned ending) ---------------------------------------------------------


def provider_contact(provider: Provider) -> dict:
    return {
        "name": provider.name,
        "organisation": provider.organisation,
        "specialty": provider.specialty,
        "phone": provider.phone,
        "email": provider.email,
        "address": ", ".join(lines(provider.address)),
    }


def closing_letter_context(
    termination: Termination,
    *,
    providers: list[Provider],
    close_on: dt.date,
    policy: PracticePolicy,
    today: dt.date,
) -> dict:
    client = termination.client
    errors: dict[str, str] = {}
    if termination.kind != EndingKind.UNPLANNED:
        raise ValidationError(_("A closing letter is part of an unplanned ending."))
    if not client.may_write:
        raise ValidationError(
            _(
                "%(name)s has not agreed to letters, so no closing letter may be produced. "
                "Record what was done instead in the closing letter step."
            )
            % {"name": client.display_name}
        )
    reachable = [item for item in providers if item.phone or item.email or item.address]
    if len(reachable) < policy.closing_letter_referrals:
        errors["providers"] = _(
            "The letter needs at least %(needed)s referrals with contact details (%(chosen)s "
            "chosen have a phone, email or address)."
        ) % {"needed": policy.closing_letter_referrals, "chosen": len(reachable)}
    if close_on < today:
        errors["close_on"] = _("The file cannot close before the letter is written.")
    if errors:
        raise ValidationError(errors)
    return _base(
        policy,
        _("Closing letter"),
        client,
        issued_on=day(today),
        address_lines=lines(client.address),
        service=_service_dates(client),
        close_on=day(close_on),
        referrals=[provider_contact(item) for item in reachable],
        crisis_lines=lines(policy.text_in("crisis_resources")),
        practice_phone=policy.phone,
    )


# A one-page letter without client data: the letterhead preview and the benchmark's baseline.


def sample_letter_context(policy: PracticePolicy, *, today: dt.date) -> dict:
    return {
        "title": _("Letterhead preview"),
        "letterhead": letterhead_context(policy),
        "issued_on": day(today),
    }


# Options and contexts by kind ---------------------------------------------------------------


def clean_options(termination: Termination, kind: str, options: dict) -> dict:
    """The stored, JSON-safe form of what the counselor chose; refuses what does not fit."""
    if kind == DocumentKind.REFERRAL_LETTER:
        referral = termination.referrals.filter(pk=_as_int(options.get("referral_id"))).first()
        if referral is None:
            raise ValidationError({"referral": _("Choose one of this ending's referrals.")})
        sections = [key for key in REFERRAL_SECTIONS if key in (options.get("sections") or [])]
        return {"referral_id": referral.pk, "sections": sections}
    if kind == DocumentKind.CLOSING_LETTER:
        close_on = options.get("close_on")
        if isinstance(close_on, str):
            try:
                close_on = dt.date.fromisoformat(close_on)
            except ValueError:
                close_on = None
        if not isinstance(close_on, dt.date):
            raise ValidationError({"close_on": _("Give the date the file will be closed.")})
        ids = sorted({_as_int(value) for value in options.get("provider_ids") or []} - {None})
        return {"close_on": close_on.isoformat(), "provider_ids": ids}
    if kind in (DocumentKind.CLOSING_SUMMARY, DocumentKind.AFTERCARE_LETTER):
        return {}
    raise ValidationError(_("Unknown kind of document."))


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def document_context(
    termination: Termination, kind: str, options: dict, *, policy: PracticePolicy, today: dt.date
) -> dict:
    if kind == DocumentKind.CLOSING_SUMMARY:
        return closing_summary_context(termination, policy=policy)
    if kind == DocumentKind.AFTERCARE_LETTER:
        return aftercare_letter_context(termination, policy=policy, today=today)
    if kind == DocumentKind.REFERRAL_LETTER:
        referral = termination.referrals.select_related("provider").get(pk=options["referral_id"])
        return referral_letter_context(
            termination,
            referral=referral,
            sections=options["sections"],
            policy=policy,
            today=today,
        )
    providers = Provider.objects.filter(pk__in=options["provider_ids"], is_active=True)
    return closing_letter_context(
        termination,
        providers=list(providers.order_by("name")),
        close_on=dt.date.fromisoformat(options["close_on"]),
        policy=policy,
        today=today,
    )


def record_label(termination: Termination, kind: str, options: dict) -> str:
    """In a few words, what this version was made from (shown in the list of versions)."""
    if kind == DocumentKind.REFERRAL_LETTER:
        shared = [str(REFERRAL_SECTIONS[key][0]) for key in options.get("sections", [])]
        what = ", ".join(shared) if shared else _("the referral only")
        return (_("Shares: %(what)s") % {"what": what})[:120]
    if kind == DocumentKind.CLOSING_LETTER:
        closes = day(dt.date.fromisoformat(options["close_on"]))
        return _("File closes %(day)s; %(count)s referrals") % {
            "day": closes,
            "count": len(options["provider_ids"]),
        }
    if kind == DocumentKind.AFTERCARE_LETTER:
        return _("From the relapse plan")
    summary = summary_of(termination)
    if summary is None or summary.status == SummaryStatus.DRAFT:
        return _("Draft summary (no signature)")
    if summary.approved_by_id:
        return _("Signed and approved summary")
    return str(summary.get_status_display())
