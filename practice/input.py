"""What every form and every GET filter refuses, kindly and beside the field: dates outside a
sensible range, free text without a maximum, and `next` links that lead anywhere but here.

(NUL bytes: Django's CharField refuses them already, with a message beside the field, so a value
that goes through a form never reaches the database with one. Every GET filter goes through a
form for that reason: practice.forms.QueryForm.)"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# Every date the practice records (births, consents, sessions, follow-ups, retention) falls
# between these years; anything else is a slip of the keyboard, and year 9999 plus a time zone
# does not even fit in a datetime.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
# Free text without a maximum of its own: a paragraph field, or a single line.
PARAGRAPH_MAX_LENGTH = 20_000
LINE_MAX_LENGTH = 500
SEARCH_MAX_LENGTH = 100


def validate_sensible_year(value: dt.date | dt.datetime) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise forms.ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def limit_inputs(form: forms.BaseForm, max_lengths: dict[str, int] | None = None) -> None:
    """Give every date field of `form` the sensible range, and every free-text field without a
    maximum one that fits its use: `max_lengths[name]` where the form names one (an address),
    else a paragraph's or a line's."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            if validate_sensible_year not in field.validators:
                field.validators.append(validate_sensible_year)
        elif type(field) is forms.CharField:
            wanted = (max_lengths or {}).get(name)
            if wanted is None and field.max_length is not None:
                continue
            paragraph = isinstance(field.widget, forms.Textarea)
            field.max_length = wanted or (PARAGRAPH_MAX_LENGTH if paragraph else LINE_MAX_LENGTH)
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs["maxlength"] = str(field.max_length)


class InputLimits:
    """Mixin for every form: applies `limit_inputs` when the form is made. A form names the
    maxima that fit its own fields in `max_lengths`."""

    max_lengths: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_inputs(self, self.max_lengths)


# Maxima that fit what the field holds.
ADDRESS_MAX_LENGTH = 500


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` the request names (POST first, then GET) when it is a path on this site;
    `default` otherwise. A bare word is refused too: `redirect()` would take it for a URL name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
