"""Helpers for the check-in tests: send a check-in and get back the raw link token (which only
ever exists in memory and in the message), and answer screens of the client's page."""

from __future__ import annotations

import re

from django.core import mail

from sessions_app.checkins.models import CheckIn, CheckInChannel
from sessions_app.checkins.services import (
    checkin_deliver_email,
    checkin_send,
    checkin_show_in_room,
)
from tests.factories import instrument

LINK = re.compile(r"/c/([A-Za-z0-9_-]{20,})/")


def send(actor, client, *names: str, channel=CheckInChannel.IN_ROOM, **kwargs) -> CheckIn:
    return checkin_send(
        actor=actor,
        client=client,
        instruments=[instrument(name) for name in names or ("Alliance", "PHQ-9")],
        channel=channel,
        **kwargs,
    )


def room_token(actor, checkin: CheckIn) -> tuple[str, str]:
    return checkin_show_in_room(actor=actor, checkin=checkin)


def emailed_token(checkin: CheckIn, *, reminder: bool = False) -> str:
    before = len(mail.outbox)
    assert checkin_deliver_email(checkin_id=checkin.pk, reminder=reminder)
    assert len(mail.outbox) == before + 1
    return LINK.search(mail.outbox[-1].body).group(1)


def alliance(value: int = 8) -> dict:
    return {f"item_{key}": value for key in ("goals", "tasks", "bond", "overall")}


def phq9(item_nine: int = 0, rest: int = 1) -> dict:
    return {**{f"item_phq{i}": rest for i in range(1, 9)}, "item_phq9": item_nine}


def post_step(browser, token: str, data: dict):
    """Post the current screen (its item id read from the page first)."""
    page = browser.get(f"/c/{token}/").content.decode()
    item = re.search(r'name="item" value="([^"]+)"', page).group(1)
    return browser.post(f"/c/{token}/", {"item": item, **data})
