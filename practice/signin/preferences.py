"""A staff member's own preferences: the language and time zone of their pages."""

from __future__ import annotations

from practice.staff.models import User


def language_choose(*, user: User, language: str) -> None:
    """Saves the language the switch chose, when it differs."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def preferences_save(*, user: User, language: str, time_zone: str) -> None:
    user.language = language
    user.time_zone = time_zone
    user.save(update_fields=["language", "time_zone"])
