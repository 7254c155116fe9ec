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


def filters_for(user, min_cell_size: int = 5, **data):
    from practice.reports.forms import ReportFilterForm

    form = ReportFilterForm(data, user=user, min_cell_size=min_cell_size)
    assert form.is_valid(), form.errors
    return form.filters()


def cells(table) -> dict[str, list[str]]:
    """A table as {row heading: [cell texts]}."""
    return {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}


def section(page, key):
    return next(one for one in page.sections if one.key == key)
