"""JSON bodies sent with Transfer-Encoding: chunked (no Content-Length) under gunicorn.

Django reads CONTENT_LENGTH bytes and took a missing length for 0, so a chunked
login arrived empty and was refused as "field required"; tracker/chunked.py reads it.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.production.processes import django_env

pytestmark = pytest.mark.system


def post_chunked(base_url: str, path: str, chunks: list[bytes]) -> tuple[int, dict]:
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        body: Iterator[bytes] = iter(chunks)
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"}, encode_chunked=True)
        response = connection.getresponse()
        payload = response.read()
        assert payload.startswith(b"{"), (response.status, payload[:300])
        return response.status, json.loads(payload)
    finally:
        connection.close()


@pytest.fixture
def server(start_gunicorn, collected_static, tmp_path):  # type: ignore[no-untyped-def]
    # SQLite: the requests here are refused before any query.
    env = django_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        TRACKER_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(collected_static),
        WHITENOISE_USE_FINDERS="false",
        DATA_UPLOAD_MAX_MEMORY_SIZE="4096",
    )
    return start_gunicorn(env)


def test_a_chunked_json_body_is_read_whole(server):
    status, body = post_chunked(server.base_url, "/api/auth/token/", [b'{"username": "nobody-', b'here"}'])

    # the username was read: only the password is missing (an empty body lacks both)
    assert status == 400
    assert [error["field"] for error in body["errors"]] == ["password"]


def test_a_chunked_body_past_the_cap_is_413_and_a_deep_one_400(server):
    status, body = post_chunked(server.base_url, "/api/auth/token/", [b'{"username": "', b"x" * 5000, b'"}'])
    assert (status, body["status_code"]) == (413, 413)

    status, body = post_chunked(server.base_url, "/api/auth/token/", [b"[" * 1000, b"]" * 1000])
    assert (status, body["errors"][0]["code"]) == (400, "parse_error")
