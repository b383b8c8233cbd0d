"""Authorisation from role assignments (gongjia.accounts.roles) instead of Django's groups."""

from django.contrib.auth.backends import BaseBackend

from gongjia.accounts import security
from gongjia.accounts.roles import ROLES


class RoleBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, otp=None, **kwargs):
        if username is None or password is None:
            return None
        result = security.login_check(request, username, password, otp)
        return result.user

    def get_user(self, user_id):
        from gongjia.accounts.models import User

        user = User.objects.filter(pk=user_id, is_active=True).first()
        return user

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        return user_obj.has_role_perm(perm)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        return any(
            p.split(".", 1)[0] == app_label
            for ra in user_obj.role_assignments()
            for p in ROLES[ra.role].perms
        )
