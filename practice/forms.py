"""Form helpers shared by every app: service errors beside their fields, row-id choice fields,
and the base of every GET filter (`QueryForm`, `read_query`, `PageForm`)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from practice.input import SEARCH_MAX_LENGTH, InputLimits


def add_service_error(
    form: forms.BaseForm, error: forms.ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the form has
    that field, at the top otherwise. What the user typed stays in the form. `field_map` renames
    a service's field to the form's where they differ (e.g. an item key)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = (field_map or {}).get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RowIdsOnly:
    """Refuse an id no database row can have before it reaches the query: SQLite cannot even
    compare an integer past 64 bits, and would answer with an error instead of "no such row"."""

    def _refuse_impossible(self, value) -> None:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item in self.empty_values:
                continue
            try:
                number = int(str(item).strip())
            except ValueError:
                number = 0
            if not 0 < number < 2**63:
                raise forms.ValidationError(
                    self.error_messages.get("invalid_choice", gettext("Select a valid choice.")),
                    code="invalid_choice",
                    params={"value": item},
                )

    def clean(self, value):
        self._refuse_impossible(value)
        return super().clean(value)


class RowChoiceField(RowIdsOnly, forms.ModelChoiceField):
    pass


class RowMultipleChoiceField(RowIdsOnly, forms.ModelMultipleChoiceField):
    pass


# Every GET filter goes through a form -----------------------------------------------------------

# More pages than any list here can have: a larger number is a slip or a probe, not a page.
MAX_PAGE_NUMBER = 100_000


class QueryForm(InputLimits, forms.Form):
    """A filter, sort or page read from the query string. Every field is optional and its
    `initial` is the page's default. A value the form refuses (a NUL byte, a number past its
    maximum, a date in year 9999, a choice not offered) falls back to that default, and
    `refusals` says so in words for the page: never a 500, never a silent wrong answer."""

    def __init__(self, params=None, **kwargs):
        params = params if params is not None else {}
        data = {name: params.get(name) for name in self.base_fields if name in params}
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.ChoiceField):
                # Django's message repeats the value, which may be 100,000 characters or a NUL.
                field.error_messages["invalid_choice"] = _("Choose one of the values offered.")

    @cached_property
    def values(self) -> dict[str, Any]:
        """Each field's cleaned value, or its default when it was missing, empty or refused."""
        self.is_valid()
        chosen = {}
        for name, field in self.fields.items():
            value = None if name in self.errors else self.cleaned_data.get(name)
            empty = value is None or (not isinstance(value, Model) and value in field.empty_values)
            chosen[name] = self.get_initial_for_field(field, name) if empty else value
        return chosen

    @property
    def refusals(self) -> list[str]:
        self.is_valid()
        return [
            _("%(label)s in the address was not used (%(error)s); the page shows its default.")
            % {
                "label": self[name].label if name in self.fields else _("A filter"),
                "error": "; ".join(str(message).rstrip(".") for message in errors),
            }
            for name, errors in self.errors.items()
        ]


def read_query(request: HttpRequest, form_class: type[QueryForm], **kwargs) -> QueryForm:
    """The request's query string through `form_class`; each refused value is a warning on the
    page it leads to."""
    form = form_class(request.GET, **kwargs)
    for refusal in form.refusals:
        messages.warning(request, refusal)
    return form


class PageForm(QueryForm):
    """The page number of a paged list (Django's Paginator); lists with filters extend it."""

    page = forms.IntegerField(
        min_value=1, max_value=MAX_PAGE_NUMBER, initial=1, label=_lazy("Page number")
    )


def page_of(rows, size: int, form: PageForm) -> Page:
    """The page the form asks for (past the last one: the last one)."""
    return Paginator(rows, size).get_page(form.values["page"])


class SearchQueryForm(QueryForm):
    """A list's search box (`q`): a line of text without NUL, at most SEARCH_MAX_LENGTH."""

    q = forms.CharField(max_length=SEARCH_MAX_LENGTH, initial="", label=_lazy("Search"))


def row_id_field(label: str) -> forms.IntegerField:
    """The id of a row named in the query string (a form's preset): a whole number a row can
    have; whether the user may see that row is still the view's business."""
    return forms.IntegerField(min_value=1, max_value=2**63 - 1, initial=None, label=label)
