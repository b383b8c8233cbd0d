"""Request context for audit rows, the Content Security Policy, and the request size."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from gongjia.platform import audit

# Our own pages run no inline script. The back office theme (django-unfold) evaluates Alpine.js
# expressions and sets inline styles, so its pages get a policy with those two allowances.
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
THEMED = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
THEMED_PREFIXES = ("/admin/", "/api/v1/docs")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            themed = request.path.startswith(THEMED_PREFIXES)
            response["Content-Security-Policy"] = THEMED if themed else STRICT
        return response


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            audit.current_ip.reset(token)


class RequestSizeMiddleware:
    """A body larger than the platform reads in memory is refused with 413 before it is read
    (files uploaded as multipart forms are streamed to disk and checked by their own rules)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and not multipart:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20
            message = _("The request is larger than %(m)d MB.") % {"m": limit}
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "too_large", "message": message, "errors": {}}, status=413
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
