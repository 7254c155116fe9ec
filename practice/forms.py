"""Form helpers shared by every app: service errors beside their fields, row-id choice fields."""

from django import forms
from django.utils.translation import gettext


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
