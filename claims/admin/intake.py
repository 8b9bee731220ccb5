"""Article intake for editors: take in an article, follow its progress, decide on each proposal.

Every decision goes through the services the API uses (intake_submit,
proposal_accept/merge/reject, claim_twin_link/unlink, factchecks_import).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.admin.display import status_badge
from claims.models import ArticleIntake, Claim, Claimant, ClaimProposal
from claims.services.intake import intake_submit, intake_validate
from claims.services.intake_factchecks import factchecks_matching
from claims.services.intake_review import proposal_accept, proposal_merge, proposal_reject
from claims.services.intake_twins import claim_twins, claim_twins_suggest


def progress_bar(intake: ArticleIntake) -> SafeString:
    if intake.state == ArticleIntake.State.FAILED:
        return format_html('<span style="color:#b91c1c">Failed: {}</span>', intake.error)
    return format_html('<progress max="100" value="{}"></progress> {}%', intake.progress, intake.progress)


class IntakeForm(forms.ModelForm):
    class Meta:
        model = ArticleIntake
        fields = ["url", "pasted_text", "title", "publisher_name", "published_on"]
        labels = {"pasted_text": "Text", "publisher_name": "Publisher"}
        help_texts = {"url": "The article's address (fetched safely), or paste its text below."}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            intake_validate(url=data.get("url") or "", text=data.get("pasted_text") or "")
        except ValidationError as exc:
            raise ValidationError(
                {"pasted_text" if f == "text" else f: m for f, m in exc.message_dict.items()}
            ) from None
        if not (data.get("url") or "").strip() and not (data.get("pasted_text") or "").strip():
            raise ValidationError({"url": "Give the article's URL or paste its text."})
        return data

    def _post_clean(self) -> None:
        pass  # the service stores the row; the model's own check would repeat the above


class ProposalInline(admin.TabularInline):
    model = ClaimProposal
    fields = ["position", "proposal_link", "claimant_guess", "figures", "state", "claim"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Sentence")
    def proposal_link(self, proposal: ClaimProposal) -> SafeString:
        url = reverse("admin:claims_claimproposal_change", args=[proposal.pk])
        return format_html('<a href="{}" dir="auto">{}</a>', url, proposal.sentence)


@admin.register(ArticleIntake)
class ArticleIntakeAdmin(admin.ModelAdmin):
    form = IntakeForm
    list_display = ["__str__", "state", "progress_shown", "proposal_count", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["state", "progress_shown", "error", "language", "article", "text", "created_at", "finished_at"]
    inlines = [ProposalInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleIntake]:
        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    # While an intake is being read, its pages reload every 5 s so the progress bar moves.
    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        busy = ArticleIntake.objects.filter(state__in=[ArticleIntake.State.QUEUED, ArticleIntake.State.RUNNING])
        return super().changelist_view(request, {**(extra_context or {}), "intake_busy": busy.exists()})

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        busy = ArticleIntake.objects.filter(
            pk=object_id if str(object_id).isdigit() else None,
            state__in=[ArticleIntake.State.QUEUED, ArticleIntake.State.RUNNING],
        ).exists()
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "intake_busy": busy})

    def get_inlines(self, request: HttpRequest, obj: ArticleIntake | None = None) -> list[Any]:
        return [] if obj is None else self.inlines

    def get_fields(self, request: HttpRequest, obj: ArticleIntake | None = None) -> list[str]:
        if obj is None:
            return ["url", "pasted_text", "title", "publisher_name", "published_on"]
        return ["url", "title", "publisher_name", "published_on", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ArticleIntake | None = None) -> list[str]:
        if obj is None:
            return []
        return ["url", "title", "publisher_name", "published_on", *self.readonly_fields]

    @admin.display(description="Progress")
    def progress_shown(self, intake: ArticleIntake) -> SafeString:
        return progress_bar(intake)

    @admin.display(description="Proposals", ordering="proposal_total")
    def proposal_count(self, intake: ArticleIntake) -> int:
        return intake.proposal_total

    def save_model(self, request: HttpRequest, obj: ArticleIntake, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        intake = intake_submit(
            url=data.get("url") or "",
            text=data.get("pasted_text") or "",
            title=data.get("title") or "",
            publisher_name=data.get("publisher_name") or "",
            published_on=data.get("published_on"),
            user=request.user,
        )
        obj.pk = intake.pk
        if intake.state == ArticleIntake.State.QUEUED:
            messages.info(request, "The article is being read by a worker; its progress shows in the list.")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # proposals are written by the service, never through the inline


class ProposalDecisionForm(forms.ModelForm):
    """The editor's decision; the service is called from clean() so its refusals show as form errors."""

    DECISIONS = [
        ("", "— decide later —"),
        ("accept", "Accept as a new claim"),
        ("merge", "Merge into a claim"),
        ("reject", "Reject"),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, required=False)
    text = forms.CharField(
        label="Claim wording",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Edit into one checkable statement; empty keeps the sentence.",
    )
    claimant = forms.ModelChoiceField(
        Claimant.objects.filter(is_archived=False),
        required=False,
        help_text="Empty: the guessed claimant below (found or created).",
    )
    claimant_name = forms.CharField(label="Guessed claimant", max_length=200, required=False)
    merge_into = forms.IntegerField(label="Merge into claim id", min_value=1, required=False)
    reason = forms.CharField(label="Why rejected", max_length=1000, required=False)

    class Meta:
        model = ClaimProposal
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.request: HttpRequest | None = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = self.instance.sentence
        self.fields["claimant_name"].initial = self.instance.claimant_guess

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user = self.request.user if self.request is not None else None
        decision = data.get("decision")
        try:
            if decision == "accept":
                claimant = data.get("claimant")
                proposal_accept(
                    proposal_id=self.instance.pk,
                    user=user,
                    text=data.get("text") or "",
                    claimant_id=claimant.pk if claimant else None,
                    claimant_name=data.get("claimant_name") or "",
                )
            elif decision == "merge":
                if not data.get("merge_into"):
                    raise ValidationError({"merge_into": "Give the id of the claim to merge into."})
                proposal_merge(proposal_id=self.instance.pk, claim_id=data["merge_into"], user=user)
            elif decision == "reject":
                proposal_reject(proposal_id=self.instance.pk, user=user, reason=data.get("reason") or "")
        except ValidationError as exc:
            fields = {"proposal": "decision", "claim": "merge_into"}
            raise ValidationError({fields.get(f, f): m for f, m in exc.message_dict.items()}) from None
        return data


@admin.register(ClaimProposal)
class ClaimProposalAdmin(admin.ModelAdmin):
    form = ProposalDecisionForm
    list_display = ["sentence_short", "claimant_guess", "cue", "figures", "state", "claim", "intake"]
    list_filter = ["state", "intake"]
    list_select_related = ["intake"]
    search_fields = ["sentence", "claimant_guess"]
    actions = ["reject_selected"]
    readonly_fields = [
        "sentence",
        "cue",
        "figures",
        "places",
        "dates",
        "note",
        "state",
        "claim",
        "likely_twins",
        "factchecks",
        "intake",
    ]
    fieldsets = [
        (None, {"fields": ["sentence", "cue", "figures", "places", "dates", "note", "state", "claim", "intake"]}),
        ("Already known", {"fields": ["likely_twins", "factchecks"]}),
        ("Decision", {"fields": ["decision", "text", "claimant", "claimant_name", "merge_into", "reason"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ClaimProposal | None = None) -> bool:
        return request.user.has_perm("claims.review_proposal")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithRequest(form):  # type: ignore[valid-type, misc]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def save_model(self, request: HttpRequest, obj: ClaimProposal, form: Any, change: bool) -> None:
        pass  # the decision was made by the service in the form's clean()

    @admin.display(description="Sentence")
    def sentence_short(self, proposal: ClaimProposal) -> SafeString:
        return format_html('<span dir="auto">{}</span>', str(proposal))  # Arabic reads right to left

    @admin.display(description="Likely twins (existing claims)")
    def likely_twins(self, proposal: ClaimProposal) -> SafeString | str:
        found = claim_twins_suggest(text=proposal.sentence)
        if not found:
            return "None found."
        return format_html_join(
            "",
            '<div>{} <a href="{}">#{}</a> {} <small>({}: {}{})</small></div>',
            (
                (
                    status_badge(s.claim.status),
                    reverse("admin:claims_claim_change", args=[s.claim.pk]),
                    s.claim.pk,
                    s.claim.text,
                    f"{s.score:.2f}",
                    s.reason,
                    ", would be linked" if s.auto else "",
                )
                for s in found
            ),
        )

    @admin.display(description="External fact-checks")
    def factchecks(self, proposal: ClaimProposal) -> SafeString | str:
        return factchecks_html(proposal.sentence)

    @admin.action(description="Reject the selected proposals", permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[ClaimProposal]) -> None:
        done = 0
        for proposal in queryset.filter(state=ClaimProposal.State.PENDING):
            proposal_reject(proposal_id=proposal.pk, user=request.user, reason="Rejected from the list.")
            done += 1
        messages.success(request, f"{done} proposals rejected.")


def factchecks_html(text: str) -> SafeString | str:
    found = factchecks_matching(text=text)
    if not found:
        return "None imported that match."
    return format_html_join(
        "",
        '<div>{} <a href="{}" rel="noopener">{}</a>: “{}” — {} <small>({})</small></div>',
        (
            (
                status_badge(f.mapped_status) if f.mapped_status else "",
                f.review_url or "#",
                f.publisher or "Fact-check",
                f.claim_reviewed,
                f.rating_label or f.rating_value,
                f"{score:.2f}",
            )
            for f, score in found
        ),
    )


def twins_html(claim: Claim) -> SafeString | str:
    """A claim's linked twins with their statuses, likely twins not linked yet, and matching external fact-checks."""
    twins = claim_twins(claim_id=claim.pk)
    linked = (
        format_html_join(
            "",
            '<div>Twin {} <a href="{}">#{}</a> {}</div>',
            ((status_badge(t.status), reverse("admin:claims_claim_change", args=[t.pk]), t.pk, t.text) for t in twins),
        )
        if twins
        else "No twins linked."
    )
    known = {t.pk for t in twins}
    likely = [s for s in claim_twins_suggest(text=claim.text, exclude_claim_id=claim.pk) if s.claim.pk not in known]
    suggested = format_html_join(
        "",
        '<div>Likely twin {} <a href="{}">#{}</a> {} <small>({}: {}; link it under Claim twins)</small></div>',
        (
            (
                status_badge(s.claim.status),
                reverse("admin:claims_claim_change", args=[s.claim.pk]),
                s.claim.pk,
                s.claim.text,
                f"{s.score:.2f}",
                s.reason,
            )
            for s in likely
        ),
    )
    return format_html("{}{}<div style='margin-top:6px'>{}</div>", linked, suggested, factchecks_html(claim.text))
