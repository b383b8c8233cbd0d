"""Password rules of the security baseline (identifiers-and-security.md §5)."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import parameters


def _classes(password: str) -> int:
    return sum(
        [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class ComplexityValidator:
    def validate(self, password, user=None):
        length = parameters.value("security.password_min_length")
        classes = parameters.value("security.password_min_classes")
        if len(password) < length or _classes(password) < classes:
            raise ValidationError(
                _(
                    "A password needs at least %(length)d characters from at least %(classes)d "
                    "of: lowercase letters, uppercase letters, digits, symbols."
                )
                % {"length": length, "classes": classes},
                code="password_weak",
            )

    def get_help_text(self):
        return _(
            "At least 8 characters from at least three of: lowercase, uppercase, digits, symbols."
        )


class HistoryValidator:
    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        n = parameters.value("security.password_history")
        recent = list(user.password_history.values_list("password", flat=True)[:n])
        if any(check_password(password, h) for h in recent):
            raise ValidationError(
                _("This password was used recently: choose one not among your last %(n)d.")
                % {"n": n},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        user.password_history.create(password=user.password)
        type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        user.password_changed_at = timezone.now()

    def get_help_text(self):
        return _("None of your last five passwords.")
