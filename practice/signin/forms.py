"""Sign-in forms: username and password, and the two-factor code."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from practice.input import InputLimits
from practice.staff.models import User


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That username and password do not match. Check both and try again."),
    }


class TokenForm(InputLimits, forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=6,
        min_length=6,
        help_text=_("The code your authenticator app shows for this practice."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the six digits only."))
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code is not right or has expired. Wait for a new code and try again.")
            )
        return token


class LanguageForm(forms.Form):
    """The language switch in the navigation and on the sign-in page."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ProfileForm(InputLimits, forms.ModelForm):
    """What a staff member sets for themselves: the language and time zone of their pages."""

    class Meta:
        model = User
        fields = ["language", "time_zone"]
        labels = {"time_zone": _("Time zone")}
        help_texts = {"time_zone": _("Times on every page are shown in this zone.")}
