"""Gunicorn settings for the web service: `gunicorn tracker.wsgi` picks this file up.

Everything comes from the environment (see .env.example). The access log and
gunicorn's own messages are JSON lines like the application's, and every
access line carries the request id the application put in X-Request-ID.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = _int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The heartbeat file on tmpfs: a container's overlay filesystem can stall it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, per container
# Several gunicorns may share a host or a home directory; nobody uses the control socket.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

_JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": _JSON_FORMATTER},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


class JsonAccessLogger(Logger):
    """One structured access line per request, with the request id from the response."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {name.lower(): value for name, value in (resp.headers or [])}
        duration_ms = request_time.seconds * 1000 + request_time.microseconds // 1000
        method = environ.get("REQUEST_METHOD", "-")
        # The path only: query strings can carry search terms or tokens.
        path = environ.get("PATH_INFO", "-")
        try:
            self.access_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "method": method,
                    "path": path,
                    "status": int(status),
                    "bytes": getattr(resp, "sent", None),
                    "duration_ms": duration_ms,
                    "remote_addr": environ.get("REMOTE_ADDR"),
                    "user_agent": environ.get("HTTP_USER_AGENT"),
                    "request_id": headers.get("x-request-id"),
                },
            )
        except Exception:
            self.exception("access log failed")


logger_class = JsonAccessLogger
