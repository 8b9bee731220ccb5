"""Reads: named querysets for claims and sources."""

from __future__ import annotations

from datetime import datetime

from django.contrib.postgres.search import SearchQuery
from django.db import connection, models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.utils import timezone


class LanguageSearchQuery(SearchQuery):
    """A websearch-syntax query parsed in the language its own script says (SQL ``claims_search_query``,
    migration 0015): Arabic words with the Arabic configuration, anything else with English."""

    def __init__(self, value: str) -> None:
        super().__init__(value, search_type="websearch")
        self.function = "claims_search_query"


class ClaimQuerySet(models.QuerySet):
    def flagged(self) -> ClaimQuerySet:
        return self.filter(needs_review=True).order_by("-review_flagged_at", "-id")

    def with_recovery(self) -> ClaimQuerySet:
        """Annotate ``recovery_check_id``: for a claim flagged because its source failed (gone, moved,
        unreadable, ...), the check since the flag at which that source came back, while it still reads.
        """
        from claims.models import READABLE_OUTCOMES, TROUBLE_OUTCOMES, SourceCheck

        back = SourceCheck.objects.filter(
            source_id=OuterRef("review_check__source_id"),
            finished_at__gte=OuterRef("review_flagged_at"),
            recovered_after__isnull=False,
        ).order_by("-finished_at", "-id")
        troubled = Q(
            needs_review=True,
            review_check__outcome__in=TROUBLE_OUTCOMES,
            review_check__source__last_outcome__in=READABLE_OUTCOMES,
        )
        return self.annotate(
            recovery_check_id=Case(
                When(troubled, then=Subquery(back.values("id")[:1])), default=None, output_field=IntegerField()
            )
        )

    def search(self, query: str) -> ClaimQuerySet:
        """Claims whose text, claimant's name or any quote matches ``query`` (websearch syntax).

        PostgreSQL matches the claim's ``search_document`` (each text in its own language's
        configuration, migration 0015) through its GIN index; other databases fall back to a
        case-insensitive substring match.
        """
        from claims.models import Evidence

        query = (query or "").strip()
        if not query:
            return self
        if connection.vendor == "postgresql":
            return self.filter(search_document=LanguageSearchQuery(query))
        quote_match = Evidence.objects.filter(claim=OuterRef("pk"), quote__icontains=query)
        return self.filter(Q(text__icontains=query) | Q(Exists(quote_match)) | Q(claimant__name__icontains=query))


class SourceQuerySet(models.QuerySet):
    def fetchable(self) -> SourceQuerySet:
        return self.exclude(url="").filter(is_archived=False, is_monitored=True)

    def due_for_recheck(self, now: datetime | None = None) -> SourceQuerySet:
        """Monitored web sources whose next check is due and that no worker holds a live lease on."""
        now = now or timezone.now()
        return (
            self.fetchable()
            .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
            .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
            .order_by(models.F("next_check_at").asc(nulls_first=True), "id")
        )
