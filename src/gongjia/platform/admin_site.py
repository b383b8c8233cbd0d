"""The back-office site: role-based entry, a login with a second factor, the indicator home."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite


class GongjiaAdminSite(UnfoldAdminSite):
    login_template = "admin/login.html"
    index_template = "admin/gongjia_index.html"

    @property
    def login_form(self):
        # The sign-in rules are the accounts app's (settings.GONGJIA_LOGIN_FORM): the platform
        # names no app of its own.
        return import_string(settings.GONGJIA_LOGIN_FORM)

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
