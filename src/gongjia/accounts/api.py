"""/api/v1/auth/token and /api/v1/me."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, django_auth

from gongjia.accounts import actions, security
from gongjia.accounts.middleware import password_change_due
from gongjia.accounts.models import ApiToken
from gongjia.platform import parameters, pii
from gongjia.platform.api_base import ErrorOut, error

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """An API token of /api/v1/auth/token, ended when idle too long."""

    def authenticate(self, request, token):
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=now)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        idle = dt.timedelta(minutes=parameters.value("security.api_token_idle_minutes"))
        last = found.last_used_at or found.created_at
        if last < now - idle:
            ApiToken.objects.filter(pk=found.pk).delete()  # idle too long: it ends
            return None
        if now - last > dt.timedelta(minutes=1):
            # Written at most once a minute: a busy client does not queue a write per request.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


AUTH = [BearerToken(), django_auth]


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=256)
    otp: str | None = Field(None, max_length=12)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: dt.datetime


class PasswordIn(Schema):
    username: str = Field(..., max_length=150)
    old_password: str = Field(..., max_length=256)
    new_password: str = Field(..., max_length=256)
    otp: str | None = Field(None, max_length=12)


class RoleOut(Schema):
    role: str
    role_label: str
    unit_code: str
    unit_name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    id_number_masked: str
    roles: list[RoleOut]
    second_factor: bool
    must_change_password: bool


def token_endpoint(api):
    @router.post(
        "/auth/token",
        auth=None,
        response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    )
    def issue(request, payload: TokenIn):
        result = security.login_check(request, payload.username, payload.password, payload.otp)
        if not result.ok:
            status = 403 if result.code == "locked" else 401
            return error(api, request, status, result.code, result.message)
        if password_change_due(result.user):
            return error(
                api,
                request,
                403,
                "password_change_required",
                _(
                    "The initial or expired password must be changed first: call POST "
                    "/api/v1/auth/password (username, old_password, new_password, and otp where "
                    "needed); it answers with a new token."
                ),
            )
        raw, token = actions.issue_token(result.user)
        return {"token": raw, "expires_at": token.expires_at}

    @router.post(
        "/auth/password",
        auth=None,
        response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    )
    def change_password(request, payload: PasswordIn):
        """Change one's own password with the current one (and the second factor where the role
        requires it): the way an API client whose initial or expired password must be changed
        gets going. Every token of the account ends; the answer carries a new one."""
        result = security.login_check(request, payload.username, payload.old_password, payload.otp)
        if not result.ok:
            status = 403 if result.code == "locked" else 401
            return error(api, request, status, result.code, result.message)
        actions.change_own_password(
            result.user,
            payload.old_password,
            payload.new_password,
            ip=security.client_ip(request),
        )
        raw, token = actions.issue_token(result.user)
        return {"token": raw, "expires_at": token.expires_at}

    return issue


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "id_number_masked": pii.mask_id_detail(user.id_number),
        "roles": [
            {
                "role": ra.role,
                "role_label": str(ra.get_role_display()),
                "unit_code": ra.unit.code,
                "unit_name": ra.unit.name,
            }
            for ra in user.role_assignments()
        ],
        "second_factor": bool(user.totp_secret),
        "must_change_password": user.must_change_password,
    }
