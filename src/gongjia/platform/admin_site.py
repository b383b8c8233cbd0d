"""The back-office site: role-based entry, a login with a second factor, the indicator home."""

import hashlib
import zlib

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

# Where a kept page's form token goes (see GongjiaAdminSite.index): letters only, so it reads
# the same escaped or not.
_TOKEN_MARK = "gongjiaformtokenmark"


def _year(request) -> int | None:
    """The year a cockpit page is asked for (`?year=`), None for as things stand."""
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None


def _chart(label: str, labels: list, values: list, colour: str) -> str:
    """One series as the theme's Chart.js components take it (their `data` attribute)."""
    import json

    series = {"label": label, "data": values, "backgroundColor": colour, "borderColor": colour}
    return json.dumps({"labels": labels, "datasets": [series]}, ensure_ascii=False)


def _sidebar_key(request, navigation: list) -> str:
    """What the sidebar's rendering depends on (navigation.html keeps it under this key): the
    person's roles, the language, the pages marked open, and the badges' numbers."""
    from django.utils.translation import get_language

    from gongjia.platform import figure_cache

    active, badges = [], []
    for group in navigation:
        for item in group.get("items", []):
            if item.get("active"):
                active.append(str(item.get("link")))
            if isinstance(item.get("badge"), str):
                badges.append(import_string(item["badge"])(request))
    text = repr((figure_cache.signature(request.user), get_language(), active, badges))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


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

    def get_app_list(self, request, app_label=None):
        # Every page's context asks for the application list, which the theme's sidebar does
        # not show (it shows ours, navigation.sidebar): built only when a page reads it.
        from django.utils.functional import SimpleLazyObject

        parent = super().get_app_list
        return SimpleLazyObject(lambda: parent(request, app_label))

    def each_context(self, request):
        context = super().each_context(request)
        context["sidebar_key"] = _sidebar_key(request, context.get("sidebar_navigation") or [])
        return context

    def index(self, request, extra_context=None):
        """The role's home: what waits for this person first, then the figures of their role.

        The whole page is kept as rendered for the person, like the figures, the to-do list and
        the unread count it shows (with them: a write to any table it read renders it again),
        with a mark where the form token goes, replaced by this request's token: the token is
        the only part of the page that changes from one request to the next. A page with a
        message to show once is rendered afresh."""
        from django.contrib.messages import get_messages
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        from gongjia.platform import figure_cache

        user = request.user
        if extra_context or len(get_messages(request)):
            return self._index(request, extra_context)

        def page():
            response = self._index(request, {"csrf_token": _TOKEN_MARK})
            response.render()
            return zlib.compress(response.content, 1), response["Content-Type"]

        key = ("home-page", user.pk, str(user), figure_cache.signature(user))
        content, content_type = figure_cache.remembered((*key, request.get_full_path()), page)
        content = zlib.decompress(content).replace(
            _TOKEN_MARK.encode(), get_token(request).encode()
        )
        request.current_app = self.name
        return HttpResponse(content, content_type=content_type)

    def _index(self, request, extra_context=None):
        from django.template.loader import render_to_string

        from gongjia.platform import figure_cache, kpis, todos

        year = _year(request)
        user = request.user

        def home():
            keys = kpis.visible(user)
            with figure_cache.reading():
                waiting = todos.waiting(user)
                figures = kpis.evaluate(user, year=year, keys=keys) if keys else []
            context = {"todos": waiting, "indicators": figures, "year": year}
            return render_to_string("admin/gongjia_home.html", context)

        # The page's own part is kept as rendered, like the figures and the to-do list it
        # shows (and with them: a write to what they count renders it again).
        signature = figure_cache.signature(user)
        with figure_cache.reading():  # the sidebar's unread count too: one look at the versions
            context = {
                **self.each_context(request),
                "title": _("My work"),
                "home": figure_cache.remembered(("home", user.pk, signature, year), home),
                "year": year,
                **(extra_context or {}),
            }
        request.current_app = self.name
        return TemplateResponse(request, self.index_template, context)

    def get_urls(self):
        from django.urls import path

        return [
            # Before the figure's page, whose key would take "report" for one.
            path("cockpit/report/", self.admin_view(self.report_view), name="cockpit_report"),
            path("cockpit/screen/", self.admin_view(self.screen_view), name="cockpit_screen"),
            path(
                "cockpit/<str:key>/",
                self.admin_view(self.figure_view),
                name="cockpit_figure",
            ),
            *super().get_urls(),
        ]

    def _bare_context(self, request) -> dict:
        """What the theme's page skeleton needs (its colours, styles and scripts), without the
        sidebar and the application list that `each_context` builds: a page without them, read
        by a whole hall every few minutes, should not pay for them."""
        return {
            "site_title": self._get_config("SITE_TITLE", request),
            "site_favicons": self._get_favicons("SITE_FAVICONS", request),
            "border_radius": self._get_config("BORDER_RADIUS", request),
            "colors": self._get_colors("COLORS", request),
            "environment_title_prefix": self._get_config("ENVIRONMENT_TITLE_PREFIX", request),
            "styles": self._get_list("STYLES", request),
            "scripts": self._get_list("SCRIPTS", request),
        }

    def screen_view(self, request):
        """The figures on the federation hall's screen (1920 × 1080, read from across the room,
        reloading itself every `refresh` seconds) and, the same page on a phone, for leaders:
        every figure of the viewer's role as a tile, and each programme's trend as a chart."""
        from django.template.loader import render_to_string
        from django.utils import timezone

        from gongjia.platform import figure_cache, kpis, report

        year = _year(request)
        refresh = request.GET.get("refresh", "")
        refresh = max(30, min(int(refresh), 3600)) if refresh.isdigit() else 300
        user = request.user

        def tiles():
            keys = kpis.visible(user)
            registry = kpis.registry()
            with figure_cache.reading():
                figures = kpis.evaluate(user, year=year, keys=keys) if keys else []
                charts, seen = [], set()
                for f in figures:
                    programme = report.programme(f["key"])
                    ind = registry[f["key"]]
                    if programme in seen or not ind.by_year or ind.fmt != kpis.COUNT:
                        continue
                    seen.add(programme)
                    years = kpis.trend(f["key"], user, year)
                    data = _chart(
                        f["label"],
                        [str(y) for y, _v in years],
                        [kpis.total(v) for _y, v in years],
                        "var(--color-primary-400)",
                    )
                    charts.append(
                        {
                            "programme": report.programme_title(programme),
                            "label": f["label"],
                            "data": data,
                        }
                    )
            context = {
                "figures": [
                    # A value that with its unit would not fit a tile is set smaller.
                    {
                        **f,
                        "chars": len(f["display"])
                        + (0 if f["fmt"] == kpis.SHARE else len(str(f["unit"] or ""))),
                    }
                    for f in figures
                    if f["value"] is not None
                ],
                "charts": charts,
                "year": year,
            }
            return render_to_string("admin/gongjia_screen_figures.html", context)

        context = {
            **self._bare_context(request),
            "title": _("The cockpit"),
            "theme": "dark",
            "scope": report.scope_name(request.user),
            # Kept as rendered, as the home's part is: a hall's screens ask every few minutes.
            "tiles": figure_cache.remembered(("screen", figure_cache.signature(user), year), tiles),
            "year": year,
            "refresh": refresh,
            "as_of": timezone.localtime(),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/gongjia_screen.html", context)

    def report_view(self, request):
        """The annual report of the reform over the viewer's scope (or the branch `under`), as
        a print-ready page, a PDF (`format=pdf`) or a workbook by town (`format=xlsx`)."""
        from urllib.parse import urlencode

        from django.http import Http404
        from django.urls import reverse

        from gongjia.platform import report, scope

        year = _year(request) or report.default_year()
        user, under = request.user, request.GET.get("under", "")
        if under:
            unit = scope.units_in_scope(user, scope.unit_model(), "view").filter(code=under).first()
            if unit is None:
                raise Http404
            user = scope.narrowed(user, unit)
        fmt = request.GET.get("format", "html")
        if fmt not in report.FORMATS:
            raise Http404
        query = {"year": year, **({"under": under} if under else {})}
        here = reverse("admin:cockpit_report")
        links = {
            "pdf": f"{here}?{urlencode({**query, 'format': 'pdf'})}",
            "xlsx": f"{here}?{urlencode({**query, 'format': 'xlsx'})}",
            "home": reverse("admin:index"),
        }
        return report.response(request, user, year, fmt, links)

    def figure_view(self, request, key):
        """One figure: its value, its trend over the years, its target, and the comparison
        across the towns (or the units) under the viewer, each number opening its records."""
        from django.http import Http404

        from gongjia.platform import formatting, kpis

        if key not in kpis.visible(request.user):
            raise Http404
        year = _year(request)
        ind = kpis.registry()[key]
        figure = kpis.evaluate(request.user, year=year, keys=[key])[0]
        units = kpis.compared_units(request.user)
        rows = kpis.breakdown(key, request.user, units, year)
        years = kpis.trend(key, request.user, year)

        def plain(value):
            value = kpis.total(value)
            if ind.fmt == kpis.SHARE and value is not None:
                return round(value * 100, 1)
            return value

        def chart(labels, values):
            colour = "var(--color-primary-600)"
            return _chart(str(ind.label), labels, [plain(v) for v in values], colour)

        target = None
        if figure["target"] is not None:
            target = {
                "display": figure["target_display"],
                "reached": bool(
                    kpis.reached(figure["value"], figure["target"], figure["target_op"])
                ),
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
        per = kpis.rate_of(ind, request.user)
        if per and rows:
            by_rate = sorted(
                rows, key=lambda r: (-(r["rate"] if r["rate"] is not None else -1), r["code"])
            )
            context["per"] = {
                "label": per.label,
                "total": formatting.number(kpis.figure_rate(key, request.user, year), 1),
                "chart": _chart(
                    f"{ind.label}（{per.label}）",
                    [r["name"] for r in by_rate],
                    [None if r["rate"] is None else round(r["rate"], 1) for r in by_rate],
                    "var(--color-primary-400)",
                ),
            }
        request.current_app = self.name
        return TemplateResponse(request, "admin/gongjia_figure.html", context)
