"""Serializers for claims and what hangs off them: evidence, history, re-checks.

Write serializers only check the shape of the input (types, known fields,
existing ids); every rule about the change itself lives in ``claims/services``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.fields import STRICT_TEXT_FIELDS, CharField, URLField
from claims.api.schema import ErrorSerializer
from claims.models import QUOTE_MAX, Article, Claim, Claimant, Evidence, Source, SourceCheck, StatusChange
from claims.services.rights import FIELD_RIGHTS, rights_note

CONTROL_KEYS = {"csrfmiddlewaretoken"}  # sent by the browsable API's HTML forms


class StrictInputMixin:
    """Refuse unknown and read-only keys by name instead of silently dropping them."""

    read_only_hints: dict[str, str] = {}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}  # type: ignore[attr-defined]
            unknown = [key for key in data if key not in writable and key not in CONTROL_KEYS]
            if unknown:
                accepted = ", ".join(sorted(writable))
                raise serializers.ValidationError(
                    {
                        str(key): self.read_only_hints.get(key)
                        or f"Unknown or read-only field; this request accepts: {accepted}."
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class FieldRightsMixin:
    """Each writable field's description says who may set it (``claims.services.rights``); the services enforce it."""

    rights_resource = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()  # type: ignore[misc]
        rights = FIELD_RIGHTS.get(self.rights_resource, {})
        for name, field in fields.items():
            if field.read_only or name not in rights:
                continue
            note = rights_note(self.rights_resource, name)
            field.help_text = f"{field.help_text} {note}" if field.help_text else note
        return fields


class IdField(serializers.PrimaryKeyRelatedField):
    """An existing row's id: a whole number (or its digits), never 1.5 read as 1."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not (isinstance(data, int) or (isinstance(data, str) and data.isdigit())):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class BlankAwareModelSerializer(serializers.ModelSerializer):
    """Read-only fields keep ``allow_blank``, so the schema admits the "" that blank model fields hold.

    Text model fields become text-only serializer fields (``claims.api.fields``): a number is a 400.
    """

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, **STRICT_TEXT_FIELDS}

    def include_extra_kwargs(self, kwargs: dict[str, Any], extra_kwargs: dict[str, Any]) -> dict[str, Any]:
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class OrganisationBriefSerializer(BlankAwareModelSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "name"]


class ClaimantBriefSerializer(BlankAwareModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Claimant
        fields = ["id", "name", "kind", "organisation"]


class ArticleBriefSerializer(BlankAwareModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "title", "url"]


class SourceBriefSerializer(BlankAwareModelSerializer):
    publisher = OrganisationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "name", "url", "kind", "publisher"]


class EvidenceItemSerializer(BlankAwareModelSerializer):
    """One link of a claim to a source, as embedded in the claim."""

    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "source", "role", "quote", "quote_state", "quote_change", "note", "added_at"]


class EvidenceSerializer(EvidenceItemSerializer):
    """A link on its own, with the claim it belongs to."""

    class Meta(EvidenceItemSerializer.Meta):
        fields = ["id", "claim", *EvidenceItemSerializer.Meta.fields]


class LastRecheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = URLField()
    outcome = serializers.ChoiceField(choices=Source.Outcome.choices, allow_blank=True)
    reason = CharField()
    finished_at = serializers.DateTimeField(allow_null=True)


class ClaimListSerializer(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        from claims.api.claim_rows import claim_representations

        return claim_representations(list(data), self.context.get("request"))


# The fields below are the schema; the output is built by claims/api/claim_rows.py from
# claims loaded with claim_detail_queryset() (the same JSON, a fraction of the time).
class ClaimSerializer(BlankAwareModelSerializer):
    """A claim with what a fact-checker needs to judge it, in one response."""

    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    claimant = ClaimantBriefSerializer(read_only=True)
    article = ArticleBriefSerializer(read_only=True, allow_null=True)
    evidence = EvidenceItemSerializer(many=True, read_only=True)
    last_recheck = serializers.SerializerMethodField()
    review_recovery = CharField(
        read_only=True,
        help_text="For a claim flagged because its source failed, set once the source is back: "
        '"was gone on 2 checks; back since <time>, quote intact". The flag stays until a person clears it.',
    )

    class Meta:
        model = Claim
        list_serializer_class = ClaimListSerializer
        fields = [
            "id",
            "url",
            "text",
            "status",
            "status_changed_at",
            "version",
            "needs_review",
            "review_reason",
            "review_recovery",
            "is_archived",
            "is_published",
            "published_at",
            "claimant",
            "article",
            "evidence",
            "last_recheck",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(LastRecheckSerializer(allow_null=True))
    def get_last_recheck(self, claim: Claim) -> dict[str, Any] | None:
        return self.to_representation(claim)["last_recheck"]

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        from claims.api.claim_rows import claim_representations

        return claim_representations([instance], self.context.get("request"))[0]


_STATUS_HINT = "The status is not edited here: POST /api/claims/{id}/status/ with a status and a rationale."


class ClaimWriteSerializer(FieldRightsMixin, StrictInputMixin, BlankAwareModelSerializer):
    """Input for creating (POST) and editing (PUT/PATCH) a claim; never its status."""

    rights_resource = "claim"

    read_only_hints = {
        "status": _STATUS_HINT,
        "version": "The version is read-only; send the ETag you loaded in If-Match instead.",
    }
    claimant = IdField(queryset=Claimant.objects.all())
    article = IdField(queryset=Article.objects.all(), allow_null=True, required=False)
    # The service strips and checks the text (empty, too long) and says why.
    text = CharField(allow_blank=True, trim_whitespace=False, max_length=10_000)

    class Meta:
        model = Claim
        fields = ["text", "claimant", "article", "is_archived"]


class ClaimCreateSerializer(ClaimWriteSerializer):
    """Input for recording a claim: it starts unverified and not archived."""

    class Meta(ClaimWriteSerializer.Meta):
        fields = ["text", "claimant", "article"]


class StatusChangeRequestSerializer(StrictInputMixin, serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Claim.Status.choices,
        error_messages={"invalid_choice": f"Unknown status {{input!r}}; use one of: {', '.join(Claim.Status.values)}."},
    )
    # Blank or overlong rationales are refused by the service, with its message.
    rationale = CharField(allow_blank=True, trim_whitespace=False, max_length=10_000)
    # The rationale is public once the claim is published; these notes never leave the desk.
    internal_notes = CharField(allow_blank=True, required=False, default="", max_length=4000)


class EvidenceCreateSerializer(FieldRightsMixin, StrictInputMixin, serializers.Serializer):
    rights_resource = "evidence"
    source = IdField(queryset=Source.objects.all())
    role = serializers.ChoiceField(choices=Evidence.Role.choices)
    quote = CharField(allow_blank=True, required=False, default="", max_length=QUOTE_MAX)
    note = CharField(allow_blank=True, required=False, default="", max_length=4000)


class StatusChangeSerializer(BlankAwareModelSerializer):
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "from_status",
            "to_status",
            "rationale",
            "internal_notes",
            "changed_by",
            "changed_at",
            "via",
            "version",
        ]
        read_only_fields = fields


class SourceCheckSerializer(BlankAwareModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:check-detail")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SourceCheck
        fields = [
            "id",
            "url",
            "source",
            "state",
            "trigger",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "outcome",
            "reason",
            "http_status",
            "final_url",
            "duration_ms",
        ]
        read_only_fields = fields


class CheckRefSerializer(BlankAwareModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:check-detail")

    class Meta:
        model = SourceCheck
        fields = ["id", "url", "state"]


class RecheckAcceptedSerializer(serializers.Serializer):
    checks = CheckRefSerializer(many=True)


class StaleErrorSerializer(ErrorSerializer):
    current = ClaimSerializer(required=False, help_text="The claim as it is now (present when your version is stale).")
