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

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "cockpit/<str:key>/",
                self.admin_view(self.figure_view),
                name="cockpit_figure",
            ),
            *super().get_urls(),
        ]

    def figure_view(self, request, key):
        """One figure: its value, its trend over the years, its target, and the comparison
        across the towns (or the units) under the viewer, each number opening its records."""
        import json

        from django.http import Http404

        from gongjia.platform import formatting, kpis

        if key not in kpis.visible(request.user):
            raise Http404
        year = request.GET.get("year")
        year = int(year) if year and year.isdigit() and 2000 <= int(year) <= 2100 else None
        ind = kpis.registry()[key]
        figure = kpis.evaluate(request.user, year=year, keys=[key])[0]
        units = kpis.compared_units(request.user)
        rows = kpis.breakdown(key, request.user, units, year)
        years = kpis.trend(key, request.user, year)

        def plain(value):
            if isinstance(value, dict):
                return sum(value.values())
            if ind.fmt == kpis.SHARE and value is not None:
                return round(value * 100, 1)
            return value

        def chart(labels, values):
            return json.dumps(
                {
                    "labels": labels,
                    "datasets": [
                        {
                            "label": str(ind.label),
                            "data": [plain(v) for v in values],
                            "backgroundColor": "var(--color-primary-600)",
                            "borderColor": "var(--color-primary-600)",
                        }
                    ],
                },
                ensure_ascii=False,
            )

        target = None
        if ind.target is not None:
            target = {
                "display": formatting.figure(ind.target, ind.fmt),
                "reached": figure["value"] is not None
                and plain(figure["value"]) >= plain(ind.target),
            }
        context = {
            **self.each_context(request),
            "title": figure["label"],
            "figure": figure,
            "target": target,
            "year": year,
            "trend": [(y, formatting.figure(v, ind.fmt)) for y, v in years],
            "trend_chart": chart([str(y) for y, _v in years], [v for _y, v in years])
            if years
            else "",
            "rows": rows,
            "rows_chart": chart([r["name"] for r in rows], [r["value"] for r in rows])
            if rows
            else "",
            "compared": _("Compared across the towns")
            if units and units[0].kind == "town_federation"
            else _("Compared across the units under you"),
            "in_percent": ind.fmt == kpis.SHARE,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/gongjia_figure.html", context)
