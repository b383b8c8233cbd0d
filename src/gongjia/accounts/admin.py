from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from gongjia.accounts import actions
from gongjia.accounts.models import RoleAssignment, User
from gongjia.platform import scope
from gongjia.platform.admin_base import ScopedAdmin


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Required for a new account; the user must change it at first login."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "mobile", "email", "is_active"]


@admin.register(User)
class UserAdmin(ScopedAdmin):
    nav_icon = "person"
    nav_order = 10
    form = UserForm
    list_display = ["username", "full_name", "is_active", "last_login", "must_change_password"]
    list_filter = ["is_active", "roles__role"]
    search_fields = ["username", "full_name"]
    readonly_fields = ["last_login", "date_joined", "must_change_password", "password_changed_at"]
    actions = ["export_xlsx", "disable_users", "enable_users"]

    def save_action(self, request, obj, form, change):
        password = form.cleaned_data.get("password")
        if not change:
            if not password:
                raise PermissionDenied(_("A new account needs an initial password."))
            user, _secret = actions.create_user(
                obj.username,
                acting_user=request.user,
                password=password,
                full_name=obj.full_name,
            )
            return user
        obj.save()  # the names; status, roles and passwords change through the actions
        if password:
            actions.reset_password(obj, password, acting_user=request.user)
        return obj

    @admin.action(description=_("Disable selected accounts"), permissions=["change"])
    def disable_users(self, request, queryset):
        for user in queryset:
            actions.set_active(user, False, acting_user=request.user)

    @admin.action(description=_("Enable selected accounts"), permissions=["change"])
    def enable_users(self, request, queryset):
        for user in queryset:
            actions.set_active(user, True, acting_user=request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    nav_icon = "badge"
    nav_order = 20
    list_display = ["user", "role", "unit", "active", "granted_by", "granted_at"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    list_select_related = ["user", "unit", "granted_by"]
    autocomplete_fields = ["user", "unit"]
    fields = ["user", "role", "unit"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def save_action(self, request, obj, form, change):
        try:
            ra = actions.grant_role(obj.user, obj.role, obj.unit, acting_user=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            raise PermissionDenied(" ".join(e.messages)) from None
        if ra.new_totp_secret:
            messages.warning(
                request,
                _(
                    "%(u)s now needs a second factor: give them this secret for their "
                    "authenticator app, once, in person: %(s)s"
                )
                % {"u": obj.user.username, "s": ra.new_totp_secret},
            )
        return ra

    @admin.action(description=_("Revoke selected roles"), permissions=["change"])
    def revoke(self, request, queryset):
        for ra in scope.restrict(queryset, request.user, "change"):
            actions.revoke_role(ra, acting_user=request.user)
