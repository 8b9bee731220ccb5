"""Claimants, sources, articles, evidence links and re-check results.

Claimants, sources and articles are created and edited by editors (sources
also by fact-checkers); none is deleted through the API, archive instead.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from claims.api.catalog_serializers import ArticleSerializer, ClaimantSerializer, SourceSerializer
from claims.api.filters import ArticleFilter, ClaimantFilter, EvidenceFilter, SourceCheckFilter, SourceFilter
from claims.api.permissions import AllowedMethodsFirst, ModelPermissions, requires
from claims.api.queries import evidence_queryset
from claims.api.schema import error
from claims.api.serializers import EvidenceSerializer, RecheckAcceptedSerializer, SourceCheckSerializer
from claims.api.views import _checks_accepted
from claims.models import Article, Claimant, Source, SourceCheck
from claims.services.catalog import catalog_create, catalog_update
from claims.services.rechecks import recheck_request
from claims.services.sources import source_create, source_update

BY_ID = {"id": "id"}


class CatalogViewSet(
    AllowedMethodsFirst,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and edit; no DELETE (archive instead, where the row can be archived)."""

    permission_classes = [ModelPermissions]
    keyset_orderings = BY_ID
    keyset_default = "-id"
    resource = ""  # the service's name for the rows (claimant, article)

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = catalog_create(
            resource=self.resource, user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer) -> None:
        pk = serializer.instance.pk  # type: ignore[union-attr]
        data = serializer.validated_data
        serializer.instance = catalog_update(resource=self.resource, pk=pk, user=self.request.user, **data)


@extend_schema_view(
    list=extend_schema(summary="List claimants"),
    retrieve=extend_schema(summary="One claimant"),
    create=extend_schema(summary="Add a claimant (editors)"),
    update=extend_schema(summary="Replace a claimant (editors)"),
    partial_update=extend_schema(summary="Edit a claimant (editors)"),
)
class ClaimantViewSet(CatalogViewSet):
    queryset = Claimant.objects.select_related("organisation")
    serializer_class = ClaimantSerializer
    resource = "claimant"
    filterset_class = ClaimantFilter
    keyset_orderings = {"id": "id", "name": "name"}


@extend_schema_view(
    list=extend_schema(summary="List sources"),
    retrieve=extend_schema(summary="One source"),
    create=extend_schema(
        summary="Add a source (fact-checkers, editors)",
        description="Archiving a source and its re-check schedule (`is_archived`, `is_monitored`, "
        "`check_interval`) are set by editors only; a fact-checker who sends them gets 403 naming the fields.",
    ),
    update=extend_schema(summary="Replace a source (editors)"),
    partial_update=extend_schema(summary="Edit or archive a source (editors)"),
)
class SourceViewSet(CatalogViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = source_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        source_id = serializer.instance.pk  # type: ignore[union-attr]
        serializer.instance = source_update(source_id=source_id, user=self.request.user, **serializer.validated_data)

    @extend_schema(
        summary="Re-check this source now",
        description="Answers 202 with the queued (or already open) check; Location names it.",
        request=None,
        responses={202: RecheckAcceptedSerializer, 503: error("The re-check queue is unreachable; nothing queued.")},
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        permission_classes=[requires("claims.view_source", "claims.recheck_claim")],
    )
    def recheck(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        check = recheck_request(source_id=source.pk, user=request.user, trigger=SourceCheck.Trigger.API)
        return _checks_accepted(request, [check])


@extend_schema_view(
    list=extend_schema(summary="List articles"),
    retrieve=extend_schema(summary="One article"),
    create=extend_schema(summary="Add an article (editors)"),
    update=extend_schema(summary="Replace an article (editors)"),
    partial_update=extend_schema(summary="Edit or archive an article (editors)"),
)
class ArticleViewSet(CatalogViewSet):
    queryset = Article.objects.select_related("publisher")
    serializer_class = ArticleSerializer
    resource = "article"
    filterset_class = ArticleFilter
    keyset_orderings = {"id": "id", "created_at": "created_at"}


@extend_schema_view(
    list=extend_schema(summary="List evidence (claim-source links)"),
    retrieve=extend_schema(summary="One evidence link"),
)
class EvidenceViewSet(AllowedMethodsFirst, viewsets.ReadOnlyModelViewSet):
    """Read-only: links are added and removed under their claim, with its ETag."""

    serializer_class = EvidenceSerializer
    permission_classes = [ModelPermissions]
    filterset_class = EvidenceFilter
    keyset_orderings = BY_ID
    keyset_default = "-id"

    def get_queryset(self) -> Any:
        return evidence_queryset()

    queryset = evidence_queryset()


@extend_schema_view(
    list=extend_schema(summary="List re-check results"),
    retrieve=extend_schema(summary="One re-check: state, outcome, reason"),
)
class SourceCheckViewSet(AllowedMethodsFirst, viewsets.ReadOnlyModelViewSet):
    queryset = SourceCheck.objects.select_related("requested_by")
    serializer_class = SourceCheckSerializer
    permission_classes = [ModelPermissions]
    filterset_class = SourceCheckFilter
    keyset_orderings = {"id": "id", "requested_at": "requested_at"}
    keyset_default = "-id"
