"""The workers' portal: sign in, my profile, password. Programmes add their pages here."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjia.accounts import actions, security
from gongjia.assistance.selectors import households_helped
from gongjia.platform import pii
from gongjia.platform.forms import form_errors
from gongjia.portal.forms import LoginForm, PasswordChangeForm


def _next(request, default="/portal/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = security.login_check(
            request,
            form.cleaned_data["username"],
            form.cleaned_data["password"],
            form.cleaned_data.get("otp"),
        )
        if result.ok:
            login(request, result.user, backend="gongjia.accounts.backends.RoleBackend")
            return redirect(_next(request))
        form.add_error(None, result.message)
    return render(request, "portal/login.html", {"form": form, "next": _next(request)})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        security.record_logout(request, request.user)
    logout(request)
    return redirect("/portal/login/")


@login_required
def home(request):
    """Large tiles for what a worker does, readable on a phone; the profile below them."""
    user = request.user
    return render(
        request,
        "portal/home.html",
        {
            "id_masked": pii.mask_id_detail(user.id_number),
            "mobile_masked": pii.mask_mobile(user.mobile),
            "roles": user.role_assignments(),
            "helps": households_helped(user),
        },
    )


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(
                request.user,
                form.cleaned_data["old_password"],
                form.cleaned_data["new_password"],
                ip=security.client_ip(request),
            )
        except ValidationError as e:
            form_errors(form, e, default="new_password")
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            default = "/admin/" if request.user.may_use_back_office else "/portal/"
            return redirect(_next(request, default))
    return render(request, "portal/password.html", {"form": form, "next": _next(request, "")})
