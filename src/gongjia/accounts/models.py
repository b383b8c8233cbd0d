"""Users, their role assignments on units, password history, login failures and API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.accounts.roles import ROLE_CHOICES, ROLES
from gongjia.platform.pii import BlindIndexField, PhoneField, ProtectedField


class User(AbstractUser):
    """One account per person; never deleted, disabled instead (audit rows refer to it)."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True, default="")
    mobile = PhoneField(_("mobile"), max_length=20, blank=True, default="")
    id_number = ProtectedField(_("ID number"))
    id_number_bidx = BlindIndexField(source="id_number")
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    totp_secret = ProtectedField(_("second-factor secret"), kind="secret")
    # The last 30-second step whose code was accepted: a code works once (RFC 6238 §5.2).
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # Set when an administrator resets the password: the user is told at the next sign-in.
    password_reset_at = models.DateTimeField(_("password reset"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("reveal_user", _("Can reveal users' personal data"))]
        # One account per person: two registrations with one ID number at the same moment
        # cannot both pass the check before either is written.
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_bidx"],
                condition=~models.Q(id_number_bidx=""),
                name="one_account_per_person",
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    # --- roles ----------------------------------------------------------------------------------

    def role_assignments(self):
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = list(
                self.roles.filter(active=True)
                .select_related("unit")
                .only("role", "unit__path", "unit__name", "unit__code", "unit__kind")
            )
        return self._roles_cache

    def role_keys(self) -> set[str]:
        return {ra.role for ra in self.role_assignments()}

    def unit_paths_for(self, perm: str) -> list[str]:
        return [ra.unit.path for ra in self.role_assignments() if ROLES[ra.role].grants(perm)]

    def has_role_perm(self, perm: str) -> bool:
        return any(ROLES[ra.role].grants(perm) for ra in self.role_assignments())

    @property
    def second_factor_required(self) -> bool:
        return any(ROLES[k].second_factor for k in self.role_keys())

    @property
    def is_separated_admin(self) -> bool:
        """A system, security or audit administrator (who sees no business data)."""
        return any(ROLES[k].separated_admin for k in self.role_keys())

    @property
    def may_use_back_office(self) -> bool:
        return self.is_active and (
            self.is_superuser or any(ROLES[k].back_office for k in self.role_keys())
        )

    @property
    def primary_unit(self):
        ras = self.role_assignments()
        return ras[0].unit if ras else None


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_on_unit")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self):
        if self.role not in ROLES:
            raise ValidationError({"role": _("Unknown role.")})


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"


class LoginFailure(models.Model):
    """Failed logins within the lockout window, by account name and by address."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self):
        return f"{self.username} · {self.ip} · {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
