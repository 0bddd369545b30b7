"""gunicorn's settings for the site, read from the same environment as the site's:

    gunicorn -c python:website.gunicorn_conf website.wsgi:application

HOST and PORT (127.0.0.1:8000), WEB_CONCURRENCY worker processes (2: one per core on these
machines) of GUNICORN_THREADS threads (4: a request mostly waits for the database or
Elasticsearch), GUNICORN_TIMEOUT seconds before a stuck worker is replaced. Flags on the
command line (--bind, --workers, ...) override these. Request and error lines go to standard
output and standard error in the site's log format (LOG_FORMAT, core/logs.py).
"""

import os

from gunicorn.glogging import Logger

from core.logs import formatter_config


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{_env_int('PORT', 8000)}"]
workers = _env_int("WEB_CONCURRENCY", 2)
threads = _env_int("GUNICORN_THREADS", 4)
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# A request that waits in the kernel's queue rather than being refused when all threads are busy.
backlog = 512
# Workers are replaced after this many requests (with jitter, so not all at once): a slow leak
# in any library cannot grow without bound.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Behind a reverse proxy the client address comes from X-Forwarded-For (TRUSTED_PROXY_COUNT,
# core/clients.py); gunicorn itself need not trust any forwarded header.
forwarded_allow_ips = ""
# No gunicornc control socket: nothing here uses it, and two app servers on one machine
# would share its default path.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
logger_class = "website.gunicorn_conf.RequestLogger"
_formatter = formatter_config(
    os.environ.get("LOG_FORMAT", "text"), os.environ.get("LOG_TRACEBACKS", "") == "true"
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"site": _formatter},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "site",
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "site",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}


class RequestLogger(Logger):
    """gunicorn's logger with its request lines as one structured record each: in text
    `GET /path?query 200 5123 B 31 ms from 127.0.0.1`, in JSON with those as fields."""

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict):
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or "",
            "status": int(status),
            "bytes": getattr(resp, "sent", None) or 0,
            "ms": round(request_time.total_seconds() * 1000, 1),
            "remote": environ.get("REMOTE_ADDR"),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
        }
        query = f"?{fields['query']}" if fields["query"] else ""
        self.access_log.info(
            "%s %s%s %s %s B %s ms from %s",
            fields["method"],
            fields["path"],
            query,
            fields["status"],
            fields["bytes"],
            fields["ms"],
            fields["remote"],
            extra=fields,
        )
