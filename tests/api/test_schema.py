"""The OpenAPI schema validates cleanly, and the docs pages serve it from local files."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_static_storage(settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ["/api/claims/{id}/status/", "/api/claims/{id}/recheck/", "/api/claimreview/", "/api/auth/token/"]:
        assert f"  {path}:" in schema


def test_conditional_writes_document_412_and_428(viewer_api):
    schema = viewer_api.get("/api/schema/?format=json").json()
    for path, method in [("/api/claims/{id}/", "patch"), ("/api/claims/{id}/status/", "post")]:
        responses = schema["paths"][path][method]["responses"]
        assert {"400", "401", "403", "404", "412", "428"} <= set(responses)
    assert "503" in schema["paths"]["/api/claims/{id}/recheck/"]["post"]["responses"]


@pytest.mark.parametrize(
    ("path", "asset"),
    [("/api/docs/", b"drf_spectacular_sidecar/swagger-ui-dist"), ("/api/redoc/", b"drf_spectacular_sidecar/redoc")],
)
def test_docs_pages_use_local_assets(viewer_api, plain_static_storage, path, asset):
    response = viewer_api.get(path)
    assert response.status_code == 200
    assert asset in response.content
    assert b"cdn.jsdelivr.net" not in response.content


def test_format_never_leaks_into_links(viewer_api, claim):
    # DRF's ?format= override copied itself into every url field and Location header.
    for path in (f"/api/claims/{claim.pk}/?format=json", "/api/claims/?format=json", "/api/checks/?format=api"):
        response = viewer_api.get(path)
        assert response.status_code == 200
        assert "format=" not in json.dumps(
            response.json().get("url") or [row.get("url") for row in response.json()["results"]]
        )
    assert viewer_api.get("/api/schema/?format=json")["Content-Type"].startswith("application/vnd.oai.openapi+json")


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def test_boolean_filters_are_booleans_and_every_query_can_answer_400(viewer_api):
    schema = viewer_api.get("/api/schema/?format=json").json()
    booleans, no_400 = [], []
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["schema"].get("type") == "boolean":
                booleans.append((path, parameter["name"]))
                assert "enum" not in parameter["schema"], (path, parameter)
        queries = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        if queries and "400" not in operation["responses"]:
            no_400.append(f"{method.upper()} {path}")
    assert ("/api/claims/", "needs_review") in booleans and ("/api/sources/", "archived") in booleans
    assert not no_400, f"operations with query parameters but no documented 400: {no_400}"


def test_no_number_in_the_schema_allows_more_than_a_bigint(viewer_api):
    too_big = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("maximum"), int | float) and node["maximum"] > 2**63 - 1:
                too_big.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(viewer_api.get("/api/schema/?format=json").json(), "")
    assert not too_big, too_big


def test_the_claimreview_feed_answers_its_documented_400(viewer_api):
    operation = viewer_api.get("/api/schema/?format=json").json()["paths"]["/api/claimreview/"]["get"]
    assert "400" in operation["responses"]
    answer = viewer_api.get("/api/claimreview/?cursor=forged")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "cursor"
