"""Session rules of the security baseline: idle timeout, forced password change."""

import datetime as dt
import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import parameters

EXEMPT_PREFIXES = (
    "/static/",
    "/healthz",
    "/api/",
    "/portal/password/",
    "/portal/logout/",
    "/admin/logout/",
    "/i18n/",
)


SEEN_EVERY = 60  # seconds


class IdleTimeoutMiddleware:
    """End a session after `security.idle_timeout_minutes` without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get("last_seen")
            idle = parameters.value("security.idle_timeout_minutes") * 60
            if last is not None and now - last > idle:
                from gongjia.accounts.security import record_logout

                record_logout(request, user)
                logout(request)
                messages.info(request, _("Your session ended after a period of inactivity."))
                login = "/admin/login/" if request.path.startswith("/admin/") else "/portal/login/"
                return redirect(f"{login}?next={request.path}")
            # Written at most once a minute: a session saved on every request is a database
            # write on every page read, and the idle timeout is counted in minutes.
            if last is None or now - last >= SEEN_EVERY:
                request.session["last_seen"] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Initial or expired passwords must be changed before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and password_change_due(user)
        ):
            return redirect(f"/portal/password/?next={request.path}")
        return self.get_response(request)


def password_change_due(user) -> bool:
    if user.must_change_password:
        return True
    max_age = parameters.value("security.password_max_age_days")
    changed = user.password_changed_at
    return bool(changed) and timezone.now() - changed > dt.timedelta(days=max_age)
