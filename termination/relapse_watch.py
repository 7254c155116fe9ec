"""The relapse watch after an ending (issue 11, part 4)."""

from __future__ import annotations

import datetime as dt

from practice.models import PracticePolicy


def send_follow_ups_due(*, now: dt.datetime, policy: PracticePolicy) -> int:
    return 0


def relapse_evaluate(*, checkin) -> int:
    return 0


def follow_ups_due(*, now: dt.datetime) -> list[int]:
    return []


def send_follow_up_checkin(follow_up_id: int) -> None:
    return None
