"""Articles (the news reports claims were taken from) with their claims."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from claims.admin.claimants import ClaimsReadOnlyInline
from claims.admin.readonly import URL_FIELDS_ASSUME_HTTPS
from claims.models import Article, Claim


class ArticleClaimsInline(ClaimsReadOnlyInline):
    fk_name = "article"
    fields = ["text", "status_shown", "claimant", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("claimant")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["title", "publisher", "published_on", "claim_count", "is_archived"]
    list_filter = ["is_archived", "publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
    inlines = [ArticleClaimsInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description="Claims", ordering="claim_total")
    def claim_count(self, article: Article) -> int:
        return article.claim_total
