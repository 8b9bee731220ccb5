# ruff: noqa: F811 - the world fixture is imported from the route table test, then used by name
"""JSON bodies: too deep, not UTF-8 or not text answer 400 in the error shape on every JSON endpoint."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from claims.api.etags import claim_etag
from claims.api.parsers import MAX_DEPTH, json_depth
from claims.models import Claim, Evidence
from tests.api.test_route_permissions import ROLES, TABLE, World, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _shape(path: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "*", path)


def _takes_a_body() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (_shape(path), method.upper())
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }


#: Every route and method that reads a JSON body: in the permission table (docs/api.md)
#: and, per the schema, with a request body.
JSON_ENDPOINTS = sorted(
    (route, method)
    for route, row in TABLE.items()
    for method in WRITES
    if row[method] in ROLES and (_shape(route), method) in _takes_a_body()
)


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def send(world: World, route: str, method: str, body: bytes):  # type: ignore[no-untyped-def]
    client = world.client("superuser")
    etag = claim_etag(Claim.objects.get(pk=world.claim.pk))
    return client.generic(method, world.path(route), data=body, content_type="application/json", HTTP_IF_MATCH=etag)


def assert_parse_error(response, route: str, method: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, (route, method, response.status_code, response.content[:300])
    body = response.json()
    assert body["status_code"] == 400 and body["errors"][0]["code"] == "parse_error", (route, method, body)
    return body["errors"][0]["message"]


def test_the_table_names_json_endpoints_login_included():
    assert ("/api/auth/token/", "POST") in JSON_ENDPOINTS
    assert ("/api/claims/<pk>/evidence/", "POST") in JSON_ENDPOINTS
    assert ("/api/claims/<pk>/", "PATCH") in JSON_ENDPOINTS
    assert len(JSON_ENDPOINTS) >= 12


@pytest.mark.parametrize(("route", "method"), JSON_ENDPOINTS)
def test_a_body_nested_a_thousand_deep_is_400_everywhere(world, route, method):
    claims, links = Claim.objects.count(), Evidence.objects.count()

    if "/0/" in world.path(route):
        pytest.skip("no such row in the test's world; the view answers 404 before reading the body")
    response = send(world, route, method, nested(1000))

    message = assert_parse_error(response, route, method)
    assert f"deeper than {MAX_DEPTH}" in message
    assert (Claim.objects.count(), Evidence.objects.count()) == (claims, links)


@pytest.mark.parametrize(("route", "method"), JSON_ENDPOINTS)
def test_invalid_utf8_is_400_everywhere(world, route, method):
    if "/0/" in world.path(route):
        pytest.skip("no such row in the test's world; the view answers 404 before reading the body")
    response = send(world, route, method, b'{"text": "caf\xe9"}')

    assert "not valid UTF-8" in assert_parse_error(response, route, method)


def test_the_depth_limit_is_exact(world):
    # at the limit the parser hands the body on (the serializer refuses a list for the text)
    inside = b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1)
    ok = send(world, "/api/claims/", "POST", b'{"text": ' + inside + b', "claimant": 1}')
    assert ok.status_code == 400 and "text" in [e["field"] for e in ok.json()["errors"]]
    # one level more is refused by the parser
    too_deep = send(world, "/api/claims/", "POST", b'{"text": [' + inside + b"]}")
    assert_parse_error(too_deep, "/api/claims/", "POST")


def test_lone_surrogates_are_not_text(world):
    response = send(world, "/api/claimants/", "POST", b'{"name": "Port \\udc80 authority"}')

    assert_parse_error(response, "/api/claimants/", "POST")


def test_nan_is_not_json(world):
    response = send(world, "/api/claims/", "POST", b'{"text": NaN}')

    assert_parse_error(response, "/api/claims/", "POST")


@pytest.mark.parametrize(
    ("body", "depth"),
    [(b"{}", 1), (b'{"a": [1, {"b": 2}]}', 3), (b'{"a": "[[[[{{{{"}', 1), (b'["\\"[["]', 1), (b"3", 0)],
)
def test_depth_counts_brackets_outside_strings_only(body, depth):
    assert json_depth(body) == depth
