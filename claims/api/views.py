"""The claims endpoint: list, read, create, edit, status changes, evidence, re-checks.

Every write goes through one service function; the view only parses input,
reads If-Match, and shapes the response (with the claim's new ETag).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims.api import claimreview as jsonld
from claims.api.etags import claim_etag, expected_version, if_none_match_hits
from claims.api.filters import ClaimFilter
from claims.api.permissions import AllowedMethodsFirst, ModelPermissions, model_permissions, requires
from claims.api.queries import claim_detail_queryset, evidence_queryset
from claims.api.schema import error
from claims.api.serializers import (
    ClaimCreateSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    EvidenceCreateSerializer,
    EvidenceItemSerializer,
    RecheckAcceptedSerializer,
    StaleErrorSerializer,
    StatusChangeRequestSerializer,
    StatusChangeSerializer,
)
from claims.models import Claim, Evidence, SourceCheck, StatusChange
from claims.services.editing import claim_create, claim_update
from claims.services.evidence import evidence_add, evidence_remove
from claims.services.rechecks import recheck_request_for_claim
from claims.services.status import claim_change_status

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=True,
    # The shape etags.py reads; "*" (any version) is refused with 428, so it is not offered.
    pattern=r'^"claim-[0-9]{1,19}-v[0-9]{1,10}"$',
    description='The claim\'s ETag as last loaded, e.g. "claim-12-v3". Missing or *: 428; stale: 412.',
)
ETAG = OpenApiParameter(
    "ETag",
    location=OpenApiParameter.HEADER,
    response=[200, 201, 304, 412],
    description="The claim's version tag; send it back in If-Match to change the claim.",
)
CONDITIONAL_ERRORS = {
    412: OpenApiResponse(
        response=StaleErrorSerializer,
        description="The claim changed since that ETag; `current` holds it as it is now. Nothing was saved.",
    ),
    428: error("If-Match is missing. Nothing was saved."),
}
RECHECK_ERRORS = {503: error("The re-check queue is unreachable; nothing was queued.")}


def _claim_response(request: Request, claim_id: int, code: int = 200, **headers: str) -> Response:
    claim = claim_detail_queryset().get(pk=claim_id)
    data = ClaimSerializer(claim, context={"request": request}).data
    return Response(data, status=code, headers={"ETag": claim_etag(claim), **headers})


def _checks_accepted(request: Request, checks: list[SourceCheck]) -> Response:
    body = RecheckAcceptedSerializer({"checks": checks}, context={"request": request}).data
    location = reverse("api:check-detail", kwargs={"pk": checks[0].pk}, request=request)
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


@extend_schema_view(
    list=extend_schema(summary="List claims", description="Newest change first; archived claims only on request."),
    retrieve=extend_schema(
        summary="One claim, with its ETag",
        description="Send If-None-Match with the ETag to get 304 Not Modified while it is unchanged.",
        parameters=[ETAG],
        responses={200: ClaimSerializer, 304: OpenApiResponse(description="Not modified since that ETag.")},
    ),
    create=extend_schema(
        summary="Record a claim (editors)",
        parameters=[ETAG],
        request=ClaimCreateSerializer,
        responses={201: ClaimSerializer},
    ),
    update=extend_schema(
        summary="Replace a claim's text, claimant, article (editors)",
        parameters=[IF_MATCH, ETAG],
        request=ClaimWriteSerializer,
        responses={200: ClaimSerializer, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Edit or archive a claim (editors)",
        description="Send only the fields to change. `status` is refused here: use the status endpoint.",
        parameters=[IF_MATCH, ETAG],
        request=ClaimWriteSerializer,
        responses={200: ClaimSerializer, **CONDITIONAL_ERRORS},
    ),
)
class ClaimViewSet(AllowedMethodsFirst, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Claims. There is no DELETE: archive a claim (PATCH is_archived) instead; history is never deleted."""

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    permission_classes = [ModelPermissions]
    filterset_class = ClaimFilter
    keyset_orderings = {"updated_at": "updated_at", "created_at": "created_at", "id": "id", "status": "status"}
    keyset_default = "-updated_at"

    def get_queryset(self) -> Any:
        return claim_detail_queryset()

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return ClaimCreateSerializer
        if self.action in {"update", "partial_update"}:
            return ClaimWriteSerializer
        return ClaimSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        if if_none_match_hits(request, claim):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": claim_etag(claim)})
        return Response(self.get_serializer(claim).data, headers={"ETag": claim_etag(claim)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ClaimCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = claim_create(
            text=data["text"],
            claimant_id=data["claimant"].pk,
            article_id=data["article"].pk if data.get("article") else None,
            user=request.user,
            via=StatusChange.Via.API,
        )
        location = reverse("api:claim-detail", kwargs={"pk": claim.pk}, request=request)
        return _claim_response(request, claim.pk, status.HTTP_201_CREATED, Location=location)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        version = expected_version(request, claim.pk)
        partial = kwargs.get("partial", False)
        serializer = ClaimWriteSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            raise ValidationError(
                {"non_field_errors": "Nothing to change: send text, claimant, article or is_archived."}
            )
        claim_update(claim_id=claim.pk, expected_version=version, user=request.user, **serializer.validated_data)
        return _claim_response(request, claim.pk)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Change a claim's status, with a rationale (fact-checkers, editors)",
        description="Recorded in the claim's history with who, when, from, to and why. "
        "`confirmed` needs a supporting source independent of the claimant; `false` a refuting one.",
        parameters=[IF_MATCH, ETAG],
        request=StatusChangeRequestSerializer,
        responses={200: ClaimSerializer, **CONDITIONAL_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="status",
        url_name="status",
        permission_classes=[requires("claims.view_claim", "claims.change_claim_status")],
    )
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        version = expected_version(request, claim.pk)
        serializer = StatusChangeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_change_status(
            claim_id=claim.pk,
            to_status=serializer.validated_data["status"],
            rationale=serializer.validated_data["rationale"],
            internal_notes=serializer.validated_data["internal_notes"],
            user=request.user,
            expected_version=version,
            via=StatusChange.Via.API,
        )
        return _claim_response(request, claim.pk)

    @extend_schema(
        summary="The claim's status history, newest first", responses={200: StatusChangeSerializer(many=True)}
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        permission_classes=[requires("claims.view_claim", "claims.view_statuschange")],
    )
    def history(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        entries = StatusChange.objects.filter(claim=claim).select_related("changed_by").order_by("-changed_at", "-id")
        return Response(StatusChangeSerializer(entries, many=True).data)

    @extend_schema(summary="The claim's evidence", responses={200: EvidenceItemSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        permission_classes=[model_permissions(Evidence)],
    )
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        items = evidence_queryset().filter(claim=claim)
        return Response(EvidenceItemSerializer(items, many=True).data)

    # A handler of its own, so that no method but POST can reach the write (HEAD is GET's).
    @extend_schema(
        summary="Link a source to the claim (fact-checkers, editors)",
        description="Answers with the whole claim and its new ETag; Location names the new evidence.",
        parameters=[IF_MATCH, ETAG],
        request=EvidenceCreateSerializer,
        responses={201: ClaimSerializer, **CONDITIONAL_ERRORS},
    )
    @evidence.mapping.post
    def add_evidence(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        version = expected_version(request, claim.pk)
        serializer = EvidenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evidence = evidence_add(
            claim_id=claim.pk,
            source_id=data["source"].pk,
            role=data["role"],
            quote=data["quote"],
            note=data["note"],
            user=request.user,
            expected_version=version,
        )
        location = reverse("api:evidence-detail", kwargs={"pk": evidence.pk}, request=request)
        return _claim_response(request, claim.pk, status.HTTP_201_CREATED, Location=location)

    @extend_schema(
        summary="Unlink a source from the claim (editors)",
        description="Refused (400) while the claim's status rests on that source.",
        parameters=[IF_MATCH, ETAG, OpenApiParameter("evidence_id", int, OpenApiParameter.PATH)],
        request=None,
        responses={200: ClaimSerializer, **CONDITIONAL_ERRORS},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"evidence/(?P<evidence_id>[0-9]{1,18})",
        url_name="evidence-remove",
        filterset_class=None,
        permission_classes=[model_permissions(Evidence)],
    )
    def remove_evidence(self, request: Request, pk: str | None = None, evidence_id: str = "") -> Response:
        claim = self.get_object()
        version = expected_version(request, claim.pk)
        try:
            evidence_remove(
                evidence_id=int(evidence_id), claim_id=claim.pk, expected_version=version, user=request.user
            )
        except Evidence.DoesNotExist:
            raise NotFound(f"Claim {claim.pk} has no evidence {evidence_id}.") from None
        return _claim_response(request, claim.pk)

    @extend_schema(
        summary="Re-check every source of the claim that has a URL",
        request=None,
        responses={202: RecheckAcceptedSerializer, **RECHECK_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        permission_classes=[requires("claims.view_claim", "claims.recheck_claim")],
    )
    def recheck(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        checks = recheck_request_for_claim(claim_id=claim.pk, user=request.user, trigger=SourceCheck.Trigger.API)
        return _checks_accepted(request, checks)

    @extend_schema(
        summary="The claim's published verdict as schema.org ClaimReview (JSON-LD)",
        description="404 while the claim is unverified or archived: there is no verdict to publish.",
        responses={200: jsonld.CLAIMREVIEW_SCHEMA},
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        renderer_classes=jsonld.RENDERERS,
        permission_classes=[requires("claims.view_claim")],
    )
    def claimreview(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        return Response(jsonld.claim_review(claim, request))
