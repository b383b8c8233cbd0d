from django import forms
from django.utils.translation import gettext_lazy as _


def otp_field() -> forms.CharField:
    """The second-factor code field shared by the back-office and portal sign-in forms."""
    return forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=8,
        help_text=_("Six digits from your authenticator app, if your account uses one."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
