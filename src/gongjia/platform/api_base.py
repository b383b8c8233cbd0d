"""API machinery: authentication, the one error format, scoped lookups and pagination."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, django_auth

from gongjia.platform import scope

log = logging.getLogger("gongjia.api")


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        from gongjia.accounts.models import ApiToken

        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


AUTH = [BearerToken(), django_auth]


def error(api, request, status: int, code: str, message: str, errors=None):
    return api.create_response(
        request, {"code": code, "message": message, "errors": errors or {}}, status=status
    )


def _zh(func):
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return func(*args, **kwargs)

    return wrapper


def install_error_handlers(api: NinjaAPI):
    @api.exception_handler(SchemaError)
    @_zh
    def schema_error(request, exc):
        errors: dict[str, list[str]] = {}
        for e in exc.errors:
            loc = [
                str(p) for p in e.get("loc", []) if p not in ("body", "query", "path", "payload")
            ]
            errors.setdefault(".".join(loc) or "__all__", []).append(e.get("msg", ""))
        return error(api, request, 422, "invalid", _("The request data is not valid."), errors)

    @api.exception_handler(ValidationError)
    @_zh
    def validation_error(request, exc):
        if hasattr(exc, "message_dict"):
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        first = next(iter(errors.values()))[0] if errors else _("Invalid data.")
        return error(api, request, 400, "invalid", first, errors)

    @api.exception_handler(PermissionDenied)
    @_zh
    def forbidden(request, exc):
        return error(api, request, 403, "forbidden", str(exc) or _("You may not do this."))

    @api.exception_handler(AuthenticationError)
    @_zh
    def unauthenticated(request, exc):
        return error(api, request, 401, "unauthenticated", _("Sign in or send a valid token."))

    @api.exception_handler(Http404)
    @_zh
    def not_found(request, exc):
        return error(api, request, 404, "not_found", _("Not found, or outside your scope."))

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        return not_found(request, exc)

    @api.exception_handler(HttpError)
    @_zh
    def http_error(request, exc):
        return error(api, request, exc.status_code, "error", str(exc))

    @api.exception_handler(Exception)
    @_zh
    def unexpected(request, exc):
        log.exception("unexpected API error")
        return error(api, request, 500, "server_error", _("Something went wrong on our side."))


def scoped_get(request, queryset, pk, action: str = "view"):
    obj = scope.restrict(queryset, request.user, action).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def reference(queryset, field: str, message: str, **lookup):
    """The row a payload refers to (by code or id, already restricted to the caller's scope),
    or a field error that says what is wrong: never a silent None."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise ValidationError({field: [message]})
    return obj


def require_perm(request, model, action: str):
    if not request.user.has_perm(scope.perm_name(model, action)):
        raise PermissionDenied(_("You may not do this."))


def page(queryset, offset: int, limit: int, prepare=None) -> dict:
    """One page of a list; the response schema serialises the items."""
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    items = list(queryset[offset : offset + limit])
    if prepare:
        items = prepare(items)
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": items,
    }


def apply_changes(obj, data: dict, *, validate_unique: bool = True):
    """Set fields from a validated payload, then run the model's own validation."""
    for k, v in data.items():
        setattr(obj, k, v)
    obj.full_clean(validate_unique=validate_unique)
    return obj


class TransitionOut(Schema):
    name: str
    label: str
    note_required: bool
    required: list[str]


def allowed_transitions(workflow, obj, user) -> list[dict]:
    """The steps `user` may take on `obj` now, for `GET …/transitions` of every API."""
    return [
        {
            "name": t.name,
            "label": str(t.label),
            "note_required": t.note_required,
            "required": list(t.required),
        }
        for t in workflow.allowed(obj, user)
    ]
