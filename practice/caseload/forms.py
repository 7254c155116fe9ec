"""The caseload's filters and sort, read from the query string through a form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from practice.caseload.selectors import FLAG_LABELS, SORTS
from practice.forms import SearchQueryForm

# The keys of the caseload's status filter (its labels are in views.STATUS_FILTERS).
STATUSES = ("open", "active", "ending", "closed", "all")


class CaseloadFilterForm(SearchQueryForm):
    status = forms.ChoiceField(
        choices=[(key, key) for key in STATUSES], initial="open", label=_("Status")
    )
    flag = forms.ChoiceField(
        choices=[("", "")] + [(key, key) for key in FLAG_LABELS], initial="", label=_("Flag")
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for name in SORTS for key in (name, f"-{name}")],
        initial="name",
        label=_("Sort"),
    )
