"""Serializers for the desk's catalogue: claimants, sources and articles.

Claimants and articles have no workflow of their own, so a write is the
model's own validation (``full_clean``: choices, URLs, constraints) and a
save. Sources are saved by ``claims.services.sources`` (the view calls it).
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import (
    BlankAwareModelSerializer,
    FieldRightsMixin,
    IdField,
    OrganisationBriefSerializer,
    StrictInputMixin,
)
from claims.models import Article, Claimant, Source

_ORGANISATIONS = Claimant.objects.filter(kind=Claimant.Kind.ORGANISATION)


class ModelRulesMixin(StrictInputMixin):
    """Run the model's own validation before saving, so constraint violations are 400s, not 500s."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        meta = self.Meta  # type: ignore[attr-defined]
        instance: Model = copy.copy(self.instance) if self.instance is not None else meta.model()  # type: ignore[attr-defined]
        # Only the values being set are judged field by field: a row stored under
        # older rules (a URL the fetcher now refuses) can still be edited otherwise.
        unchanged = {field.name for field in meta.model._meta.fields} - set(attrs)
        for name, value in attrs.items():
            if self.instance is not None and getattr(self.instance, name) == value:  # type: ignore[attr-defined]
                unchanged.add(name)
            setattr(instance, name, value)
        try:
            instance.full_clean(exclude=unchanged, validate_constraints=False)
            instance.validate_constraints()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs

    def save(self, **kwargs: Any) -> Model:
        try:
            with transaction.atomic():
                return super().save(**kwargs)  # type: ignore[misc]
        except IntegrityError:  # a concurrent write took the same unique value
            raise serializers.ValidationError(
                {"non_field_errors": "This conflicts with a row saved meanwhile (same name or URL); reload and retry."}
            ) from None


@extend_schema_field(OpenApiTypes.URI)
class FetchableURLInput(serializers.CharField):
    """A web address as typed; DRF's URLField would refuse some with a bare "Enter a valid URL."."""


class ClaimantSerializer(ModelRulesMixin, BlankAwareModelSerializer):
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


class ArticleSerializer(ModelRulesMixin, BlankAwareModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    publisher = IdField(queryset=Claimant.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Article
        fields = ["id", "api_url", "title", "publisher", "url", "published_on", "text", "is_archived", "created_at"]
        read_only_fields = ["id", "api_url", "created_at"]
        validators: list = []
