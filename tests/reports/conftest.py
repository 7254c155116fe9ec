import datetime as dt

import pytest
import time_machine

from tests.reports.handbuilt import TODAY, build


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def practice(frozen_today, owner, colleague, supervisor, practice_admin):
    return build(owner, colleague)
