"""The back office's look and its sidebar, grouped by programme."""

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

# Sidebar groups in the order of the federation's programmes; each app belongs to one.
GROUPS = [
    ("org", _("Organisation building"), ("orgs", "members")),
    ("rights", _("Rights services"), ("rights",)),
    ("assistance", _("Hardship assistance"), ("assistance",)),
    ("services", _("Special services"), ("services",)),
    ("honours", _("Honours"), ("honours",)),
    ("skills", _("Skills"), ("skills",)),
    ("campaigns", _("Merit competitions"), ("campaigns",)),
    ("publicity", _("Publicity and education"), ("publicity",)),
    ("cockpit", _("Data cockpit"), ("cockpit",)),
    ("system", _("System administration"), ("accounts", "platform", "auditlog")),
]


_sidebars: dict = {}  # (roles, language) → the groups: the pages a role sees do not change


def sidebar(request):
    """The sidebar's groups of pages for this person: those their roles may open (roles and
    their permissions are code, so one build serves every later page of the same roles)."""
    from django.utils.translation import get_language

    from gongjia.platform import figure_cache

    key = (figure_cache.signature(request.user), get_language())
    if key not in _sidebars:
        if len(_sidebars) > 1000:
            _sidebars.clear()
        _sidebars[key] = _build(request)
    return _sidebars[key]


def _build(request):
    from django.contrib import admin

    by_app: dict[str, list] = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        if not model_admin.has_view_or_change_permission(request):
            continue
        meta = model._meta
        try:
            link = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        by_app.setdefault(meta.app_label, []).append(
            {
                "title": meta.verbose_name_plural,
                "icon": getattr(model_admin, "nav_icon", "list"),
                "link": link,
                "order": getattr(model_admin, "nav_order", 100),
                **(
                    {"badge": "gongjia.platform.navigation.unread_badge"}
                    if meta.label == "platform.Notification"
                    else {}
                ),
            }
        )
    groups = []
    for key, title, apps in GROUPS:
        items = sorted(
            (item for app in apps for item in by_app.get(app, [])),
            key=lambda i: (i["order"], str(i["title"])),
        )
        if key == "cockpit" and request.user.is_authenticated:
            items.insert(
                0, {"title": _("Indicators"), "icon": "monitoring", "link": reverse("admin:index")}
            )
        if items:
            for i in items:
                i.pop("order", None)
            groups.append({"title": title, "separator": True, "collapsible": False, "items": items})
    return groups


def unread_badge(request):
    from gongjia.platform import figure_cache
    from gongjia.platform.models import Notification

    user = request.user
    if not user.is_authenticated:
        return None
    # Read on every back-office page: kept like a figure, until a notification is written.
    n = figure_cache.remembered(
        ("unread", user.pk),
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    )
    return str(n) if n else None


UNFOLD = {
    "SITE_TITLE": _("Gongjia"),
    "SITE_HEADER": _("Gongjia · trade-union workforce platform"),
    "SITE_SYMBOL": "handshake",
    "SHOW_LANGUAGES": True,
    "SHOW_VIEW_ON_SITE": False,
    "ENVIRONMENT": None,
    "STYLES": [lambda request: static("platform/backoffice.css")],
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "gongjia.platform.navigation.sidebar",
    },
    "ACCOUNT": {
        "navigation": [
            {
                "title": _("Notifications"),
                "link": reverse_lazy("admin:platform_notification_changelist"),
            },
            {"title": _("Change password"), "link": "/portal/password/"},
        ]
    },
}
