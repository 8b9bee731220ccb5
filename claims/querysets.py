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
        from claims.models import Claimant, Evidence

        query = (query or "").strip()
        if not query:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            sq = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
            # One IN over a UNION of three index lookups: claim text and quotes through their
            # GIN indexes (same to_tsvector expression), claimants by name then their claims
            # through the claimant index. An OR of these in one WHERE would rule every index
            # out and compute to_tsvector for each row of the table (docs/benchmarks.md).
            claims = self.model._default_manager
            text_match = claims.annotate(sv=SearchVector("text", config=SEARCH_CONFIG)).filter(sv=sq).values("pk")
            quote_match = (
                Evidence.objects.annotate(sv=SearchVector("quote", config=SEARCH_CONFIG))
                .filter(sv=sq)
                .values("claim_id")
            )
            claimant_match = claims.filter(
                claimant_id__in=Claimant.objects.filter(name__icontains=query).values("pk")
            ).values("pk")
            return self.filter(pk__in=text_match.union(quote_match, claimant_match))
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
