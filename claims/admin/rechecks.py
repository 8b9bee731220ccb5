"""Re-check records, read-only: what each check found and the snapshots it kept."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from claims.admin.display import person
from claims.admin.readonly import URL_FIELDS_ASSUME_HTTPS, ReadOnlyAdmin
from claims.models import SourceCheck, SourceSnapshot


@admin.register(SourceCheck)
class SourceCheckAdmin(ReadOnlyAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["requested_at", "source", "state", "trigger", "requester", "outcome", "http_status", "finished_at"]
    list_filter = ["state", "outcome", "trigger"]
    list_select_related = ["source", "requested_by"]
    search_fields = ["source__name", "source__url", "reason"]
    date_hierarchy = "requested_at"

    @admin.display(description="Requested by")
    def requester(self, check: SourceCheck) -> str:
        return person(check.requested_by)


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["taken_at", "source", "size", "short_hash", "final_url"]
    list_select_related = ["source"]
    search_fields = ["source__name", "source__url"]
    date_hierarchy = "taken_at"
    fields = ["source", "taken_at", "size", "text_hash", "final_url", "diff_link", "main_text"]
    readonly_fields = fields

    @admin.display(description="Hash")
    def short_hash(self, snapshot: SourceSnapshot) -> str:
        return snapshot.text_hash[:12]

    @admin.display(description="Compare")
    def diff_link(self, snapshot: SourceSnapshot) -> SafeString:
        url = reverse("admin:claims_source_diff", args=[snapshot.source_id]) + "?" + urlencode({"b": snapshot.pk})
        return format_html('<a href="{}">Diff with the previous snapshot</a>', url)

    @admin.display(description="Main text")
    def main_text(self, snapshot: SourceSnapshot) -> SafeString:
        return format_html('<pre style="white-space:pre-wrap;max-width:60em">{}</pre>', snapshot.content)
