"""Health endpoints for load balancers and process supervisors, answering JSON.

/health/live: the process answers requests (nothing else is checked, so a supervisor restarts
only a process that is really stuck).
/health/ready: whether this app server can serve visitors: the database must answer (503 if
not); the cache (Redis when REDIS_URL is set) and Elasticsearch (when ELASTICSEARCH_URL is set)
are checked and reported, but their failure leaves the status "degraded" with 200, because the
site goes on answering without them (its own memory for the cache, the database index for the
search). Taking every app server out of the load balancer because Elasticsearch is down would
turn a slower search into no site at all.
"""

import time

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.engines import elasticsearch_engine


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as error:  # a health check reports every failure, whatever its kind
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict:
    cache = caches["default"]
    ping = getattr(cache, "ping", None)  # Redis (core.cache): ask the server itself
    if ping is not None and not ping():
        raise ConnectionError("Redis did not answer")
    cache.set("health:ready", 1, timeout=10)
    if cache.get("health:ready") != 1:
        raise RuntimeError("the cache did not keep a value")
    return {"backend": type(cache).__name__}


def _elasticsearch(engine) -> dict:
    health = engine.cluster_health()
    if health["status"] == "red":  # some data has no copy on a live node
        raise RuntimeError(f"cluster status red with {health['nodes']} node(s)")
    return health


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    engine = elasticsearch_engine()
    if engine is not None:
        checks["elasticsearch"] = _timed(lambda: _elasticsearch(engine))
    if not checks["database"]["ok"]:
        status, code = "unavailable", 503
    elif all(check["ok"] for check in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


urlpatterns = [
    path("live", live, name="health_live"),
    path("ready", ready, name="health_ready"),
]
