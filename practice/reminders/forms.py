"""Forms of the notification pages: they only validate input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practice.forms import PageForm
from practice.input import InputLimits
from practice.reminders.preferences import Choice


class PreferencesForm(InputLimits, forms.Form):
    """Two boxes per kind the user can receive: email and in-app. Mandatory kinds show both
    ticked and cannot be changed."""

    def __init__(self, *args, choices: list[Choice], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        for choice in choices:
            label = choice.info.label
            for channel, value, channel_label in (
                ("email", choice.email, _("Email")),
                ("in_app", choice.in_app, _("In the app")),
            ):
                self.fields[f"{choice.kind}__{channel}"] = forms.BooleanField(
                    label=_("%(channel)s: %(kind)s") % {"channel": channel_label, "kind": label},
                    required=False,
                    initial=value,
                    disabled=choice.info.mandatory,
                )

    def channels(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            choice.kind: (data[f"{choice.kind}__email"], data[f"{choice.kind}__in_app"])
            for choice in self.choices
        }

    def rows(self) -> list[tuple[Choice, forms.BoundField, forms.BoundField]]:
        """For the template's table: each kind with its two bound fields."""
        return [
            (choice, self[f"{choice.kind}__email"], self[f"{choice.kind}__in_app"])
            for choice in self.choices
        ]


class SweepRunForm(InputLimits, forms.Form):
    sweep = forms.ChoiceField(
        label=gettext_lazy("Sweep"), help_text=gettext_lazy("Runs once now, besides its schedule.")
    )

    def __init__(self, *args, sweep_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sweep"].choices = sweep_choices


class NotificationListForm(PageForm):
    """The notification list's query string: all or unread only, and the page."""

    show = forms.ChoiceField(
        choices=[("all", "all"), ("unread", "unread")], initial="all", label=gettext_lazy("Show")
    )
