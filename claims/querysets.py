"""Reads: named querysets for claims and sources."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.utils import timezone

SEARCH_CONFIG = "english"


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
        """Claims whose text or any quote matches ``query``.

        PostgreSQL uses full-text search backed by GIN indexes (migration 0002);
        other databases fall back to a case-insensitive substring match.
        """
        from claims.models import Evidence

        query = (query or "").strip()
        if not query:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            sq = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
            # Each match is a subquery on its own table, so PostgreSQL answers it from that
            # table's GIN index (same to_tsvector expression) instead of computing to_tsvector
            # for every row; an OR across tables in one WHERE would rule the index out.
            text_match = (
                self.model._default_manager.annotate(sv=SearchVector("text", config=SEARCH_CONFIG))
                .filter(sv=sq)
                .values("pk")
            )
            quote_match = (
                Evidence.objects.annotate(sv=SearchVector("quote", config=SEARCH_CONFIG))
                .filter(sv=sq)
                .values("claim_id")
            )
            return self.filter(Q(pk__in=text_match) | Q(pk__in=quote_match) | Q(claimant__name__icontains=query))
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
