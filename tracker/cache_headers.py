"""Responses are private unless a view says otherwise.

A CDN or proxy in front of the site may only keep what a view marked
``public`` (the reader pages under /facts/). Everything else (the admin, the
API, health probes) gets ``Cache-Control: private`` when it set nothing
itself, so a shared cache never serves one person's page to another.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response
