"""Twin links and external fact-checks (ClaimReview) in the admin, through the intake services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.admin.display import status_badge
from claims.models import ClaimTwin, ExternalFactCheck
from claims.services.intake_factchecks import factchecks_import
from claims.services.intake_twins import claim_twin_link, claim_twin_unlink


class TwinForm(forms.ModelForm):
    class Meta:
        model = ClaimTwin
        fields = ["first", "second"]
        labels = {"first": "Claim", "second": "Twin"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("first"), data.get("second")
        if first is not None and second is not None:
            if first.pk == second.pk:
                raise ValidationError({"second": "A claim cannot be its own twin."})
            data["first"], data["second"] = sorted((first, second), key=lambda c: c.pk)
            self.instance.first, self.instance.second = data["first"], data["second"]
        return data


@admin.register(ClaimTwin)
class ClaimTwinAdmin(admin.ModelAdmin):
    form = TwinForm
    list_display = ["__str__", "first_shown", "second_shown", "kind", "score", "linked_at"]
    list_filter = ["kind"]
    list_select_related = ["first", "second"]
    autocomplete_fields = ["first", "second"]

    def has_change_permission(self, request: HttpRequest, obj: ClaimTwin | None = None) -> bool:
        return obj is None and super().has_change_permission(request)

    @admin.display(description="Claim")
    def first_shown(self, twin: ClaimTwin) -> SafeString:
        return format_html("{} {}", status_badge(twin.first.status), twin.first.text)

    @admin.display(description="Twin")
    def second_shown(self, twin: ClaimTwin) -> SafeString:
        return format_html("{} {}", status_badge(twin.second.status), twin.second.text)

    def save_model(self, request: HttpRequest, obj: ClaimTwin, form: Any, change: bool) -> None:
        link = claim_twin_link(claim_id=obj.first_id, twin_id=obj.second_id, user=request.user)
        obj.pk = link.pk

    def delete_model(self, request: HttpRequest, obj: ClaimTwin) -> None:
        claim_twin_unlink(claim_id=obj.first_id, twin_id=obj.second_id, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ClaimTwin]) -> None:
        for twin in queryset:
            self.delete_model(request, twin)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A ClaimReview JSON or JSON-LD file (one item, a list, @graph or a DataFeed).")


@admin.register(ExternalFactCheck)
class ExternalFactCheckAdmin(admin.ModelAdmin):
    list_display = ["claim_reviewed", "publisher", "rating_label", "mapped_status", "published_on", "language"]
    list_filter = ["mapped_status", "language", "publisher"]
    search_fields = ["claim_reviewed", "publisher", "rating_label"]
    change_list_template = "admin/claims/externalfactcheck/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        own = [path("import/", self.admin_site.admin_view(self.import_view), name="claims_externalfactcheck_import")]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("claims.add_externalfactcheck"):
            messages.error(request, "You may not import fact-checks.")
            return HttpResponseRedirect(reverse("admin:claims_externalfactcheck_changelist"))
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = factchecks_import(data=form.cleaned_data["file"].read(), user=request.user)
            except ValidationError as exc:
                form.add_error("file", exc.message_dict["file"][0])
            else:
                messages.success(request, f"{result.created} fact-checks imported, {result.existing} already present.")
                return HttpResponseRedirect(reverse("admin:claims_externalfactcheck_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Import ClaimReview fact-checks",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/claims/externalfactcheck/import.html", context)
