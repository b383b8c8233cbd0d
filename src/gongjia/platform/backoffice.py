from django.contrib.admin.apps import AdminConfig


class BackOfficeConfig(AdminConfig):
    """Django's admin with our site as the default one (role-based entry, 2FA login)."""

    default_site = "gongjia.platform.admin_site.GongjiaAdminSite"
