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
