"""The claim pages: list, change form with evidence and history, bulk actions and the review queue."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm, Textarea
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.admin import actions
from claims.admin.display import person, short, status_badge
from claims.admin.forms import ClaimAdminForm, evidence_changes
from claims.admin.intake import twins_html
from claims.admin.readonly import ReadOnlyInline
from claims.admin.review import review_queue_view
from claims.models import Claim, Evidence, StatusChange
from claims.services.changes import Applied, claim_apply_changes
from claims.services.editing import claim_create


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["source", "role", "quote", "note", "quote_state", "source_check"]
    readonly_fields = ["quote_state", "source_check"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 36, "dir": "auto"})}}
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
    # dir="auto": Arabic claim text is typed and shown right to left.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"dir": "auto"})}}
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
        "twins_and_factchecks",
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
    def claim_text(self, claim: Claim) -> SafeString:
        # dir="auto": an Arabic claim runs right to left inside the left-to-right admin.
        return format_html('<span dir="auto">{}</span>', short(claim.text, 100))

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

    @admin.display(description="Said elsewhere")
    def twins_and_factchecks(self, claim: Claim) -> SafeString | str:
        return twins_html(claim)

    # --- change form -----------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None) -> list[tuple[str | None, dict[str, Any]]]:
        if obj is None:
            return [(None, {"fields": ["text", "language", "claimant", "article"]})]
        status_fields: list[str] = ["status_display", "status_changed_at"]
        if self.has_change_status_permission(request) and self.has_change_permission(request, obj):
            status_fields += ["new_status", "rationale", "internal_notes"]
        return [
            (None, {"fields": ["text", "language", "claimant", "article", "is_archived", "version"]}),
            (
                "Status",
                {
                    "fields": status_fields,
                    "description": "A new status needs a public rationale; it is recorded in the history below "
                    "and readers see it once the claim is published. Internal notes stay on the desk.",
                },
            ),
            ("Publication", {"fields": ["publication"]}),
            ("Twins and external fact-checks", {"fields": ["twins_and_factchecks"]}),
            ("Review", {"fields": ["needs_review", "review_reason", "review_flagged_at"]}),
            ("Record", {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
        ]

    def get_form(
        self, request: HttpRequest, obj: Claim | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        evidence = next((i for i in self.get_inline_instances(request, obj) if isinstance(i, EvidenceInline)), None)
        page = {
            "can_change_status": self.has_change_status_permission(request),
            # The form reads the evidence rows with the same formset the page shows.
            "evidence_formset": evidence.get_formset(request, obj) if evidence is not None else None,
            "user": request.user,
        }
        return type(form.__name__, (form,), page)

    def save_model(self, request: HttpRequest, obj: Claim, form: ClaimAdminForm, change: bool) -> None:
        """A new claim is recorded here; a change is written with its evidence in ``save_related``."""
        if change:
            return
        created = claim_create(
            text=form.cleaned_data["text"],
            claimant_id=form.cleaned_data["claimant"].pk,
            article_id=form.cleaned_data["article"].pk if form.cleaned_data.get("article") else None,
            language=form.cleaned_data.get("language", ""),
            user=request.user,
            via=StatusChange.Via.ADMIN,
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: ClaimAdminForm, formsets: list[Any], change: bool) -> None:
        """The whole page, as the form collected and the service judged it, in one ``claim_apply_changes``."""
        form.save_m2m()
        changes = form.changes
        evidence_formset = next((f for f in formsets if f.model is Evidence), None)
        for formset in formsets:
            if formset is not evidence_formset:
                self.save_formset(request, form, formset, change)  # read-only rows: saves nothing
        if not change and evidence_formset is not None:
            evidence_changes(evidence_formset, changes)  # a new claim: its first links
        applied = claim_apply_changes(
            claim_id=form.instance.pk,
            expected_version=form.cleaned_data.get("version") if change else None,
            user=request.user,
            via=StatusChange.Via.ADMIN,
            **vars(changes),
        )
        if evidence_formset is not None:
            self._report_evidence(evidence_formset, applied)
        if applied.status_changed:
            messages.info(request, f"Status changed to {applied.claim.get_status_display().lower()}.")
        form.instance.refresh_from_db()

    def _report_evidence(self, formset: Any, applied: Applied) -> None:
        """What the admin's change message and history log say was added, changed and deleted."""
        deleted = set(map(id, formset.deleted_forms))
        formset.deleted_objects = [f.instance for f in formset.initial_forms if id(f) in deleted]
        formset.changed_objects = [
            (f.instance, f.changed_data) for f in formset.initial_forms if id(f) not in deleted and f.has_changed()
        ]
        formset.new_objects = applied.added

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
