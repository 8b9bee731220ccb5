"""The source pages: its claims, its checks and snapshots, a snapshot diff and "Re-check now"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims.admin import actions
from claims.admin.diff import quote_found, side_by_side
from claims.admin.readonly import URL_FIELDS_ASSUME_HTTPS, ReadOnlyInline
from claims.models import Evidence, Source, SourceSnapshot
from claims.services.rights import CREATE, UPDATE, may_set
from claims.services.sources import SOURCE_EDITABLE, source_create, source_update

RECENT_CHECKS = 20
SNAPSHOTS_LISTED = 50


class EvidenceOfSourceInline(ReadOnlyInline):
    """The claims this source is evidence for; edited from the claim's page."""

    model = Evidence
    fields = ["claim", "role", "quote", "quote_state", "quote_change"]
    readonly_fields = fields
    verbose_name = "claim"
    verbose_name_plural = "claims citing this source"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("claim")


def _snapshot(source: Source, value: str | None) -> SourceSnapshot | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such snapshot")
    return get_object_or_404(SourceSnapshot, pk=int(value), source=source)


def _previous(snapshot: SourceSnapshot) -> SourceSnapshot | None:
    earlier = Q(taken_at__lt=snapshot.taken_at) | Q(taken_at=snapshot.taken_at, id__lt=snapshot.pk)
    return SourceSnapshot.objects.filter(earlier, source_id=snapshot.source_id).first()


def _form_field(field: models.Field, **kwargs: Any) -> forms.Field | None:
    return field.formfield(**{**URL_FIELDS_ASSUME_HTTPS.get(type(field), {}), **kwargs})


class SourceAdminForm(forms.ModelForm):
    """The source form, with the database's URL rules said in the desk's words on the URL field."""

    class Meta:
        model = Source
        fields = ["name", "kind", "url", "publisher", "notes", "is_archived", "is_monitored", "check_interval"]
        formfield_callback = _form_field

    def clean_url(self) -> str:
        # Whether the fetcher can read it is the model field's rule (validate_fetchable_url).
        url = self.cleaned_data.get("url") or ""
        clash = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first() if url else None
        if clash is not None:
            raise ValidationError(
                f"This URL is already recorded as the source “{clash.name}”: use that source instead."
            )
        return url

    def _get_validation_exclusions(self) -> set[str]:
        exclude = set(super()._get_validation_exclusions())
        if self.instance.pk is not None and "url" not in self.changed_data:
            # A URL stored before today's rules must not block editing the other fields.
            exclude.add("url")
        return exclude

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == Source.Kind.WEB and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", "A web page needs its URL. For a source without one, pick another kind.")
        return cleaned


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "kind", "publisher", "url", "is_monitored", "last_checked_at", "last_outcome"]
    list_filter = ["kind", "is_monitored", "last_outcome", "is_archived"]
    list_select_related = ["publisher"]
    search_fields = ["name", "url", "publisher__name"]
    autocomplete_fields = ["publisher"]
    inlines = [EvidenceOfSourceInline]
    actions = [actions.recheck_sources]
    fieldsets = [
        (None, {"fields": ["name", "kind", "url", "publisher", "notes", "is_archived"]}),
        (
            "Re-checks",
            {
                "fields": [
                    "is_monitored",
                    "check_interval",
                    "next_check_at",
                    "last_checked_at",
                    "last_outcome",
                    "consecutive_failures",
                    "consecutive_gone",
                ]
            },
        ),
    ]
    readonly_fields = ["next_check_at", "last_checked_at", "last_outcome", "consecutive_failures", "consecutive_gone"]

    def has_recheck_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.recheck_claim")

    def get_fieldsets(self, request: HttpRequest, obj: Source | None = None) -> list[tuple[str | None, dict[str, Any]]]:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.url:
            return fieldsets
        name, options = fieldsets[1]
        description = "This source has no URL, so it cannot be re-checked: only web pages are re-read. Add its URL to have it checked."
        return [fieldsets[0], (name, {**options, "description": description}), *fieldsets[2:]]

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        # Fields this user may not set (a fact-checker recording a source: archiving, schedule) are shown, not offered.
        action = CREATE if obj is None else UPDATE
        refused = [
            name
            for name in SOURCE_EDITABLE
            if not may_set(user=request.user, resource="source", action=action, field=name)
        ]
        return [*super().get_readonly_fields(request, obj), *refused]

    def save_model(self, request: HttpRequest, obj: Source, form: forms.ModelForm, change: bool) -> None:
        """The form collects input; ``source_create``/``source_update`` judge and write it."""
        if not change:
            fields = {name: form.cleaned_data[name] for name in SOURCE_EDITABLE if name in form.cleaned_data}
            created = source_create(user=request.user, **fields)
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in SOURCE_EDITABLE}
        if changed:
            source_update(source_id=obj.pk, user=request.user, **changed)
        obj.refresh_from_db()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        source = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if source is not None:
            extra_context.update(
                recent_checks=source.checks.select_related("requested_by", "snapshot")[:RECENT_CHECKS],
                check_count=source.checks.count(),
                snapshots=source.snapshots.defer("text", "compressed_text")[:SNAPSHOTS_LISTED],
                snapshot_count=source.snapshots.count(),
                can_recheck=self.has_recheck_permission(request) and bool(source.url),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/recheck/", self.admin_site.admin_view(self.recheck_view), name="claims_source_recheck"
            ),
            path("<path:object_id>/diff/", self.admin_site.admin_view(self.diff_view), name="claims_source_diff"),
            *super().get_urls(),
        ]

    def recheck_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The "Re-check now" button: POST only, answered with a message, never a 500."""
        source = self.get_object(request, object_id)
        if source is None:
            raise Http404("No such source")
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:claims_source_change", args=[source.pk]))
        if not self.has_recheck_permission(request):
            raise PermissionDenied
        actions.recheck_one_source(request, source)
        return HttpResponseRedirect(reverse("admin:claims_source_change", args=[source.pk]))

    def diff_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two snapshots side by side (``?a=`` older, ``?b=`` newer; default the latest two), quotes marked."""
        source = self.get_object(request, object_id)
        if source is None:
            raise Http404("No such source")
        if not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        newer = _snapshot(source, request.GET.get("b")) or source.snapshots.first()
        older = _snapshot(source, request.GET.get("a")) or (newer and _previous(newer))
        if older and newer and (older.taken_at, older.pk) > (newer.taken_at, newer.pk):
            older, newer = newer, older
        evidence = list(source.evidence.exclude(quote="").select_related("claim"))
        quotes = [e.quote for e in evidence]
        old_text = older.content if older else ""
        new_text = newer.content if newer else ""
        full = request.GET.get("full") == "1"
        context = {
            **self.admin_site.each_context(request),
            "title": f"What changed: {source}",
            "subtitle": None,
            "opts": self.model._meta,
            "original": source,
            "source": source,
            "older": older,
            "newer": newer,
            "rows": side_by_side(old_text, new_text, quotes, context=None if full else 3) if newer else [],
            "full": full,
            "quotes": [
                {"evidence": e, "in_older": quote_found(old_text, e.quote), "in_newer": quote_found(new_text, e.quote)}
                for e in evidence
            ],
            "snapshots": source.snapshots.defer("text", "compressed_text")[:SNAPSHOTS_LISTED],
        }
        return TemplateResponse(request, "admin/claims/source/snapshot_diff.html", context)
