"""Query filters for the list endpoints (django-filter); invalid values answer 400."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims.models import Article, Claim, Claimant, Evidence, Source, SourceCheck

MAX_ID = 2**63 - 1


class IdFilter(filters.Filter):
    """An exact match on an id: a whole number, never a decimal rounded to one."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)  # a boolean in the schema, not an enum of the strings it parses
class StrictBooleanFilter(filters.TypedChoiceFilter):
    """true or false; anything else is a 400, not silently ignored."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC here.

    Python accepts offsets up to ±23:59 and years from 1; PostgreSQL refuses
    offsets past ±15:59, so a raw value like ``0113-04-29T15:29-18:32``
    would reach the database and fail there.
    """

    def to_python(self, value: object) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("That time is out of range.", code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class SearchFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class ClaimFilter(filters.FilterSet):
    # distinct=False: status IN (...) cannot repeat a row, and DISTINCT would make PostgreSQL
    # build every matching claim before the page's LIMIT.
    status = filters.MultipleChoiceFilter(
        choices=Claim.Status.choices, distinct=False, help_text="One or more statuses (repeat the parameter)."
    )
    claimant = IdFilter(field_name="claimant_id", help_text="Claimant id.")
    article = IdFilter(field_name="article_id", help_text="Article id.")
    source = IdFilter(method="filter_source", help_text="Claims with evidence from this source id.")
    needs_review = StrictBooleanFilter(help_text="Flagged by a re-check for a person's review.")
    recovered = StrictBooleanFilter(
        method="filter_recovered",
        help_text="true: flagged claims whose failing source has come back since (see review_recovery); "
        "false: every other claim.",
    )
    changed_since = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after this ISO 8601 time."
    )
    archived = StrictBooleanFilter(
        method="filter_archived", help_text="true: only archived claims; default: only claims not archived."
    )
    q = SearchFilter(method="filter_q", help_text="Full-text search in claim text, quotes and claimant names.")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Archived claims stay out of lists unless asked for.
        if self.form.cleaned_data.get("archived") in (None, ""):
            queryset = queryset.filter(is_archived=False)
        return super().filter_queryset(queryset)

    def filter_source(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # EXISTS, not a join: a source linked twice (two roles) must not repeat the claim.
        return queryset.filter(Exists(Evidence.objects.filter(claim=OuterRef("pk"), source_id=value)))

    def filter_recovered(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.with_recovery().filter(recovery_check_id__isnull=not value)  # type: ignore[attr-defined]

    def filter_archived(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(is_archived=value)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)  # type: ignore[attr-defined]


class ClaimantFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Claimant.Kind.choices)
    organisation = IdFilter(field_name="organisation_id")
    archived = StrictBooleanFilter(field_name="is_archived")
    q = SearchFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Claimant
        fields: list[str] = []


class SourceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)
    publisher = IdFilter(field_name="publisher_id")
    archived = StrictBooleanFilter(field_name="is_archived")
    q = SearchFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Source
        fields: list[str] = []


class ArticleFilter(filters.FilterSet):
    publisher = IdFilter(field_name="publisher_id")
    archived = StrictBooleanFilter(field_name="is_archived")
    q = SearchFilter(field_name="title", lookup_expr="icontains", help_text="Part of the title.")

    class Meta:
        model = Article
        fields: list[str] = []


class EvidenceFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    source = IdFilter(field_name="source_id")
    role = filters.ChoiceFilter(choices=Evidence.Role.choices)
    quote_state = filters.ChoiceFilter(choices=Evidence.QuoteState.choices)

    class Meta:
        model = Evidence
        fields: list[str] = []


class SourceCheckFilter(filters.FilterSet):
    source = IdFilter(field_name="source_id")
    state = filters.ChoiceFilter(choices=SourceCheck.State.choices)
    outcome = filters.ChoiceFilter(choices=Source.Outcome.choices)

    class Meta:
        model = SourceCheck
        fields: list[str] = []
