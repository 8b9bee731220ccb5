"""Fact-checkers' own alert subscriptions through the API: email now or a daily digest, about what they choose.

Webhooks and chat channels are shared by the desk and set up by editors in
the admin (docs/alerts.md); here each person manages only their own mail.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from claims.api.permissions import AllowedMethodsFirst, requires
from claims.api.serializers import BlankAwareModelSerializer, IdField, StrictInputMixin
from claims.models import AlertSubscription, Article, Claim, Claimant

PERSONAL_CHANNELS = [
    (AlertSubscription.Channel.EMAIL.value, AlertSubscription.Channel.EMAIL.label),
    (AlertSubscription.Channel.DIGEST.value, AlertSubscription.Channel.DIGEST.label),
]


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "22:00"})
class ClockTimeField(serializers.TimeField):
    """A wall-clock time as HH:MM, in and out: OpenAPI's "time" format would demand a UTC offset."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class AlertSubscriptionSerializer(StrictInputMixin, BlankAwareModelSerializer):
    channel = serializers.ChoiceField(choices=PERSONAL_CHANNELS)
    quiet_from = ClockTimeField(
        allow_null=True, required=False, help_text="Immediate email waits from this time (UTC, HH:MM)..."
    )
    quiet_until = ClockTimeField(allow_null=True, required=False, help_text="...until this time (UTC, HH:MM).")
    article = IdField(queryset=Article.objects.all(), allow_null=True, required=False)
    claimant = IdField(queryset=Claimant.objects.all(), allow_null=True, required=False)
    claim = IdField(queryset=Claim.objects.all(), allow_null=True, required=False)

    class Meta:
        model = AlertSubscription
        fields = [
            "id",
            "name",
            "channel",
            "scope",
            "article",
            "claimant",
            "claim",
            "published_only",
            "quiet_from",
            "quiet_until",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The subscriber is always the caller; the model's rules (a target for the scope) are checked with it.
        attrs["user"] = self.context["request"].user
        candidate = copy.copy(self.instance) if self.instance is not None else AlertSubscription()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=["secret", "webhook_url", "chat_url"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs


@extend_schema_view(
    list=extend_schema(summary="Your alert subscriptions"),
    retrieve=extend_schema(summary="One of your alert subscriptions"),
    create=extend_schema(summary="Subscribe to alerts by email (now or daily digest)"),
    update=extend_schema(summary="Replace one of your subscriptions"),
    partial_update=extend_schema(summary="Change one of your subscriptions"),
    destroy=extend_schema(summary="Unsubscribe"),
)
class AlertSubscriptionViewSet(
    AllowedMethodsFirst,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Each person's own email subscriptions; anyone who may read claims may subscribe."""

    serializer_class = AlertSubscriptionSerializer
    queryset = AlertSubscription.objects.none()  # the schema's model; get_queryset narrows to the caller's
    permission_classes = [IsAuthenticated, requires("claims.view_claim")]
    filter_backends: list = []
    keyset_orderings = {"id": "id"}
    keyset_default = "id"

    def get_queryset(self) -> Any:
        return AlertSubscription.objects.filter(
            user=self.request.user, channel__in=[value for value, _ in PERSONAL_CHANNELS]
        )
