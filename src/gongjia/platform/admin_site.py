"""The back-office site: role-based entry, a login with a second factor, the indicator home."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from gongjia.accounts.forms import otp_field


class LoginForm(AuthenticationForm):
    """User name, password and (where required) a TOTP code, checked by the shared login rules."""

    otp = otp_field()
    back_office = True

    def clean(self):
        from gongjia.accounts.security import login_check

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


class GongjiaAdminSite(UnfoldAdminSite):
    login_form = LoginForm
    login_template = "admin/login.html"
    index_template = "admin/gongjia_index.html"

    def has_permission(self, request):
        return request.user.is_active and getattr(request.user, "may_use_back_office", False)

    def index(self, request, extra_context=None):
        from gongjia.platform import kpis

        year = request.GET.get("year")
        year = int(year) if year and year.isdigit() else None
        context = {
            **self.each_context(request),
            "title": _("Indicators"),
            "indicators": kpis.evaluate(request.user, year=year),
            "year": year,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, self.index_template, context)
