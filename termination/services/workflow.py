"""The machinery every step of an ending uses: which moves each state allows, locking the
row, checking the editor and a stale form, and recording the event and audit row (`_step`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.formats import when as when_style
from practice.staff.models import User
from termination.models import (
    OPEN_STATES,
    STEP_LABELS,
    Termination,
    TerminationEvent,
    TerminationState,
)

State = TerminationState

# The moves the workflow allows: step name -> states it may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "notice": (State.PREPARING,),
    "reasons": (State.PREPARING,),
    "referral": (State.PREPARING,),
    "relapse_plan": (State.PREPARING,),
    "tapering": (State.PREPARING,),
    "outreach": (State.PREPARING,),
    "closing_letter": (State.PREPARING,),
    "summary_edit": (State.PREPARING,),
    "summary_sign": (State.PREPARING,),
    "summary_approve": (State.AWAITING_APPROVAL,),
    "summary_return": (State.AWAITING_APPROVAL,),
    # Close may be tried from any open state: it is refused with the list of what is missing
    # (the signed, approved summary among them) rather than with the state name.
    "close": OPEN_STATES,
    "follow_up": (State.CLOSED,),
    "summary_addendum": (
        State.AWAITING_APPROVAL,
        State.READY_TO_CLOSE,
        State.CLOSED,
        State.REOPENED,
    ),
    "reopen": (State.CLOSED,),
    "withdraw": OPEN_STATES,
}

STEP_VERBS = {
    "notice": _("record the notice"),
    "reasons": _("record the reasons"),
    "referral": _("add a referral"),
    "relapse_plan": _("change the relapse plan"),
    "tapering": _("schedule tapering sessions"),
    "outreach": _("log outreach"),
    "closing_letter": _("record the closing letter"),
    "summary_edit": _("edit the summary"),
    "summary_sign": _("sign the summary"),
    "summary_approve": _("approve the summary"),
    "summary_return": _("return the summary"),
    "close": _("close the ending"),
    "follow_up": _("record a follow-up"),
    "summary_addendum": _("add an addendum"),
    "reopen": _("reopen"),
    "withdraw": _("withdraw the ending"),
}


def _lock(termination: Termination) -> Termination:
    return Termination.objects.select_for_update().select_related("client").get(pk=termination.pk)


def _ensure_allowed(termination: Termination, step: str) -> None:
    if termination.state not in ALLOWED_FROM[step]:
        raise ValidationError(
            gettext(
                "You cannot %(action)s now: the ending is %(state)s. Someone may have moved it "
                "on; reload the page to see where it stands."
            )
            % {"action": STEP_VERBS[step], "state": termination.get_state_display().lower()}
        )


def _ensure_editor(actor: User, termination: Termination) -> None:
    if not Client.objects.editable_by(actor).filter(pk=termination.client_id).exists():
        raise ValidationError(gettext("Only the client's counselor can do this step."))


def _ensure_fresh(recorded_at: dt.datetime | None, version: str | None, who: str) -> None:
    """Two people completing the same step: the second is told, and keeps what they typed."""
    current = recorded_at.isoformat() if recorded_at else ""
    if version is not None and version != current:
        when = when_style(recorded_at, "datetime") if recorded_at else ""
        raise ValidationError(
            gettext(
                "%(what)s was changed by someone else (%(when)s) after you opened this page. "
                "What you typed is kept below: check the current version, then save again."
            )
            % {"what": who, "when": when}
        )


def event_summary(step: str, old_state: str, new_state: str) -> str:
    """An ending's step in the words the workspace uses: "Summary approved (Summary awaiting
    approval → Ready to close)"."""
    # The audit log is kept in English, whatever the language of the person acting.
    with translation.override("en"):
        label = str(STEP_LABELS.get(step, step.replace("_", " ").capitalize()))
        labels = {value: str(label) for value, label in TerminationState.choices}
    if old_state == new_state:
        return f"Ending: {label}"
    return f"Ending: {label} ({labels.get(old_state, 'new')} → {labels.get(new_state, new_state)})"


def _record(
    termination: Termination,
    *,
    actor: User,
    step: str,
    old_state: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> None:
    TerminationEvent.objects.create(
        termination=termination,
        step=step,
        from_state=old_state,
        to_state=termination.state,
        actor=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=termination,
        client_id=termination.client_id,
        summary=event_summary(step, old_state, termination.state),
        request=request,
    )


def _step(step: str, *, editor: bool = True) -> Callable:
    """Wrap a step: lock, check the state and the actor, run it, record the event."""

    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(
            *,
            actor: User,
            termination: Termination,
            request: HttpRequest | None = None,
            **kwargs: Any,
        ) -> Any:
            with transaction.atomic():
                locked = _lock(termination)
                _ensure_allowed(locked, step)
                if editor:
                    _ensure_editor(actor, locked)
                old_state = locked.state
                result = function(actor=actor, termination=locked, **kwargs)
                note = result[1] if isinstance(result, tuple) else ""
                _record(
                    locked, actor=actor, step=step, old_state=old_state, note=note, request=request
                )
                return result[0] if isinstance(result, tuple) else result

        wrapped.__name__ = function.__name__
        wrapped.__doc__ = function.__doc__
        return wrapped

    return decorator
