"""Login checks shared by the back office, the portal and the token endpoint.

Lockout after `security.lockout_threshold` failures within `security.lockout_minutes`, counted
per account name and per client address (GB/T 22239-2019 8.1.4.1 b). A second factor (TOTP) for
the roles that require it (8.1.4.1 d). Every attempt is written to the security log.
"""

import datetime as dt
from dataclasses import dataclass

import pyotp
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import audit, parameters
from gongjia.platform.models import AuditEvent


@dataclass
class LoginResult:
    user: object = None
    code: str = ""  # "", "invalid", "locked", "otp_required", "otp_invalid"
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _window_start():
    return timezone.now() - dt.timedelta(minutes=parameters.value("security.lockout_minutes"))


def is_locked(username: str, ip: str | None) -> bool:
    from gongjia.accounts.models import LoginFailure

    threshold = parameters.value("security.lockout_threshold")
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= threshold:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= threshold


def _fail(request, username, code, message, user=None):
    from gongjia.accounts.models import LoginFailure

    ip = client_ip(request)
    if code != "locked":
        LoginFailure.objects.create(username=username[:150], ip=ip)
    audit.record(
        AuditEvent.Kind.SECURITY,
        "login_failed",
        actor=user,
        actor_name=username[:150],
        success=False,
        ip=ip,
        data={"reason": code},
    )
    return LoginResult(code=code, message=message)


def verify_otp(user, otp: str | None) -> bool:
    if not user.totp_secret or not otp:
        return False
    return pyotp.TOTP(user.totp_secret).verify(str(otp).strip(), valid_window=1)


def login_check(request, username: str, password: str, otp: str | None = None) -> LoginResult:
    from gongjia.accounts.models import LoginFailure, User

    username = (username or "").strip()
    ip = client_ip(request)
    minutes = parameters.value("security.lockout_minutes")
    if is_locked(username, ip):
        return _fail(
            request,
            username,
            "locked",
            _("Too many failed logins: the account is locked for %(m)d minutes.") % {"m": minutes},
        )
    user = User.objects.filter(username__iexact=username).first()
    if user is None or not user.is_active or not user.check_password(password or ""):
        return _fail(request, username, "invalid", _("Wrong user name or password."), user)
    if user.second_factor_required or user.totp_secret:
        if not otp:
            return _fail(
                request,
                username,
                "otp_required",
                _("Enter the six-digit code from your authenticator app."),
                user,
            )
        if not verify_otp(user, otp):
            return _fail(
                request, username, "otp_invalid", _("The verification code is wrong."), user
            )
    LoginFailure.objects.filter(username__iexact=username).delete()
    audit.record(AuditEvent.Kind.SECURITY, "login", actor=user, ip=ip)
    return LoginResult(user=user)


def record_logout(request, user):
    audit.record(AuditEvent.Kind.SECURITY, "logout", actor=user, ip=client_ip(request))
