import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone

from gongjia.platform.worker import STALE_INTERVALS

log = logging.getLogger(__name__)


def healthz(request):
    """Database reachable, migrations applied, age of the worker's last heartbeat."""
    body = {"database": "ok", "migrations": "ok", "worker_heartbeat_age_s": None}
    status = 200
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as c:
            c.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            body["migrations"] = f"{len(plan)} pending"
            status = 503
        from gongjia.platform import pii
        from gongjia.platform.models import Heartbeat

        if not plan:
            pii.ensure_canaries()
            problems = pii.key_problems()
            body["keys"] = problems or "ok"
            if problems:
                status = 503

        beat = Heartbeat.objects.order_by("-beat_at").first()
        if beat is None:
            body["worker"] = "never seen"
            status = 503
        else:
            # Gone after three missed beats, not minutes later: a dead worker stops imports,
            # exports and every deadline sweep.
            age = (timezone.now() - beat.beat_at).total_seconds()
            body["worker_heartbeat_age_s"] = round(age, 1)
            fresh = age < STALE_INTERVALS * beat.interval_s
            body["worker"] = "ok" if fresh else "stale"
            if not fresh:
                status = 503
    except Exception as exc:  # noqa: BLE001  any failure here means "not healthy"
        body["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    body["status"] = "ok" if status == 200 else "unhealthy"
    response = JsonResponse(body, status=status)
    if status != 200:
        # An unhealthy answer is the report itself (at start-up, before the worker's first
        # beat, it is expected), not a server error: said once as a warning, with the reason,
        # instead of Django's error log of every 5xx.
        response._has_been_logged = True
        log.warning("healthz unhealthy: %s", {k: v for k, v in body.items() if v != "ok"})
    return response


def bad_request(request, exception):
    """A request refused before any view (a malformed header or host): the platform's page,
    or for the API its JSON error like every other."""
    from django.utils.translation import gettext as _
    from django.views import defaults

    if request.path.startswith("/api/"):
        message = _("The request could not be understood (a malformed address or header).")
        return JsonResponse({"code": "bad_request", "message": message, "errors": {}}, status=400)
    return defaults.bad_request(request, exception)
