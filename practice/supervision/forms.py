"""The supervisor's filters read from the query string, each through a form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from practice.forms import QueryForm
from practice.supervision.selectors import BOARD_COUNTS


class SuperviseeListForm(QueryForm):
    """Which list behind a count of the review board a supervisee's page shows (none: no list)."""

    flag = forms.ChoiceField(
        choices=[("", "")] + [(key, key) for key in BOARD_COUNTS], initial="", label=_("List")
    )
