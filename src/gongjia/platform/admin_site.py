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
        """The role's home: what waits for this person first, then the figures of their role."""
        from gongjia.platform import kpis, todos

        year = request.GET.get("year")
        year = int(year) if year and year.isdigit() and 2000 <= int(year) <= 2100 else None
        keys = kpis.visible(request.user)
        context = {
            **self.each_context(request),
            "title": _("My work"),
            "todos": todos.waiting(request.user),
            "indicators": kpis.evaluate(request.user, year=year, keys=keys) if keys else [],
            "year": year,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, self.index_template, context)
