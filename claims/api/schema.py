"""OpenAPI pieces: the error body, and error responses every operation documents.

``TrackerAutoSchema`` adds the errors any operation can answer (401, 403, 429,
400 for input, 404 for a path id, 413 for bodies) unless an ``extend_schema``
already names them; views add 412, 428 and 503 where they can happen.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from claims.api.fields import CharField


class ErrorItemSerializer(serializers.Serializer):
    field = CharField(allow_null=True, help_text="The input field at fault; null for the whole request.")
    message = CharField()
    code = CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
    status_code = serializers.IntegerField()


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


COMMON_ERRORS = {
    "400": "Invalid input or query parameters; each error names its field.",
    "401": "Not logged in: send `Authorization: Token <token>` (POST /api/auth/token/ issues one).",
    "403": "Logged in, but your group may not do this.",
    "404": "No such object.",
    "413": "Request body larger than the 1 MB limit.",
    "429": "Too many requests; wait for the Retry-After seconds.",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class TrackerAutoSchema(AutoSchema):
    #: Views without login (the token endpoint) drop 401/403 defaults via this.
    def _default_error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        declared_query = any(getattr(p, "location", "") == "query" for p in self.get_override_parameters())
        if self.method in WRITE_METHODS or self._is_list_view() or self._get_filter_parameters() or declared_query:
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("413")
        skip = set(getattr(self.view, "schema_skip_errors", ()))
        return [code for code in codes if code not in skip]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code in self._default_error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(error(COMMON_ERRORS[code]), code)
        return dict(sorted(responses.items()))

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        # Strict input serializers answer 400 to any key they do not know; say so, so that
        # clients (and schemathesis's positive cases) do not send extra keys the API refuses.
        from claims.api.serializers import StrictInputMixin  # serializers import this module

        result = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictInputMixin):
            result["additionalProperties"] = False
        # Rules across fields that a whole (POST/PUT) body must meet; a PATCH is checked
        # against the stored row, which the schema cannot know.
        rules = getattr(serializer, "whole_body_schema_rules", None)
        if direction == "request" and rules and not serializer.partial:
            result.update(rules)
        return result

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        self._document_id_filter_bounds(operation)
        for code, links in LINKS.get(operation["operationId"], {}).items():
            operation["responses"][code]["links"] = links
        return operation

    def _document_id_filter_bounds(self, operation: dict[str, Any]) -> None:
        # Id filters answer 400 below 1 and above bigint; the schema says so (keeping the
        # filter's help text, which an extend_schema_field override would drop), so clients
        # and schemathesis's valid cases do not send ids that can only be refused.
        from claims.api.filters import IdFilter  # filters are not needed to import this module

        filterset = getattr(self.view, "filterset_class", None)
        if filterset is None:
            return
        for parameter in operation.get("parameters", []):
            field = filterset.base_filters.get(parameter["name"]) if parameter["in"] == "query" else None
            if isinstance(field, IdFilter):
                parameter["schema"].update(minimum=field.extra["min_value"], maximum=field.extra["max_value"])


# OpenAPI links: how one response feeds the next request. Clients may read them as
# documentation; schemathesis's stateful phase follows them to chain real workflows
# (create a claimant, record a claim by it, change its status with the ETag, ...)
# instead of guessing ids and If-Match values that mostly answer 404 or 412.
BY_ID = {"path.id": "$response.body#/id"}
BY_ID_AND_ETAG = {**BY_ID, "header.If-Match": "$response.header.ETag"}


def _link(operation_id: str, description: str, parameters: dict[str, str], body: Any = None) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id, "description": description, "parameters": parameters}
    if body is not None:
        link["requestBody"] = body
    return link


def _claim_followups(claim: str = "") -> dict[str, Any]:
    """What a client can do next with the claim at JSON pointer ``claim`` of a response ("" = the body).

    A single claim's response carries its ETag header; a list has none, but a claim's
    tag is built from its id and version (claims/api/etags.py), both in the body.
    """
    field = f"$response.body#{claim}"
    by_id = {"path.id": f"{field}/id"}
    etag = "$response.header.ETag" if not claim else f'"claim-{{{field}/id}}-v{{{field}/version}}"'
    with_etag = {**by_id, "header.If-Match": etag}
    return {
        "GetClaim": _link("claims_retrieve", "Read the claim again.", by_id),
        "ChangeStatus": _link("claims_status_create", "Change its status; If-Match is the ETag.", with_etag),
        "AddEvidence": _link("claims_evidence_create", "Link a source; If-Match is the ETag.", with_etag),
        "EditClaim": _link("claims_partial_update", "Edit it; If-Match is the ETag.", with_etag),
        "ReplaceClaim": _link(
            "claims_update",
            "Replace its fields, keeping its claimant; If-Match is the ETag.",
            with_etag,
            {"claimant": f"{field}/claimant/id"},
        ),
        "ListEvidence": _link("claims_evidence_list", "Its evidence.", by_id),
        "GetHistory": _link("claims_history_list", "Its status history.", by_id),
        "Recheck": _link("claims_recheck_create", "Re-check its sources.", by_id),
    }


def _source_followups() -> dict[str, Any]:
    return {
        "LinkToClaim": _link(
            "claims_evidence_create", "Link this source to a claim as evidence.", {}, {"source": "$response.body#/id"}
        ),
        "GetSource": _link("sources_retrieve", "Read the source again.", BY_ID),
        "EditSource": _link("sources_partial_update", "Edit it.", BY_ID),
        "RecheckSource": _link("sources_recheck_create", "Re-check it now.", BY_ID),
    }


def _claimant_followups() -> dict[str, Any]:
    return {
        "GetClaimant": _link("claimants_retrieve", "Read the claimant again.", BY_ID),
        "EditClaimant": _link("claimants_partial_update", "Edit it.", BY_ID),
        "RecordClaim": _link(
            "claims_create", "Record a claim by this claimant.", {}, {"claimant": "$response.body#/id"}
        ),
    }


def _evidence_followups() -> dict[str, Any]:
    return {
        **_claim_followups(),
        "RemoveEvidence": _link(
            "claims_evidence_destroy",
            "Unlink the evidence just added (a new claim's first); If-Match is the ETag.",
            {**BY_ID_AND_ETAG, "path.evidence_id": "$response.body#/evidence/0/id"},
        ),
    }


#: operationId -> status code -> links.
LINKS: dict[str, dict[str, dict[str, Any]]] = {
    "claimants_create": {"201": _claimant_followups()},
    "claims_list": {"200": _claim_followups("/results/0")},
    "claims_create": {"201": _claim_followups()},
    "claims_retrieve": {"200": _claim_followups()},
    "claims_partial_update": {"200": _claim_followups()},
    "claims_update": {"200": _claim_followups()},
    "claims_status_create": {"200": _claim_followups()},
    "claims_evidence_create": {"201": _evidence_followups()},
    "claims_evidence_destroy": {"200": _claim_followups()},
    "sources_create": {"201": _source_followups()},
}
