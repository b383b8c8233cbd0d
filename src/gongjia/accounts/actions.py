"""State changes of accounts: creation, roles, passwords, tokens. Each writes the security log."""

import datetime as dt
import secrets

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.accounts.models import ApiToken, RoleAssignment, User
from gongjia.accounts.roles import ROLES
from gongjia.orgs.models import OrgUnit
from gongjia.platform import audit, notifications, parameters, scope
from gongjia.platform.models import AuditEvent


def _validate_new_password(password: str, user, field: str = "new_password"):
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({field: e.error_list}) from None


@transaction.atomic
def create_user(
    username: str,
    *,
    acting_user,
    password: str,
    full_name: str = "",
    role: str | None = None,
    unit=None,
    must_change_password: bool = True,
) -> tuple[User, str | None]:
    """Create an account (and its first role). Returns the user and, where a second factor is
    required, its new TOTP secret in base32 (shown once)."""
    scope.require_perm(acting_user, "accounts.add_user")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The user name %(u)s is taken.") % {"u": username}})
    user = User(username=username, full_name=full_name, must_change_password=must_change_password)
    _validate_new_password(password, user, "password")
    user.set_password(password)
    user.save()
    secret = None
    if role:
        # Role grants are the security administrator's; the creating command line (acting_user
        # SYSTEM) may create an account with its first role in one step.
        secret = grant_role(user, role, unit, acting_user=acting_user).new_totp_secret
    audit.record(AuditEvent.Kind.SECURITY, "user_created", actor=acting_user, obj=user)
    return user, secret


def enrol_second_factor(user: User, *, acting_user) -> str:
    secret = pyotp.random_base32()
    user.totp_secret = secret
    user.save(update_fields=["totp_secret"])
    audit.record(AuditEvent.Kind.SECURITY, "second_factor_enrolled", actor=acting_user, obj=user)
    return secret


@transaction.atomic
def grant_role(user: User, role: str, unit, *, acting_user) -> RoleAssignment:
    if role not in ROLES:
        raise ValidationError({"role": _("Unknown role %(r)s.") % {"r": role}})
    if unit is None:
        raise ValidationError({"unit": _("A role is held on a unit: choose one.")})
    scope.require_perm(acting_user, "accounts.add_roleassignment")
    scope.require(acting_user, "add", unit, model=RoleAssignment)
    if scope.person(acting_user) == user:
        raise PermissionDenied(_("Nobody may grant roles to themselves."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants per user
    held = set(RoleAssignment.objects.filter(user=user, active=True).values_list("role", flat=True))
    new = ROLES[role]
    others = held - {role}
    if others and (new.separated_admin or any(ROLES[r].separated_admin for r in others)):
        raise ValidationError(
            {
                "role": _(
                    "The system, security and audit administrators are separate people: "
                    "this user already holds %(r)s."
                )
                % {"r": ", ".join(str(ROLES[r].label) for r in sorted(others))}
            }
        )
    ra, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        defaults={"granted_by": scope.person(acting_user)},
    )
    if not created and not ra.active:
        ra.active = True
        ra.save(update_fields=["active"])
    audit.record(
        AuditEvent.Kind.SECURITY,
        "role_granted",
        actor=acting_user,
        obj=user,
        data={"role": role, "unit": unit.code},
    )
    user.__dict__.pop("_roles_cache", None)
    # A role that needs the second factor enrols the user at once; the secret is shown once.
    ra.new_totp_secret = None
    if new.second_factor and not user.totp_secret:
        ra.new_totp_secret = enrol_second_factor(user, acting_user=acting_user)
    return ra


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, acting_user):
    scope.require_perm(acting_user, "accounts.change_roleassignment")
    scope.require(acting_user, "change", assignment)
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit.record(
        AuditEvent.Kind.SECURITY,
        "role_revoked",
        actor=acting_user,
        obj=assignment.user,
        data={"role": assignment.role, "unit": assignment.unit.code},
    )


@transaction.atomic
def set_active(user: User, active: bool, *, acting_user):
    scope.require_perm(acting_user, "accounts.change_user")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        end_tokens(user)  # and re-enabling the account does not bring them back
    audit.record(
        AuditEvent.Kind.SECURITY,
        "user_enabled" if active else "user_disabled",
        actor=acting_user,
        obj=user,
    )


def end_tokens(user: User) -> int:
    """Every API token of the user ends now (password changed or reset, account disabled)."""
    n, _ = ApiToken.objects.filter(user=user).delete()
    return n


@transaction.atomic
def change_own_password(user: User, old: str, new: str, *, ip: str | None = None):
    if not user.check_password(old):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    if old == new:
        raise ValidationError(
            {"new_password": _("Choose a password different from the current one.")}
        )
    _validate_new_password(new, user)
    user.set_password(new)
    user.must_change_password = False
    user.password_reset_at = None
    user.save()
    ended = end_tokens(user)
    audit.record(
        AuditEvent.Kind.SECURITY,
        "password_changed",
        actor=user,
        obj=user,
        ip=ip,
        data={"tokens_ended": ended},
    )


@transaction.atomic
def reset_password(user: User, new: str, *, acting_user):
    """An administrator sets a temporary password, which the user must change at next login."""
    scope.require_perm(acting_user, "accounts.change_user")
    _validate_new_password(new, user)
    user.set_password(new)
    user.must_change_password = True
    user.password_reset_at = timezone.now()
    user.save()
    ended = end_tokens(user)
    audit.record(
        AuditEvent.Kind.SECURITY,
        "password_reset",
        actor=acting_user,
        obj=user,
        data={"tokens_ended": ended},
    )
    # The security administrator sees every reset (GB/T 22239-2019 8.1.5: the administrators
    # watch each other); the user is told at the next sign-in.

    # Of the district(s) of the user and of the administrator, not of every district.
    holders = [user, acting_user] if scope.person(acting_user) is not None else [user]
    roots = {ra.unit.path[: OrgUnit.steplen] for u in holders for ra in u.role_assignments()}
    for root in OrgUnit.objects.filter(path__in=roots):
        notifications.notify(
            title=_("Password of %(u)s reset by %(a)s")
            % {"u": user.username, "a": acting_user.username},
            link=f"/admin/accounts/user/{user.pk}/change/",
            role="security_admin",
            unit=root,
        )


def issue_token(user: User) -> tuple[str, ApiToken]:
    raw = "gj_" + secrets.token_urlsafe(32)
    hours = parameters.value("security.api_token_hours")
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    audit.record(AuditEvent.Kind.SECURITY, "token_issued", actor=user, obj=user)
    return raw, token
