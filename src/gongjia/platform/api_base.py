"""API machinery: authentication, the one error format, scoped lookups and pagination."""

import datetime as dt
import inspect
import json
import logging
import math
import re
import sys
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.parser import Parser

from gongjia.platform import parameters, scope

log = logging.getLogger("gongjia.api")


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


# Every operation may answer these; the OpenAPI document lists them for each (see GongjiaAPI).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# Bounded query parameters: a year the records could hold, an offset and a page size a
# database can take (an unbounded integer overflows the database's 64 bits: a 500).
YEAR_MIN, YEAR_MAX = 1949, 2100
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description="公历年份（1949–2100）")]
Offset = Annotated[int, Field(ge=0, le=1_000_000_000, description="跳过的条数")]
Limit = Annotated[int, Field(ge=1, le=500, description="每页条数（1–500）")]


class BodyProblem(ValueError):
    """A request body refused before its schema is checked; the message says why."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message, self.errors = message, errors or {}


# C0 control characters other than tab, line feed and carriage return: never wanted in a text,
# and PostgreSQL refuses NUL outright.
_CONTROLS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean_text(value: str) -> str:
    """The one text cleaner of the API: control characters removed (NUL included), and halves
    of characters (lone surrogates, which JSON can spell but no database can store)."""
    if value.isprintable():
        return value
    value = value.translate(_CONTROLS)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "ignore").decode("utf-8")
    return value


class CleanJsonParser(Parser):
    """JSON bodies and query strings as the platform accepts them: a body is one JSON object;
    every text is cleaned and no longer than `api.max_text_chars`; no list is longer than
    `api.max_list_items`; nesting is shallow."""

    MAX_DEPTH = 8

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise BodyProblem(_("The request body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise BodyProblem(_("The request body must be a JSON object."))
        return self._clean(data, "", 0, self._limits())

    def parse_querydict(self, data, list_fields, request):
        limits = self._limits()
        parsed = super().parse_querydict(data, list_fields, request)
        return {k: self._clean(v, k, 1, limits) for k, v in parsed.items()}

    @staticmethod
    def _limits():

        return parameters.value("api.max_text_chars"), parameters.value("api.max_list_items")

    def _clean(self, value, where: str, depth: int, limits):
        max_text, max_items = limits
        field = where or "__all__"
        if isinstance(value, str):
            if len(value) > max_text:
                raise BodyProblem(
                    _("At most %(n)s characters.") % {"n": f"{max_text:,}"},
                    {field: [_("At most %(n)s characters.") % {"n": f"{max_text:,}"}]},
                )
            return clean_text(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if not -(2**63) <= value < 2**63:  # the databases' 64-bit integers
                message = _("The number is out of range.")
                raise BodyProblem(message, {field: [message]})
            return value
        if isinstance(value, float) and not math.isfinite(value):
            message = _("The number is out of range.")
            raise BodyProblem(message, {field: [message]})
        if depth > self.MAX_DEPTH:
            raise BodyProblem(_("The request body is nested too deeply."))
        if isinstance(value, list):
            if len(value) > max_items:
                message = _("At most %(n)s items.") % {"n": f"{max_items:,}"}
                raise BodyProblem(message, {field: [message]})
            return [self._clean(v, where, depth + 1, limits) for v in value]
        if isinstance(value, dict):
            return {
                clean_text(str(k)): self._clean(
                    v, f"{where}.{k}" if where else str(k), depth + 1, limits
                )
                for k, v in value.items()
            }
        return value


class GongjiaAPI(NinjaAPI):
    """The API with the platform's parser, and an OpenAPI document that lists, for every
    operation, the error answers every operation may give (the one error format)."""

    def __init__(self, **kwargs):
        super().__init__(parser=CleanJsonParser(), **kwargs)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        described = {
            "400": "请求有误 / Bad request",
            "401": "未登录或令牌无效 / Not signed in",
            "403": "无权操作 / Forbidden",
            "404": "不存在或不在管辖范围内 / Not found",
            "413": "请求体过大 / Request too large",
            "422": "请求数据有误 / Invalid data",
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in described.items():
                    responses.setdefault(
                        code,
                        {"description": text, "content": {"application/json": {"schema": ref}}},
                    )
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "ErrorOut", ErrorOut.model_json_schema()
        )
        return schema


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
        cause = exc.__cause__
        if isinstance(cause, BodyProblem):
            return error(api, request, 422, "invalid", cause.message, cause.errors)
        if exc.status_code == 400:  # the framework's own words are English
            return error(api, request, 400, "invalid", _("The request could not be read."))
        return error(api, request, exc.status_code, "error", str(exc))

    @api.exception_handler(BodyProblem)
    @_zh
    def body_problem(request, exc):
        return error(api, request, 422, "invalid", exc.message, exc.errors)

    # A number past the database's 64 bits in a query parameter (`?batch=10**20`): SQLite
    # cannot bind it, PostgreSQL refuses it. Every list of every app is covered here, not
    # each of their integer parameters.
    @api.exception_handler(OverflowError)
    @_zh
    def out_of_range(request, exc):
        return error(api, request, 422, "invalid", _("The number is out of range."))

    @api.exception_handler(DataError)
    def data_error(request, exc):
        return out_of_range(request, exc)

    @api.exception_handler(Exception)
    @_zh
    def unexpected(request, exc):
        log.exception("unexpected API error")
        return error(api, request, 500, "server_error", _("Something went wrong on our side."))


def scoped_get(request, queryset, pk, action: str = "view", key: str = "pk"):
    obj = scope.restrict(queryset, request.user, action).filter(**{key: pk}).first()
    if obj is None:
        raise Http404
    return obj


def _missing(what, values, scoped: bool) -> str:
    params = {"what": what, "v": "、".join(str(v) for v in values)}
    if scoped:
        return _("%(what)s %(v)s does not exist or lies outside your organisation.") % params
    return _("%(what)s %(v)s does not exist.") % params


def reference(queryset, field: str, what, *, scoped: bool = True, **lookup):
    """The row a payload refers to by one code or id (`queryset` already restricted to the
    caller's scope, unless `scoped` is False), or an error on `field` naming `what` was not
    found: never a silent None."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise ValidationError({field: [_missing(what, lookup.values(), scoped)]})
    return obj


def references(queryset, field: str, what, values, *, key: str = "pk", scoped: bool = True):
    """The rows a payload refers to by a list of codes or ids, in its order; an error on `field`
    names every one not found."""
    found = {getattr(o, key): o for o in queryset.filter(**{f"{key}__in": values})}
    missing = [v for v in values if v not in found]
    if missing:
        raise ValidationError({field: [_missing(what, missing, scoped)]})
    return [found[v] for v in values]


def require_perm(request, model, action: str):
    if not request.user.has_perm(scope.perm_name(model, action)):
        raise PermissionDenied(_("You may not do this."))


def page_of(item):
    """The schema of one page of `item`s (`<Name>Page` for `<Name>Out`), as `page` returns it."""
    return type(
        f"{item.__name__.removesuffix('Out')}Page",
        (Schema,),
        {"__annotations__": {"count": int, "offset": int, "limit": int, "items": list[item]}},
    )


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


def patch_changes(payload, model) -> dict:
    """The fields a PATCH sets: only those sent. An explicit null empties a field that may be
    empty (null, or blank text) and is refused, naming the field, where the field is required;
    references by code (not fields of the model) are left to their resolvers."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models as m

    data = payload.dict(exclude_unset=True)
    errors = {}
    for name, value in list(data.items()):
        if value is not None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.null:
            continue
        if field.blank and isinstance(field, (m.CharField, m.TextField)):
            data[name] = ""
            continue
        errors[name] = [_("This field cannot be emptied: leave it out to keep its value.")]
    if errors:
        raise ValidationError(errors)
    return data


class TransitionOut(Schema):
    name: str
    label: str
    note_required: bool
    required: list[str]
    # False while something other than the step's own fields stands in its way; `blocked_by`
    # then says what, as the record's page does (a document, a role, a date).
    available: bool
    blocked_by: list[str]
    # The required fields not yet on record, each with the message that names it: give them
    # with the step.
    missing: dict[str, str]


def _named(func, name: str, module: str, doc: str = ""):
    # Operations are named as if written in the calling module: their OpenAPI ids stay put.
    func.__name__ = func.__qualname__ = name
    func.__module__, func.__doc__ = module, doc or None
    return func


def record_endpoints(
    router,
    path: str,
    *,
    names: tuple[str, ...],
    queryset,
    out,
    page_out=None,
    filters=None,
    order: tuple[str, ...] = ("-id",),
    distinct: bool = False,
    create=None,
    change=None,
    limit: int = 50,
    key: str = "pk",
    prepare=None,
) -> None:
    """The endpoints of one kind of record, in the caller's scope: `GET {path}` (one page,
    filtered), `POST {path}` (`create = (InSchema, fn(request, payload) -> row)`, 201),
    `GET {path}/{id}` and `PATCH {path}/{id}` (`change = (PatchSchema, fn(request, row,
    changes))`, the changes by the one PATCH rule). `path` names the id as in
    `/stations/{station_id}`; `names` are the operations' names (list, create, get, change).
    Without `page_out` the list is the caller's own (one with parameters of its own). Lists
    filtered across a many-to-many relation need `distinct`. A record addressed by another
    unique field than its id names it in `key` (`/units/{code}`, `key="code"`); `prepare`
    completes the rows of every answer (`prepare(rows) -> rows`, one query for a page).
    Call it after the routes of fixed sub-paths (`/stations/coverage`): the first path that
    matches a request takes it."""
    base, param = re.fullmatch(r"(.*)/\{(\w+)\}", path).groups()
    model = queryset.model
    module = sys._getframe(1).f_globals["__name__"]
    p = inspect.Parameter
    request_p = p("request", p.POSITIONAL_OR_KEYWORD)
    id_p = p(param, p.KEYWORD_ONLY, annotation=int if key == "pk" else str)

    def one(obj):
        return prepare([obj])[0] if prepare else obj

    def listed(request, filters, offset=0, limit=limit):
        qs = filters.filter(scope.restrict(queryset, request.user))
        qs = (qs.distinct() if distinct else qs).order_by(*order)
        return page(qs, offset, limit, prepare=prepare)

    listed.__signature__ = inspect.Signature(
        [
            request_p,
            p("filters", p.POSITIONAL_OR_KEYWORD, annotation=Query[filters]),
            p("offset", p.POSITIONAL_OR_KEYWORD, default=0, annotation=Offset),
            p("limit", p.POSITIONAL_OR_KEYWORD, default=limit, annotation=Limit),
        ]
    )
    if page_out is not None:
        router.get(base, response={200: page_out, **ERRORS})(_named(listed, names[0], module))
    if create:
        schema, make = create

        def created(request, payload):
            require_perm(request, model, "add")
            return Status(201, one(queryset.get(pk=make(request, payload).pk)))

        created.__signature__ = inspect.Signature(
            [request_p, p("payload", p.POSITIONAL_OR_KEYWORD, annotation=schema)]
        )
        router.post(base, response={201: out, **ERRORS})(_named(created, names[1], module))

    def got(request, **kw):
        return one(scoped_get(request, queryset, kw[param], key=key))

    got.__signature__ = inspect.Signature([request_p, id_p])
    router.get(path, response={200: out, **ERRORS})(_named(got, names[2], module))
    if change:
        schema, alter = change

        def changed(request, **kw):
            require_perm(request, model, "change")
            obj = scoped_get(request, queryset, kw[param], "change", key=key)
            alter(request, obj, patch_changes(kw["payload"], model))
            return one(queryset.get(pk=obj.pk))

        changed.__signature__ = inspect.Signature(
            [request_p, id_p, p("payload", p.KEYWORD_ONLY, annotation=schema)]
        )
        router.patch(path, response={200: out, **ERRORS})(_named(changed, names[3], module))


class TransitionIn(Schema):
    name: str
    note: str = ""
    on: dt.date | None = None


def transition_endpoints(
    router,
    path: str,
    *,
    name: str,
    queryset,
    workflow,
    out,
    take,
    payload=TransitionIn,
    docs: tuple[str, str] = ("", ""),
) -> None:
    """`GET {path}/transitions` (the steps the caller may take on the record now) and `POST`
    (take one: `take(request, obj, payload)`; answers the record), for any workflow. `path`
    names the record's id as in `/cases/{case_id}`; the operations are named as if written in
    the calling module (`{name}_transitions`, `perform_{name}_transition`)."""
    param = re.search(r"\{(\w+)\}", path).group(1)
    p = inspect.Parameter
    request_p = p("request", p.POSITIONAL_OR_KEYWORD)
    id_p = p(param, p.KEYWORD_ONLY, annotation=int)

    def steps(request, **kw):
        obj = scoped_get(request, queryset, kw[param])
        return allowed_transitions(workflow, obj, request.user)

    def take_step(request, **kw):
        obj = scoped_get(request, queryset, kw[param])
        take(request, obj, kw["payload"])
        return queryset.get(pk=obj.pk)

    steps.__signature__ = inspect.Signature([request_p, id_p])
    take_step.__signature__ = inspect.Signature(
        [request_p, id_p, p("payload", p.KEYWORD_ONLY, annotation=payload)]
    )
    module = sys._getframe(1).f_globals["__name__"]
    _named(steps, f"{name}_transitions", module, docs[0])
    _named(take_step, f"perform_{name}_transition", module, docs[1])
    router.get(f"{path}/transitions", response={200: list[TransitionOut], **ERRORS})(steps)
    router.post(f"{path}/transitions", response={200: out, **ERRORS})(take_step)


def allowed_transitions(workflow, obj, user) -> list[dict]:
    """The steps of `user`'s role from the record's state, for `GET …/transitions` of every
    API: each with what blocks it, from the same declaration the back office explains."""
    out = []
    for t, reasons in workflow.explained(obj, user, fields=False):
        out.append(
            {
                "name": t.name,
                "label": str(t.label),
                "note_required": t.note_required,
                "required": list(t.required),
                "available": not reasons,
                "blocked_by": reasons,
                "missing": {f: str(m) for f, m in workflow.missing(obj, t).items()},
            }
        )
    return out
