from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongjia.accounts.security import login_check


def otp_field() -> forms.CharField:
    """The second-factor code field shared by the back-office and portal sign-in forms."""
    return forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=8,
        help_text=_("Six digits from your authenticator app, if your account uses one."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BackOfficeLoginForm(AuthenticationForm):
    """User name, password and (where required) a TOTP code, checked by the shared login rules."""

    otp = otp_field()
    back_office = True

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            result = login_check(self.request, username, password, self.cleaned_data.get("otp"))
            if not result.ok:
                raise ValidationError(result.message, code=result.code)
            self.user_cache = result.user
            result.user.backend = "gongjia.accounts.backends.RoleBackend"
            self.confirm_login_allowed(result.user)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if self.back_office and not user.may_use_back_office:
            raise ValidationError(
                _("This account has no back-office role: workers sign in at the portal."),
                code="no_back_office",
            )
