"""Login checks shared by the back office, the portal and the token endpoint.

Lockout (GB/T 22239-2019 8.1.4.1 b): after `security.lockout_threshold` failures of one account
within `security.lockout_minutes`, and, with its own much higher threshold
(`security.lockout_threshold_address`), of one client address, so that one officer's typos never
lock out the colleagues behind the same office address. Attempts are counted before the password
is checked, under a lock per account, so that parallel guesses never get more checks than the
threshold. A second factor (TOTP, each code accepted once) for the roles that require it
(8.1.4.1 d). Every attempt is written to the security log.
"""

import datetime as dt
import zlib
from dataclasses import dataclass

import pyotp
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import audit, parameters
from gongjia.platform.models import AuditEvent


@dataclass
class LoginResult:
    user: object = None
    code: str = ""  # "", "invalid", "locked", "otp_required", "otp_invalid", "no_second_factor"
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


def _lock_account(username: str):
    """Serialise the attempts on one account name. SQLite's IMMEDIATE transactions already
    serialise every writer; PostgreSQL takes a transaction-scoped advisory lock."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(username.lower().encode()) - 2**31
        with connection.cursor() as c:
            c.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x676A, key])


def is_locked(username: str, ip: str | None) -> bool:
    from gongjia.accounts.models import LoginFailure

    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username__iexact=username).count() >= parameters.value(
        "security.lockout_threshold"
    ):
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= parameters.value(
        "security.lockout_threshold_address"
    )


def _claim_attempt(username: str, ip: str | None):
    """Count this attempt as a failure before checking anything (it is withdrawn on success):
    None when the account or the address is locked."""
    from gongjia.accounts.models import LoginFailure

    with transaction.atomic():
        _lock_account(username)
        if is_locked(username, ip):
            return None
        return LoginFailure.objects.create(username=username, ip=ip)


def _log_failure(request, username, code, message, user=None):
    audit.record(
        AuditEvent.Kind.SECURITY,
        "login_failed",
        actor=user,
        actor_name=username,
        success=False,
        ip=client_ip(request),
        data={"reason": code},
    )
    return LoginResult(code=code, message=message)


def verify_otp(user, otp: str | None) -> bool:
    """The code of the current 30-second step (or one step either side, for clock drift), and
    only once: the step used is remembered, so the same or an older code is refused."""
    from gongjia.accounts.models import User

    code = str(otp or "").strip()
    if not user.totp_secret or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    step = totp.timecode(now)
    for candidate in (step - 1, step, step + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
            # Claimed in one statement: of two requests with the same code, one wins.
            used = User.objects.filter(pk=user.pk).exclude(totp_last_step__gte=candidate)
            if used.update(totp_last_step=candidate):
                user.totp_last_step = candidate
                return True
            return False
    return False


def _burn_hash(password: str):
    """Unknown names take as long to refuse as known ones: the hasher runs anyway."""
    from gongjia.accounts.models import User

    User().set_password(password)


def login_check(request, username: str, password: str, otp: str | None = None) -> LoginResult:
    from gongjia.accounts.models import LoginFailure, User

    username = (username or "").strip()[:150]
    ip = client_ip(request)
    attempt = _claim_attempt(username, ip)
    if attempt is None:
        minutes = parameters.value("security.lockout_minutes")
        return _log_failure(
            request,
            username,
            "locked",
            _("Too many failed logins: the account is locked for %(m)d minutes.") % {"m": minutes},
        )
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        _burn_hash(password or "")
        return _log_failure(request, username, "invalid", _("Wrong user name or password."))
    if not user.check_password(password or "") or not user.is_active:
        return _log_failure(request, username, "invalid", _("Wrong user name or password."), user)
    if user.second_factor_required or user.totp_secret:
        if not user.totp_secret:
            LoginFailure.objects.filter(pk=attempt.pk).delete()
            return _log_failure(
                request,
                username,
                "no_second_factor",
                _(
                    "Your role requires a second factor and none is set up for you: ask the "
                    "security administrator to enrol your authenticator app."
                ),
                user,
            )
        if not otp:
            # The right password without the code is the first step of a two-step sign-in,
            # not a failure: the attempt is withdrawn.
            LoginFailure.objects.filter(pk=attempt.pk).delete()
            return LoginResult(
                code="otp_required",
                message=_("Enter the six-digit code from your authenticator app."),
            )
        if not verify_otp(user, otp):
            return _log_failure(
                request,
                username,
                "otp_invalid",
                _("The verification code is wrong or was already used."),
                user,
            )
    LoginFailure.objects.filter(username__iexact=username).delete()
    audit.record(AuditEvent.Kind.SECURITY, "login", actor=user, ip=ip)
    return LoginResult(user=user)


def record_logout(request, user):
    audit.record(AuditEvent.Kind.SECURITY, "logout", actor=user, ip=client_ip(request))
