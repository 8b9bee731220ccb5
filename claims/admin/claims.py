"""The claim pages: list, change form with evidence and history, bulk actions and the review queue."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm, Textarea
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.admin import actions
from claims.admin.display import person, short, status_badge
from claims.admin.forms import ClaimAdminForm, EvidenceInlineFormSet
from claims.admin.readonly import ReadOnlyInline
from claims.admin.review import review_queue_view
from claims.models import Claim, Evidence, StatusChange
from claims.services.editing import EDITABLE_FIELDS, claim_create, claim_update
from claims.services.evidence import EVIDENCE_EDITABLE, evidence_add, evidence_remove, evidence_update
from claims.services.status import claim_change_status


class EvidenceInline(admin.TabularInline):
    model = Evidence
    formset = EvidenceInlineFormSet
    fields = ["source", "role", "quote", "note", "quote_state", "source_check"]
    readonly_fields = ["quote_state", "source_check"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 36})}}
    extra = 0
    verbose_name = "evidence"
    verbose_name_plural = "evidence (sources and what they do for this claim)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("source")

    @admin.display(description="Last re-check")
    def source_check(self, evidence: Evidence) -> SafeString | str:
        if evidence.pk is None:
            return "—"
        source = evidence.source
        if not source.url:
            return "no URL: not re-checked"
        diff_url = reverse("admin:claims_source_diff", args=[source.pk])
        outcome = source.get_last_outcome_display() or "not checked yet"
        return format_html('{} · <a href="{}">text diff</a>', outcome, diff_url)


class StatusHistoryInline(ReadOnlyInline):
    """Append-only history: nobody adds, edits or deletes rows here."""

    model = StatusChange
    fields = ["changed_at", "who", "from_status", "to_status", "rationale", "internal_notes", "via"]
    readonly_fields = fields
    verbose_name = "status change"
    verbose_name_plural = "status history"

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusChange]:
        return super().get_queryset(request).select_related("changed_by")

    @admin.display(description="Who")
    def who(self, change: StatusChange) -> str:
        return person(change.changed_by)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAdminForm
    list_display = [
        "claim_text",
        "status_display",
        "claimant",
        "article_title",
        "review_reason_short",
        "is_published",
        "updated_at",
    ]
    list_display_links = ["claim_text"]
    list_filter = ["status", "is_published", "claimant", "article", "needs_review"]
    list_select_related = ["claimant", "article"]
    # Matching is done by Claim.objects.search() in get_search_results; this
    # only switches the search box on.
    search_fields = ["text"]
    search_help_text = "Searches claim text, quotes and the claimant's name (whole words)."
    ordering = ["-updated_at", "-id"]
    autocomplete_fields = ["claimant", "article"]
    readonly_fields = [
        "status_display",
        "status_changed_at",
        "needs_review",
        "review_reason",
        "review_flagged_at",
        "publication",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [EvidenceInline, StatusHistoryInline]
    actions = [
        actions.set_status,
        actions.mark_reviewed,
        actions.recheck_claim_sources,
        actions.publish,
        actions.unpublish,
    ]
    list_per_page = 50

    # --- list ---------------------------------------------------------------
    @admin.display(description="Claim", ordering="text")
    def claim_text(self, claim: Claim) -> str:
        return short(claim.text, 100)

    @admin.display(description="Status", ordering="status")
    def status_display(self, claim: Claim) -> SafeString:
        return status_badge(claim.status)

    @admin.display(description="Article", ordering="article__title")
    def article_title(self, claim: Claim) -> str:
        return short(claim.article.title, 40) if claim.article else "—"

    # One column for the flag and its reason: a separate yes/no column pushed
    # "last change" off a laptop screen.
    @admin.display(description="Needs review", ordering="needs_review", empty_value="")
    def review_reason_short(self, claim: Claim) -> str:
        if not claim.needs_review:
            return ""
        return f"⚑ {short(claim.review_reason, 80)}" if claim.review_reason else "⚑"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Claim], search_term: str
    ) -> tuple[QuerySet[Claim], bool]:
        # PostgreSQL full-text over text and quotes, plus the claimant's name.
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "review_count": Claim.objects.filter(needs_review=True).count()}
        return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        # Every claim has append-only status history, so a delete can never
        # succeed; editors archive claims instead.
        return False

    # --- permissions used by actions ---------------------------------------
    def has_change_status_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.change_claim_status")

    def has_recheck_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.recheck_claim")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.publish_claim")

    @admin.display(description="Readers see it")
    def publication(self, claim: Claim) -> SafeString | str:
        if not claim.is_published:
            first = f" (first published {claim.published_at:%d %b %Y}; withdrawn)" if claim.published_at else ""
            return f"No: not published{first}. Use the “Publish” action in the claim list."
        return format_html(
            'Yes, since {}: <a href="{}">public page</a>',
            f"{claim.published_at:%d %b %Y %H:%M}",
            reverse("public:claim", args=[claim.pk]),
        )

    # --- change form -----------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None) -> list[tuple[str | None, dict[str, Any]]]:
        if obj is None:
            return [(None, {"fields": ["text", "claimant", "article"]})]
        status_fields: list[str] = ["status_display", "status_changed_at"]
        if self.has_change_status_permission(request) and self.has_change_permission(request, obj):
            status_fields += ["new_status", "rationale", "internal_notes"]
        return [
            (None, {"fields": ["text", "claimant", "article", "is_archived", "version"]}),
            (
                "Status",
                {
                    "fields": status_fields,
                    "description": "A new status needs a public rationale; it is recorded in the history below "
                    "and readers see it once the claim is published. Internal notes stay on the desk.",
                },
            ),
            ("Publication", {"fields": ["publication"]}),
            ("Review", {"fields": ["needs_review", "review_reason", "review_flagged_at"]}),
            ("Record", {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
        ]

    def get_form(
        self, request: HttpRequest, obj: Claim | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        permissions = {
            "can_change_status": self.has_change_status_permission(request),
            "can_add_evidence": request.user.has_perm("claims.add_evidence"),
        }
        return type(form.__name__, (form,), permissions)

    def save_model(self, request: HttpRequest, obj: Claim, form: ClaimAdminForm, change: bool) -> None:
        """Plain fields go through the editing service; the status is never written here."""
        if not change:
            created = claim_create(
                text=form.cleaned_data["text"],
                claimant_id=form.cleaned_data["claimant"].pk,
                article_id=form.cleaned_data["article"].pk if form.cleaned_data.get("article") else None,
                user=request.user,
                via=StatusChange.Via.ADMIN,
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        if fields:
            claim_update(claim_id=obj.pk, expected_version=form.cleaned_data["version"], user=request.user, **fields)
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: ClaimAdminForm, formsets: list[Any], change: bool) -> None:
        """Evidence additions and edits, then the status change, then removals.

        This order lets one save add a supporting source and confirm, or
        un-confirm and remove the source the old status rested on.
        """
        form.save_m2m()
        removals: list[Evidence] = []
        for formset in formsets:
            if formset.model is Evidence:
                removals = self._save_evidence(request, formset)
            else:
                self.save_formset(request, form, formset, change)
        status_request = getattr(form, "status_request", None)
        if status_request is not None and self.has_change_status_permission(request):
            claim = claim_change_status(
                claim_id=form.instance.pk,
                to_status=status_request.to_status,
                rationale=status_request.rationale,
                internal_notes=status_request.internal_notes,
                user=request.user,
                # The row has been locked since the form checked the version,
                # so the current version is the one this save built on.
                expected_version=Claim.objects.values_list("version", flat=True).get(pk=form.instance.pk),
                via=StatusChange.Via.ADMIN,
            )
            messages.info(request, f"Status changed to {claim.get_status_display().lower()}.")
        for evidence in removals:
            evidence_remove(evidence_id=evidence.pk, user=request.user)
        form.instance.refresh_from_db()

    def _save_evidence(self, request: HttpRequest, formset: EvidenceInlineFormSet) -> list[Evidence]:
        """Save added and edited evidence through the services; return the rows to remove."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = set(map(id, formset.deleted_forms))
        for form in formset.initial_forms:
            if id(form) in deleted:
                formset.deleted_objects.append(form.instance)
            elif form.has_changed():
                # Independence across the whole set of links was judged by the formset.
                fields = {name: form.cleaned_data[name] for name in form.changed_data if name in EVIDENCE_EDITABLE}
                form.instance = evidence_update(evidence_id=form.instance.pk, user=request.user, **fields)
                formset.changed_objects.append((form.instance, form.changed_data))
        for form in formset.extra_forms:
            if id(form) in deleted or not form.has_changed():
                continue
            data = form.cleaned_data
            evidence = evidence_add(
                claim_id=formset.instance.pk,
                source_id=data["source"].pk,
                role=data["role"],
                quote=data.get("quote") or "",
                note=data.get("note") or "",
                user=request.user,
            )
            form.instance = evidence
            formset.new_objects.append(evidence)
        return formset.deleted_objects

    # --- extra pages -------------------------------------------------------------
    def get_urls(self) -> list[Any]:
        queue = path(
            "review-queue/",
            self.admin_site.admin_view(review_queue_view(self)),
            name="claims_claim_review_queue",
        )
        return [queue, *super().get_urls()]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The whole desk's status history, read-only: never changed, never deleted."""

    list_display = ["changed_at", "claim", "from_status", "to_status", "who", "via"]
    list_filter = ["to_status", "via"]
    list_select_related = ["claim", "changed_by"]
    search_fields = ["rationale", "claim__text"]
    date_hierarchy = "changed_at"

    @admin.display(description="Who")
    def who(self, change: StatusChange) -> str:
        return person(change.changed_by)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
