"""Forms of the claim admin: the status-change section, the evidence formset and the bulk status form.

The rules themselves live in ``claims.services``; these forms only call them
and put their errors on the field the editor has to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format

from claims.models import Claim, Evidence, StatusChange
from claims.services.status import LinkView, independence_error, lock_claim, stored_links, validate_status_change

EVIDENCE_PREFIX = "evidence"
KEEP_STATUS = ""


@dataclass(frozen=True)
class StatusRequest:
    """A status change the editor asked for in the change form, already validated."""

    to_status: str
    rationale: str
    internal_notes: str = ""
    # True when only the independence rule refused it against the stored
    # sources; the evidence formset then judges it with the submitted sources.
    needs_evidence_check: bool = False


def stale_message(claim: Claim, seen_version: int) -> str:
    """What the editor is told when someone else saved the claim after they opened it."""
    latest = StatusChange.objects.filter(claim=claim, version__gt=seen_version).select_related("changed_by").first()
    if latest is not None:
        user = latest.changed_by
        who = (user.get_full_name() or user.get_username()) if user else "an import"
        when = date_format(timezone.localtime(latest.changed_at), "DATETIME_FORMAT")
        detail = f"{who} set it to {latest.get_to_status_display().lower()} on {when}"
    elif claim.needs_review and claim.review_flagged_at and claim.review_flagged_at >= claim.updated_at:
        # The latest change is a re-check's flag (it bumps the version too).
        when = date_format(timezone.localtime(claim.review_flagged_at), "DATETIME_FORMAT")
        detail = f"a re-check flagged it for review on {when}: {claim.review_reason.rstrip('.')}"
    else:
        when = date_format(timezone.localtime(claim.updated_at), "DATETIME_FORMAT")
        detail = f"last changed on {when}"
    return (
        f"Someone else changed this claim since you opened it ({detail}). "
        f"Nothing was saved. Reload the page to see the current version, then make your change again."
    )


class ClaimAdminForm(forms.ModelForm):
    """The claim change form: plain fields, plus a status-change section that goes through the service."""

    new_status = forms.ChoiceField(
        label="Change status to",
        required=False,
        choices=[(KEEP_STATUS, "— keep the current status —"), *Claim.Status.choices],
    )
    rationale = forms.CharField(
        label="Public rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the status changes. Required with a new status; recorded in the history "
        "and shown to readers once the claim is published.",
    )
    internal_notes = forms.CharField(
        label="Internal notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional; kept with the change for the desk and never published.",
    )
    # The version the editor loaded; a save that names an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by ClaimAdmin.get_form for the requesting user.
    can_change_status = False
    can_add_evidence = False

    class Meta:
        model = Claim
        fields = ["text", "claimant", "article", "is_archived"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status_request: StatusRequest | None = None
        adding = self.instance.pk is None
        if adding or not self.can_change_status:
            # Declared fields exist whatever the fieldsets say; drop them so a
            # hand-crafted POST cannot change a status the user may not change.
            self.fields.pop("new_status", None)
            self.fields.pop("rationale", None)
            self.fields.pop("internal_notes", None)
        if adding:
            self.fields.pop("version", None)
        else:
            self.fields["version"].required = True
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None or "version" not in cleaned:
            return cleaned
        # The admin saves inside a transaction: the row stays locked until the
        # save commits, so nobody can slip a change in between check and write.
        current = lock_claim(self.instance.pk)
        if cleaned["version"] != current.version:
            raise ValidationError(stale_message(current, cleaned["version"]), code="stale")
        self._clean_status_change(current, cleaned)
        return cleaned

    def _clean_status_change(self, current: Claim, cleaned: dict[str, Any]) -> None:
        to_status = cleaned.get("new_status") or KEEP_STATUS
        rationale = cleaned.get("rationale") or ""
        if to_status == KEEP_STATUS:
            if rationale.strip() and "new_status" in self.fields:
                self.add_error("new_status", "Choose the new status this rationale is for, or clear the rationale.")
            return
        if cleaned.get("claimant") is not None:
            # Independence is judged against the claimant this save will leave.
            current.claimant = cleaned["claimant"]
        try:
            rationale = validate_status_change(claim=current, to_status=to_status, rationale=rationale)
        except ValidationError as exc:
            errors = exc.message_dict
            only_independence = set(errors) == {"status"} and errors["status"] == [
                independence_error(current.claimant, to_status, stored_links(current))
            ]
            if only_independence and self._adds_evidence():
                # Sources added in this same save may satisfy the rule; the
                # evidence formset re-judges it with them (EvidenceInlineFormSet).
                self.status_request = StatusRequest(
                    to_status, (rationale or "").strip(), self._notes(cleaned), needs_evidence_check=True
                )
                self.instance._admin_status_request = self.status_request
                return
            for field, messages in errors.items():
                self.add_error("new_status" if field == "status" else field, messages)
            return
        self.status_request = StatusRequest(to_status, rationale, self._notes(cleaned))
        self.instance._admin_status_request = self.status_request

    @staticmethod
    def _notes(cleaned: dict[str, Any]) -> str:
        return (cleaned.get("internal_notes") or "").strip()

    def _adds_evidence(self) -> bool:
        """Whether this POST adds evidence rows in the claim page's evidence inline."""
        if not self.can_add_evidence:
            return False
        try:
            initial = int(self.data.get(f"{EVIDENCE_PREFIX}-INITIAL_FORMS", ""))
            total = int(self.data.get(f"{EVIDENCE_PREFIX}-TOTAL_FORMS", ""))
        except ValueError:
            return False
        return any(self.data.get(f"{EVIDENCE_PREFIX}-{i}-source") for i in range(initial, min(total, initial + 100)))


class EvidenceInlineFormSet(BaseInlineFormSet):
    """Evidence rows on the claim page, judged together with the status the save will leave.

    Lets an editor add an independent supporting source and confirm the claim
    in one save, and refuses removing the source a status rests on.
    """

    def clean(self) -> None:
        super().clean()
        claim: Claim = self.instance
        if any(form.errors for form in self.forms) or claim.claimant_id is None:
            return
        request: StatusRequest | None = getattr(claim, "_admin_status_request", None)
        evidence_changed = bool(self.deleted_forms) or any(form.has_changed() for form in self.forms)
        if request is None and not evidence_changed:
            return
        if request is not None:
            to_status = request.to_status
        elif claim.pk is None:
            to_status = claim.status
        else:
            to_status = Claim.objects.values_list("status", flat=True).get(pk=claim.pk)
        problem = independence_error(claim.claimant, to_status, self._links_after_save())
        if not problem:
            return
        if request is not None:
            label = Claim.Status(to_status).label.lower()
            raise ValidationError(f"The status was not changed to {label} and nothing was saved: {problem}")
        raise ValidationError(
            f"The claim is {Claim.Status(to_status).label.lower()} on the strength of the evidence you are "
            f"removing or changing; change its status first (or in the same save). Nothing was saved."
        )

    def _links_after_save(self) -> list[LinkView]:
        links: list[LinkView] = []
        shown_ids: set[int] = set()
        deleted = set(map(id, self.deleted_forms))
        for form in self.forms:
            if form.instance.pk:
                shown_ids.add(form.instance.pk)
            data = getattr(form, "cleaned_data", None) or {}
            if id(form) in deleted or not data.get("source") or not data.get("role"):
                continue
            links.append(LinkView(role=data["role"], publisher_id=data["source"].publisher_id))
        if self.instance.pk:
            # Rows this formset did not show still count.
            rest = Evidence.objects.filter(claim=self.instance).exclude(pk__in=shown_ids)
            links += [LinkView(role=r, publisher_id=p) for r, p in rest.values_list("role", "source__publisher_id")]
        return links


class SetStatusForm(forms.Form):
    """The confirmation page of the bulk "Set status…" action."""

    status = forms.ChoiceField(label="New status", choices=Claim.Status.choices)
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Recorded in each claim's history.",
    )
