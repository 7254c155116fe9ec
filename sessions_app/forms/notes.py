"""Forms for the progress note (DAP), its addenda and a supervisor's review. They only validate
input; the note services decide what may change and when."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from practice.input import InputLimits
from sessions_app.models import NoteAddendum, ProgressNote


class NoteForm(InputLimits, forms.ModelForm):
    """The draft's text. Never saved directly: the view hands cleaned_data to the services."""

    # The draft's updated_at when the page was opened, so a stale page cannot overwrite newer text.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressNote
        fields = ["data", "assessment", "plan", "risk_level", "risk_notes"]
        labels = {
            "data": _("Data"),
            "assessment": _("Assessment"),
            "plan": _("Plan"),
            "risk_level": _("Risk"),
            "risk_notes": _("Risk notes"),
        }
        help_texts = {
            "risk_notes": _(
                "Indicators, protective factors and what you did about them "
                "(safety plan, consultation)."
            ),
        }
        widgets = {
            "data": forms.Textarea(attrs={"rows": 6}),
            "assessment": forms.Textarea(attrs={"rows": 4}),
            "plan": forms.Textarea(attrs={"rows": 4}),
            "risk_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def content(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class AddendumForm(InputLimits, forms.ModelForm):
    class Meta:
        model = NoteAddendum
        fields = ["text"]
        labels = {"text": _("Addendum")}
        help_texts = {"text": _("A dated correction or addition. The signed note stays as it was.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Write the addendum.")}}


class ReturnForm(InputLimits, forms.Form):
    comment = forms.CharField(
        label=_("Comment for the counselor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what should change before you co-sign."),
        error_messages={"required": _("Say what should change before the note is co-signed.")},
    )
