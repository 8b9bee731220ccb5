"""The schema's OpenAPI links lead to working requests, and request bodies admit only keys the API accepts.

schemathesis's stateful phase (bin/schemathesis-check) follows these links; here a
client follows them by hand, so a link to a renamed operation or a wrong field fails
in the test suite, not only in the slower schemathesis run.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

_BODY = re.compile(r"\{?\$response\.body#(?P<pointer>/[^}]*)\}?")


def evaluate(expression: Any, response) -> Any:  # type: ignore[no-untyped-def]
    """A small runtime-expression evaluator: $response.header.X and $response.body#/pointer, also embedded."""
    if not isinstance(expression, str):
        return {key: evaluate(value, response) for key, value in expression.items()}
    if expression.startswith("$response.header."):
        return response[expression.removeprefix("$response.header.")]

    def resolve(pointer: str) -> Any:
        value = response.json()
        for part in pointer.strip("/").split("/"):
            value = value[int(part)] if isinstance(value, list) else value[part]
        return value

    whole = _BODY.fullmatch(expression)
    if whole and not expression.startswith("{"):
        return resolve(whole["pointer"])
    return _BODY.sub(lambda match: str(resolve(match["pointer"])), expression)


def follow(client, schema: dict[str, Any], response, source_id: str, link_name: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Send the request a link describes, filling the rest of the body from ``body``."""
    operations = {
        op["operationId"]: (path, method) for path, ops in schema["paths"].items() for method, op in ops.items()
    }
    link = next(
        links[link_name]
        for ops in schema["paths"].values()
        for op in ops.values()
        if op["operationId"] == source_id
        for code, answer in op["responses"].items()
        if code == str(response.status_code) and (links := answer.get("links"))
    )
    path, method = operations[link["operationId"]]
    headers = {}
    for name, expression in link["parameters"].items():
        location, key = name.split(".", 1)
        value = evaluate(expression, response)
        if location == "path":
            path = path.replace(f"{{{key}}}", str(value))
        else:
            headers[f"HTTP_{key.upper().replace('-', '_')}"] = value
    data = {**body, **evaluate(link.get("requestBody", {}), response)}
    return getattr(client, method)(path, data, format="json", **headers)


@pytest.fixture
def schema(editor_api) -> dict[str, Any]:
    return editor_api.get("/api/schema/?format=json").json()


def test_every_link_names_an_operation_and_its_parameters(schema):
    operations = {op["operationId"]: op for ops in schema["paths"].values() for op in ops.values()}
    links = [
        link
        for op in operations.values()
        for answer in op["responses"].values()
        for link in answer.get("links", {}).values()
    ]
    assert len(links) > 30
    for link in links:
        target = operations[link["operationId"]]
        declared = {(p["in"], p["name"]) for p in target.get("parameters", [])}
        for name in link["parameters"]:
            location, key = name.split(".", 1)
            assert (location, key) in declared, (link["operationId"], name)


def test_a_client_follows_the_links_from_a_new_claimant_to_a_status_change(editor_api, schema):
    # given a claimant, created through the API
    claimant = editor_api.post("/api/claimants/", {"name": "Example Port Authority"}, format="json")
    assert claimant.status_code == 201, claimant.content

    # when the client records a claim and changes its status only along the links
    claim = follow(editor_api, schema, claimant, "claimants_create", "RecordClaim", {"text": "The port reopened."})
    assert claim.status_code == 201, claim.content
    changed = follow(
        editor_api,
        schema,
        claim,
        "claims_create",
        "ChangeStatus",
        {"status": "unconfirmed", "rationale": "Only the authority says so."},
    )
    history = follow(editor_api, schema, changed, "claims_status_create", "GetHistory", {})

    # then each step worked on the same claim, with the ETag as If-Match
    assert claim.json()["claimant"]["id"] == claimant.json()["id"]
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "unconfirmed"
    assert [entry["to_status"] for entry in history.json()][:1] == ["unconfirmed"]


def test_a_list_link_builds_the_claims_etag_from_id_and_version(editor_api, schema, claim):
    # given the claim list, whose entries carry no ETag header of their own
    listing = editor_api.get("/api/claims/")

    # when the client edits the first claim along the list's link
    edited = follow(editor_api, schema, listing, "claims_list", "EditClaim", {"text": "Edited along a link."})

    # then the If-Match built from id and version was the claim's ETag
    assert edited.status_code == 200, edited.content
    assert edited.json()["text"] == "Edited along a link."


@pytest.mark.parametrize(
    "component",
    [
        "ClaimCreateRequest",
        "PatchedClaimWriteRequest",
        "StatusChangeRequestRequest",
        "EvidenceCreateRequest",
        "ClaimantRequest",
        "SourceRequest",
        "ArticleRequest",
    ],
)
def test_request_bodies_document_that_unknown_keys_are_refused(schema, component):
    # Strict serializers answer 400 to unknown keys; a schema that admitted them had
    # schemathesis's "valid" bodies rejected and its stateful chains stop at step one.
    assert schema["components"]["schemas"][component]["additionalProperties"] is False


def test_the_api_does_refuse_unknown_keys(editor_api):
    response = editor_api.post("/api/claimants/", {"name": "Someone", "nickname": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "nickname"


def test_id_filters_document_the_bounds_they_enforce(schema, editor_api):
    # given the documented bounds of the claim list's claimant filter
    parameters = {p["name"]: p for p in schema["paths"]["/api/claims/"]["get"]["parameters"]}
    claimant = parameters["claimant"]["schema"]

    # then they are the filter's own: 0 is refused, 1 accepted, and the help text stays
    assert (claimant["minimum"], claimant["maximum"]) == (1, 2**63 - 1)
    assert parameters["claimant"]["description"] == "Claimant id."
    assert editor_api.get("/api/claims/?claimant=0").status_code == 400
    assert editor_api.get("/api/claims/?claimant=1").status_code == 200


def test_a_new_source_schema_says_a_web_page_needs_its_url(schema, editor_api):
    # The source_web_needs_url constraint (kind defaults to web) is in the request schema.
    rules = schema["components"]["schemas"]["SourceRequest"]["anyOf"]
    assert {"required": ["url"], "properties": {"url": {"minLength": 1}}} in rules
    assert "anyOf" not in schema["components"]["schemas"]["PatchedSourceRequest"]
    assert editor_api.post("/api/sources/", {"name": "A page"}, format="json").status_code == 400
    assert editor_api.post("/api/sources/", {"name": "A post", "kind": "social"}, format="json").status_code == 201


def test_if_match_documents_the_etag_shape_and_not_star(schema):
    parameters = schema["paths"]["/api/claims/{id}/status/"]["post"]["parameters"]
    if_match = next(p for p in parameters if p["name"] == "If-Match")
    pattern = re.compile(if_match["schema"]["pattern"])
    assert pattern.match('"claim-12-v3"')
    assert not pattern.match("*")
