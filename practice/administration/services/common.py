"""What every admin service checks first."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from practice import formats
from practice.staff.models import User


def day_text(day: dt.date) -> str:
    return formats.when(day, "date")


def ensure_practice_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_practice_admin):
        raise ValidationError(_("Only a practice admin can do this."))
