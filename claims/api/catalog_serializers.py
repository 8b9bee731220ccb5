"""Serializers for the desk's catalogue: claimants, sources and articles.

They only check the shape of the input; the views save through
``claims.services.catalog`` and ``claims.services.sources``, which judge the
model's rules and the field-rights table.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.fields import CharField
from claims.api.serializers import (
    BlankAwareModelSerializer,
    FieldRightsMixin,
    IdField,
    OrganisationBriefSerializer,
    StrictInputMixin,
)
from claims.models import Article, Claimant, Source

_ORGANISATIONS = Claimant.objects.filter(kind=Claimant.Kind.ORGANISATION)


@extend_schema_field(OpenApiTypes.URI)
class FetchableURLInput(CharField):
    """A web address as typed; DRF's URLField would refuse some with a bare "Enter a valid URL."."""


class ClaimantSerializer(FieldRightsMixin, StrictInputMixin, BlankAwareModelSerializer):
    rights_resource = "claimant"
    url = serializers.HyperlinkedIdentityField(view_name="api:claimant-detail")
    organisation = IdField(queryset=_ORGANISATIONS, allow_null=True, required=False)
    organisation_detail = OrganisationBriefSerializer(source="organisation", read_only=True, allow_null=True)

    class Meta:
        model = Claimant
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "organisation",
            "organisation_detail",
            "description",
            "is_archived",
            "created_at",
        ]
        read_only_fields = ["id", "url", "organisation_detail", "created_at"]
        validators: list = []  # full_clean() checks uniqueness, conditions included


class SourceSerializer(FieldRightsMixin, StrictInputMixin, BlankAwareModelSerializer):
    """A source; the view saves it through ``source_create``/``source_update``, which judge it."""

    rights_resource = "source"
    #: The schema's form of the source_web_needs_url constraint (kind defaults to web).
    whole_body_schema_rules: dict[str, Any] = {
        "anyOf": [
            {"required": ["kind"], "properties": {"kind": {"not": {"enum": [Source.Kind.WEB.value]}}}},
            {"required": ["url"], "properties": {"url": {"minLength": 1}}},
        ]
    }
    api_url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
    publisher = IdField(queryset=_ORGANISATIONS, allow_null=True, required=False)
    # Judged by the model's validate_fetchable_url, which says why a URL is refused.
    url = FetchableURLInput(max_length=2000, allow_blank=True, required=False)
    check_interval = serializers.DurationField(
        allow_null=True, required=False, min_value=timedelta(minutes=1), max_value=timedelta(days=365)
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "api_url",
            "name",
            "kind",
            "url",
            "publisher",
            "notes",
            "is_archived",
            "is_monitored",
            "check_interval",
            "next_check_at",
            "last_checked_at",
            "last_outcome",
            "consecutive_failures",
            "created_at",
        ]
        validators: list = []
        read_only_fields = [
            "id",
            "api_url",
            "next_check_at",
            "last_checked_at",
            "last_outcome",
            "consecutive_failures",
            "created_at",
        ]


class ArticleSerializer(FieldRightsMixin, StrictInputMixin, BlankAwareModelSerializer):
    rights_resource = "article"
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    publisher = IdField(queryset=Claimant.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Article
        fields = ["id", "api_url", "title", "publisher", "url", "published_on", "text", "is_archived", "created_at"]
        read_only_fields = ["id", "api_url", "created_at"]
        validators: list = []
