"""A request id on every log line, taken from X-Request-ID or made here.

The id also travels with Celery tasks a request enqueues (a message header),
so a re-check's worker log lines carry the id of the request that asked for it.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from celery import current_task
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        # Only trust short, plain ids from a proxy; anything else gets a fresh one.
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs 4xx/5xx after the middleware has returned; its record carries the request.
            from_request = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = _request_id.get() or from_request or None
        # current_task is a proxy: falsy outside a running task.
        if current_task and current_task.request.id and not getattr(record, "task_id", None):
            record.task_id = current_task.request.id
            record.task_name = current_task.name
        return True


# --- Celery: carry the id from the request that enqueued a task into the worker ---


@before_task_publish.connect
def _add_request_id_header(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def _adopt_request_id(task: Any = None, **kwargs: Any) -> None:
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    # A task without one gets its own, so its lines still group together.
    _task_tokens[id(task.request)] = _request_id.set(request_id or uuid.uuid4().hex)


@task_postrun.connect
def _drop_request_id(task: Any = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(id(task.request), None) if task is not None else None
    if token is not None:
        _request_id.reset(token)


_task_tokens: dict[int, contextvars.Token[str]] = {}
