"""Shapes of the intake endpoints: intakes, proposals, decisions, twins and external fact-checks."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from claims.api.fields import CharField
from claims.api.serializers import BlankAwareModelSerializer
from claims.models import CLAIM_TEXT_MAX, ArticleIntake, ClaimProposal, ClaimTwin, ExternalFactCheck

MAX_ID = 2**63 - 1


class IntakeCreateSerializer(serializers.Serializer):
    url = CharField(required=False, allow_blank=True, max_length=2000, help_text="http(s) address.")
    # No max_length here: the service refuses an oversized paste with the size and the limit.
    text = CharField(required=False, allow_blank=True, trim_whitespace=False, help_text="Pasted text.")
    title = CharField(required=False, allow_blank=True, max_length=300)
    publisher = CharField(required=False, allow_blank=True, max_length=200)
    published_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("url", "").strip() and not attrs.get("text", ""):
            raise serializers.ValidationError({"text": "Give the article's URL or paste its text."})
        return attrs


class ProposalSerializer(BlankAwareModelSerializer):
    figures = serializers.ListField(child=CharField(), read_only=True)
    places = serializers.ListField(child=CharField(), read_only=True)
    dates = serializers.ListField(child=CharField(), read_only=True)

    class Meta:
        model = ClaimProposal
        fields = [
            "id",
            "intake",
            "position",
            "sentence",
            "cue",
            "claimant_guess",
            "figures",
            "places",
            "dates",
            "note",
            "state",
            "claim",
            "decided_at",
        ]
        read_only_fields = fields


class TwinSuggestionSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    text = CharField()
    status = CharField()
    score = serializers.FloatField()
    reason = CharField()
    auto = serializers.BooleanField(help_text="Strong enough to be linked without asking.")


class FactCheckSerializer(BlankAwareModelSerializer):
    class Meta:
        model = ExternalFactCheck
        fields = [
            "id",
            "claim_reviewed",
            "review_url",
            "publisher",
            "claimant",
            "rating_label",
            "rating_value",
            "best_rating",
            "worst_rating",
            "mapped_status",
            "published_on",
            "language",
            "imported_at",
        ]
        read_only_fields = fields


class MatchingFactCheckSerializer(serializers.Serializer):
    factcheck = FactCheckSerializer()
    score = serializers.FloatField()


class ProposalDetailSerializer(ProposalSerializer):
    likely_twins = TwinSuggestionSerializer(many=True, read_only=True)
    factchecks = MatchingFactCheckSerializer(many=True, read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "likely_twins", "factchecks"]
        read_only_fields = fields


class IntakeSerializer(BlankAwareModelSerializer):
    proposals = ProposalSerializer(many=True, read_only=True)

    class Meta:
        model = ArticleIntake
        fields = [
            "id",
            "url",
            "state",
            "progress",
            "error",
            "title",
            "publisher_name",
            "published_on",
            "language",
            "article",
            "created_at",
            "finished_at",
            "proposals",
        ]
        read_only_fields = fields


class AcceptSerializer(serializers.Serializer):
    text = CharField(required=False, allow_blank=True, max_length=CLAIM_TEXT_MAX, help_text="Edited wording.")
    claimant = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    claimant_name = CharField(required=False, allow_blank=True, max_length=200)


class MergeSerializer(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class RejectSerializer(serializers.Serializer):
    reason = CharField(required=False, allow_blank=True, max_length=1000)


class TwinSerializer(BlankAwareModelSerializer):
    first_status = CharField(source="first.status", read_only=True)
    second_status = CharField(source="second.status", read_only=True)

    class Meta:
        model = ClaimTwin
        fields = ["id", "first", "second", "first_status", "second_status", "kind", "score", "linked_at"]
        read_only_fields = fields


class TwinCreateSerializer(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    twin = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class SuggestionQuerySerializer(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    existing = serializers.IntegerField()
