"""Claimants (people and organisations) with the claims they make."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString

from claims.admin.display import status_badge
from claims.admin.readonly import URL_FIELDS_ASSUME_HTTPS, ReadOnlyInline
from claims.models import Claim, Claimant


class ClaimsReadOnlyInline(ReadOnlyInline):
    """A parent's claims as a read-only list with links; claims are edited on their own page."""

    model = Claim
    fields = ["text", "status_shown", "updated_at"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "claims"

    @admin.display(description="Status")
    def status_shown(self, claim: Claim) -> SafeString:
        return status_badge(claim.status)


class ClaimantClaimsInline(ClaimsReadOnlyInline):
    fk_name = "claimant"
    fields = ["text", "status_shown", "article", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("article")


@admin.register(Claimant)
class ClaimantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "claim_count", "is_archived"]
    list_filter = ["kind", "is_archived"]
    list_select_related = ["organisation"]
    search_fields = ["name"]
    autocomplete_fields = ["organisation"]
    inlines = [ClaimantClaimsInline]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claimant]:
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description="Claims", ordering="claim_total")
    def claim_count(self, claimant: Claimant) -> int:
        return claimant.claim_total
