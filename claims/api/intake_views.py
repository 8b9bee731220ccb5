"""Article intake over the API: submit an article, follow its progress, decide on proposals, twins, fact-checks.

The same services as the admin: intake_submit, proposal_accept/merge/reject,
claim_twin_link/unlink, factchecks_import.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims.api import intake_serializers as s
from claims.api.filters import IdFilter
from claims.api.permissions import AllowedMethodsFirst, ModelPermissions, requires
from claims.api.schema import error
from claims.models import ArticleIntake, Claim, ClaimProposal, ClaimTwin, ExternalFactCheck, StatusChange
from claims.services.intake import intake_submit
from claims.services.intake_factchecks import factchecks_import, factchecks_matching
from claims.services.intake_review import proposal_accept, proposal_merge, proposal_reject
from claims.services.intake_twins import claim_twin_link, claim_twin_unlink, claim_twins_suggest


class ReadOnly(AllowedMethodsFirst, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    keyset_orderings = {"id": "id"}
    keyset_default = "-id"


@extend_schema_view(
    list=extend_schema(summary="List article intakes"),
    retrieve=extend_schema(summary="One intake: its state, progress (percent) and proposals"),
    create=extend_schema(
        summary="Take in an article by URL or pasted text",
        description="A short paste is read at once (201). A URL or a long paste is read by a worker (202): "
        "poll the intake until `state` is `done` or `failed` (`error` says why). A blocked URL, an empty text "
        "or a paste over INTAKE_MAX_TEXT_BYTES is a 400 and nothing is stored.",
        request=s.IntakeCreateSerializer,
        responses={201: s.IntakeSerializer, 202: s.IntakeSerializer},
    ),
)
class IntakeViewSet(ReadOnly, mixins.CreateModelMixin):
    queryset = ArticleIntake.objects.prefetch_related("proposals")
    serializer_class = s.IntakeSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.IntakeCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        intake = intake_submit(
            url=data.get("url", ""),
            text=data.get("text", ""),
            title=data.get("title", ""),
            publisher_name=data.get("publisher", ""),
            published_on=data.get("published_on"),
            user=request.user,
        )
        intake = self.get_queryset().get(pk=intake.pk)
        code = status.HTTP_201_CREATED if intake.state == ArticleIntake.State.DONE else status.HTTP_202_ACCEPTED
        location = reverse("api:intake-detail", kwargs={"pk": intake.pk}, request=request)
        return Response(s.IntakeSerializer(intake).data, status=code, headers={"Location": location})


class ProposalFilter(filters.FilterSet):
    intake = IdFilter(field_name="intake_id")
    state = filters.ChoiceFilter(choices=ClaimProposal.State.choices)

    class Meta:
        model = ClaimProposal
        fields = ["intake", "state"]


def _suggestion(t: Any) -> dict[str, Any]:
    return {
        "claim": t.claim.pk,
        "text": t.claim.text,
        "status": t.claim.status,
        "score": t.score,
        "reason": t.reason,
        "auto": t.auto,
    }


def _proposal_detail(proposal: ClaimProposal) -> dict[str, Any]:
    text = proposal.sentence
    proposal.likely_twins = [_suggestion(t) for t in claim_twins_suggest(text=text)]  # type: ignore[attr-defined]
    proposal.factchecks = [{"factcheck": f, "score": score} for f, score in factchecks_matching(text=text)]  # type: ignore[attr-defined]
    return s.ProposalDetailSerializer(proposal).data


@extend_schema_view(
    list=extend_schema(summary="List claim proposals (filter by intake, state)"),
    retrieve=extend_schema(
        summary="One proposal, with likely twins among existing claims and matching external fact-checks",
        responses={200: s.ProposalDetailSerializer},
    ),
)
class ProposalViewSet(ReadOnly):
    queryset = ClaimProposal.objects.all()
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(_proposal_detail(self.get_object()))

    def _decided(self, proposal_id: int) -> Response:
        return Response(s.ProposalSerializer(ClaimProposal.objects.get(pk=proposal_id)).data)

    @extend_schema(
        summary="Accept: make the proposal a claim (editors)",
        description="Optionally with edited wording and a claimant (id, or a name to find or create). The article "
        "becomes the claim's origin source and the sentence its quote. Accepting twice returns the same claim.",
        request=s.AcceptSerializer,
        responses={200: s.ProposalSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[requires("claims.review_proposal", "claims.add_claim")])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        given = s.AcceptSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        proposal_accept(
            proposal_id=proposal.pk,
            user=request.user,
            text=given.validated_data.get("text", ""),
            claimant_id=given.validated_data.get("claimant"),
            claimant_name=given.validated_data.get("claimant_name", ""),
            via=StatusChange.Via.API,
        )
        return self._decided(proposal.pk)

    @extend_schema(
        summary="Merge into an existing claim (editors)",
        request=s.MergeSerializer,
        responses={200: s.ProposalSerializer},
    )
    @action(
        detail=True, methods=["post"], permission_classes=[requires("claims.review_proposal", "claims.add_evidence")]
    )
    def merge(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        given = s.MergeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        proposal_merge(proposal_id=proposal.pk, claim_id=given.validated_data["claim"], user=request.user)
        return self._decided(proposal.pk)

    @extend_schema(summary="Reject (editors)", request=s.RejectSerializer, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"], permission_classes=[requires("claims.review_proposal")])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        given = s.RejectSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        proposal_reject(proposal_id=proposal.pk, user=request.user, reason=given.validated_data.get("reason", ""))
        return self._decided(proposal.pk)


class TwinFilter(filters.FilterSet):
    claim = IdFilter(method="of_claim", help_text="Links of this claim, either side.")

    class Meta:
        model = ClaimTwin
        fields = ["claim"]

    def of_claim(self, queryset: Any, name: str, value: int) -> Any:
        return queryset.filter(Q(first_id=value) | Q(second_id=value))


@extend_schema_view(
    list=extend_schema(summary="List twin links (claims that say the same), with both statuses"),
    retrieve=extend_schema(summary="One twin link"),
    create=extend_schema(
        summary="Link two claims as twins (editors)", request=s.TwinCreateSerializer, responses={201: s.TwinSerializer}
    ),
    destroy=extend_schema(summary="Unlink twins (editors)", responses={204: None}),
)
class TwinViewSet(ReadOnly, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    queryset = ClaimTwin.objects.select_related("first", "second")
    serializer_class = s.TwinSerializer
    filterset_class = TwinFilter

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.TwinCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        link = claim_twin_link(
            claim_id=given.validated_data["claim"], twin_id=given.validated_data["twin"], user=request.user
        )
        return Response(s.TwinSerializer(self.get_queryset().get(pk=link.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Likely twins of a claim: existing claims that say the same, not necessarily linked",
        parameters=[OpenApiParameter("claim", int, required=True, description="The claim's id.")],
        responses={200: s.TwinSuggestionSerializer(many=True), 404: error("No such claim.")},
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def suggestions(self, request: Request) -> Response:
        given = s.SuggestionQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        claim = Claim.objects.filter(pk=given.validated_data["claim"]).only("text").first()
        if claim is None:
            raise NotFound("No such claim.")
        found = claim_twins_suggest(text=claim.text, exclude_claim_id=claim.pk)
        return Response(s.TwinSuggestionSerializer([_suggestion(t) for t in found], many=True).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        link = self.get_object()
        claim_twin_unlink(claim_id=link.first_id, twin_id=link.second_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FactCheckFilter(filters.FilterSet):
    claim = IdFilter(method="matching_claim", help_text="Only fact-checks that match this claim's text.")

    class Meta:
        model = ExternalFactCheck
        fields = ["claim"]

    def matching_claim(self, queryset: Any, name: str, value: int) -> Any:
        claim = Claim.objects.filter(pk=value).only("text").first()
        if claim is None:
            return queryset.none()
        ids = [check.pk for check, _ in factchecks_matching(text=claim.text, limit=20)]
        return queryset.filter(pk__in=ids)


@extend_schema_view(
    list=extend_schema(summary="List imported external fact-checks (ClaimReview); ?claim= for those matching a claim"),
    retrieve=extend_schema(summary="One external fact-check"),
)
class FactCheckViewSet(ReadOnly):
    queryset = ExternalFactCheck.objects.all()
    serializer_class = s.FactCheckSerializer
    filterset_class = FactCheckFilter

    @extend_schema(
        summary="Import a ClaimReview document (JSON or JSON-LD: one item, a list, @graph or a DataFeed)",
        description="All or nothing; items already imported are counted as existing and not stored again.",
        request=OpenApiTypes.OBJECT,
        responses={200: s.ImportResultSerializer},
    )
    @action(
        detail=False, methods=["post"], url_path="import", permission_classes=[requires("claims.add_externalfactcheck")]
    )
    def import_(self, request: Request) -> Response:
        result = factchecks_import(data=json.dumps(request.data, ensure_ascii=False), user=request.user)
        return Response({"created": result.created, "existing": result.existing})
