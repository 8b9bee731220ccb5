"""Forms of the claim admin: the claim page (with its status section and evidence rows) and the bulk status form.

The rules themselves live in ``claims.services``; these forms only collect
input, ask the service, and put its errors where the editor has to fix them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format

from claims.models import Claim, Evidence, StatusChange
from claims.services.changes import EVIDENCE_EDITABLE, LinkChange, NewLink, claim_check_changes
from claims.services.editing import EDITABLE_FIELDS
from claims.services.errors import StaleEdit
from claims.services.status import lock_claim

EVIDENCE_PREFIX = "evidence"
KEEP_STATUS = ""


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


@dataclass
class ClaimPageChanges:
    """Everything one save of the claim page asks for, as the service takes it."""

    fields: dict[str, Any] = field(default_factory=dict)
    evidence_add: list[NewLink] = field(default_factory=list)
    evidence_update: list[LinkChange] = field(default_factory=list)
    evidence_remove: list[int] = field(default_factory=list)
    status: str | None = None
    rationale: str = ""
    internal_notes: str = ""


# Where the service's refusals are shown: its field names, as this form's fields.
_FORM_FIELD = {
    "status": "new_status",
    "rationale": "rationale",
    "internal_notes": "internal_notes",
    "text": "text",
    "claimant": "claimant",
}


def evidence_changes(formset: BaseInlineFormSet, changes: ClaimPageChanges) -> None:
    """Read the evidence rows of a validated formset into ``changes``."""
    deleted = set(map(id, formset.deleted_forms))
    for form in formset.initial_forms:
        if id(form) in deleted:
            changes.evidence_remove.append(form.instance.pk)
        elif form.has_changed():
            values = {name: form.cleaned_data[name] for name in form.changed_data if name in EVIDENCE_EDITABLE}
            if values:
                changes.evidence_update.append(LinkChange(evidence_id=form.instance.pk, fields=values))
    for form in formset.extra_forms:
        if id(form) in deleted or not form.has_changed():
            continue
        data = form.cleaned_data
        changes.evidence_add.append(
            NewLink(data["source"].pk, data["role"], data.get("quote") or "", data.get("note") or "")
        )


class ClaimAdminForm(forms.ModelForm):
    """The claim change form. It and its evidence rows only collect input; ``claim_apply_changes`` judges it.

    ``clean`` reads the whole page (this form and the evidence rows) into one
    ``ClaimPageChanges`` and asks the service to judge it, so a refusal is
    shown on the page and nothing is saved; ``ClaimAdmin.save_related`` then
    sends the same changes to ``claim_apply_changes``.
    """

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
    evidence_formset: type[BaseInlineFormSet] | None = None
    user: Any = None

    class Meta:
        model = Claim
        fields = ["text", "claimant", "article", "is_archived"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changes = ClaimPageChanges()
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
        try:
            # The admin saves inside a transaction: the row stays locked until the
            # save commits, so nobody can slip a change in between check and write.
            lock_claim(self.instance.pk, expected_version=cleaned["version"])
        except StaleEdit as stale:
            raise ValidationError(stale_message(stale.claim, cleaned["version"]), code="stale") from None
        if self.errors or not self._collect(cleaned):
            return cleaned  # fix the input first (the evidence rows show their own errors)
        try:
            claim_check_changes(claim_id=self.instance.pk, user=self.user, **vars(self.changes))
        except ValidationError as refused:
            for name, messages in refused.message_dict.items():
                self.add_error(
                    _FORM_FIELD.get(name),
                    [f"Nothing was saved: {m}" if name not in _FORM_FIELD else m for m in messages],
                )
        return cleaned

    def _collect(self, cleaned: dict[str, Any]) -> bool:
        """Read this page's changes; False when the evidence rows do not validate."""
        self.changes.fields = {name: cleaned[name] for name in self.changed_data if name in EDITABLE_FIELDS}
        to_status = cleaned.get("new_status") or KEEP_STATUS
        if to_status != KEEP_STATUS:
            self.changes.status, self.changes.rationale = to_status, cleaned.get("rationale") or ""
            self.changes.internal_notes = cleaned.get("internal_notes") or ""
        elif (cleaned.get("rationale") or "").strip() and "new_status" in self.fields:
            self.add_error("new_status", "Choose the new status this rationale is for, or clear the rationale.")
        if self.evidence_formset is None:
            return True
        rows = self.evidence_formset(
            data=self.data,
            instance=self.instance,
            prefix=EVIDENCE_PREFIX,
            queryset=Evidence.objects.filter(claim=self.instance),
        )
        if not rows.is_valid():
            return False
        evidence_changes(rows, self.changes)
        return True


class SetStatusForm(forms.Form):
    """The confirmation page of the bulk "Set status…" action."""

    status = forms.ChoiceField(label="New status", choices=Claim.Status.choices)
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Recorded in each claim's history.",
    )
