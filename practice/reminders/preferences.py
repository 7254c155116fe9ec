"""A user's channels per kind: email and/or in-app. Mandatory kinds keep both."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from practice.reminders.kinds import KindInfo, kinds_for
from practice.reminders.models import NotificationPreference
from practice.staff.models import User


@dataclass(frozen=True)
class Choice:
    info: KindInfo
    email: bool
    in_app: bool

    @property
    def kind(self) -> str:
        return self.info.kind.value


def preferences_of(user: User) -> list[Choice]:
    """Every kind the user can receive with the channels in force (one query)."""
    saved = {pref.kind: pref for pref in NotificationPreference.objects.filter(user=user)}
    choices = []
    for info in kinds_for(user):
        pref = saved.get(info.kind.value)
        if info.mandatory or pref is None:
            choices.append(Choice(info, True, True))
        else:
            choices.append(Choice(info, pref.email, pref.in_app))
    return choices


@transaction.atomic
def preferences_save(*, user: User, channels: dict[str, tuple[bool, bool]]) -> list[Choice]:
    """channels: kind -> (email, in_app). Kinds the user cannot receive are refused; mandatory
    kinds are left on whatever was sent."""
    allowed = {info.kind.value: info for info in kinds_for(user)}
    unknown = sorted(set(channels) - set(allowed))
    if unknown:
        raise ValidationError(
            _("These reminders are not for you: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    for kind, (email, in_app) in channels.items():
        if allowed[kind].mandatory:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": bool(email), "in_app": bool(in_app)}
        )
    return preferences_of(user)
