"""One save of a claim: its fields, its evidence and its status, judged together and written together.

``claim_apply_changes`` is the only writer of a claim's own fields, links and
status. It builds the list of links the save will leave once, judges the
independence rule once against it (with the claimant the save will leave),
and writes everything in one transaction: a stale version is a conflict,
the history row goes in with the change, and the version moves once. The
admin's claim page sends a whole page through it; the API's single edits
(and ``claim_update``, ``evidence_*``, ``claim_change_status``) send one part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import (
    CLAIM_TEXT_MAX,
    QUOTE_MAX,
    AlertEvent,
    Claim,
    Claimant,
    Evidence,
    Language,
    Source,
    StatusChange,
)
from claims.services.alerts import alert_record
from claims.services.check_summary import latest_check_of_claim
from claims.services.errors import StaleEdit
from claims.services.rights import CREATE, UPDATE, require_field_rights
from claims.services.scheduling import source_check_soon
from claims.services.status import RATIONALE_MAX, LinkView, independence_error, lock_claim

CLAIM_EDITABLE = ("text", "claimant", "article", "is_archived", "language")
EVIDENCE_EDITABLE = ("source", "role", "quote", "note")
DUPLICATE_LINK = "This source is already linked to the claim in that role."


@dataclass(frozen=True)
class NewLink:
    """A source to link to the claim."""

    source_id: int
    role: str
    quote: str = ""
    note: str = ""


@dataclass(frozen=True)
class LinkChange:
    """New values for some of one link's ``EVIDENCE_EDITABLE`` fields (``source`` as a Source or an id)."""

    evidence_id: int
    fields: Mapping[str, Any]


@dataclass
class Plan:
    """What a save will write, judged and cleaned; built by ``_judge`` before anything is written."""

    claim: Claim
    values: dict[str, Any] = field(default_factory=dict)
    removals: list[Evidence] = field(default_factory=list)
    edits: list[tuple[Evidence, dict[str, Any]]] = field(default_factory=list)
    additions: list[NewLink] = field(default_factory=list)
    status: str | None = None
    rationale: str = ""
    internal_notes: str = ""

    @property
    def links_change(self) -> bool:
        return bool(self.removals or self.edits or self.additions)


@dataclass
class Applied:
    claim: Claim
    added: list[Evidence]
    status_changed: bool


def validate_claim_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "A claim needs its text: one checkable statement."})
    if len(text) > CLAIM_TEXT_MAX:
        raise ValidationError(
            {"text": f"Keep a claim under {CLAIM_TEXT_MAX} characters (this one has {len(text)}); split it."}
        )
    return text


def validate_language(language: str) -> str:
    """A search language code, or "" to detect it from the text."""
    if language not in Language.values:
        codes = ", ".join(code for code in Language.values if code)
        raise ValidationError({"language": f"Unknown language {language!r}; use one of {codes}, or leave it empty."})
    return language


def _check_role_and_quote(role: str | None, quote: str | None) -> None:
    if role is not None and role not in Evidence.Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; use one of: {', '.join(Evidence.Role.values)}."})
    if quote is not None and len(quote) > QUOTE_MAX:
        raise ValidationError({"quote": f"Keep the quote under {QUOTE_MAX} characters."})


def _clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The claim's own fields as column values (``claimant_id``...), checked."""
    unknown = sorted(set(fields) - set(CLAIM_EDITABLE))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "text":
            values["text"] = validate_claim_text(value)
        elif name == "language":
            values["language"] = validate_language(value)
        elif name in {"claimant", "article"}:
            values[f"{name}_id"] = getattr(value, "pk", value)
        else:
            values[name] = value
    return values


def _clean_edit(evidence: Evidence, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(EVIDENCE_EDITABLE))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    _check_role_and_quote(fields.get("role"), fields.get("quote"))
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    if "source" in cleaned:
        cleaned["source_id"] = getattr(cleaned.pop("source"), "pk", fields["source"])
    return {name: value for name, value in cleaned.items() if getattr(evidence, name) != value}


def _links_after(plan: Plan, stored: list[Evidence]) -> list[LinkView]:
    """The claim's links as the save will leave them; the one list the rule is judged on."""
    removed = {evidence.pk for evidence in plan.removals}
    edited = {evidence.pk: values for evidence, values in plan.edits}
    rows = []
    for evidence in stored:
        if evidence.pk not in removed:
            values = edited.get(evidence.pk, {})
            rows.append((values.get("role", evidence.role), values.get("source_id", evidence.source_id)))
    rows += [(link.role, link.source_id) for link in plan.additions]
    if len(set(rows)) != len(rows):
        raise ValidationError({"source": DUPLICATE_LINK})
    publishers = dict(Source.objects.filter(pk__in={s for _, s in rows}).values_list("pk", "publisher_id"))
    missing = sorted({s for _, s in rows} - set(publishers))
    if missing:
        raise ValidationError({"source": f"No source with id {missing[0]}."})
    return [LinkView(role=role, publisher_id=publishers[source_id]) for role, source_id in rows]


def _judge_status(plan: Plan, status: str, rationale: str, internal_notes: str) -> None:
    claim = plan.claim
    if status not in Claim.Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}; use one of: {', '.join(Claim.Status.values)}."})
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": "Say why the status changes: a rationale is required."})
    if len(rationale) > RATIONALE_MAX:
        raise ValidationError({"rationale": f"Keep the rationale under {RATIONALE_MAX} characters."})
    if status == claim.status:
        raise ValidationError({"status": f"The claim is already {claim.get_status_display().lower()}."})
    internal_notes = (internal_notes or "").strip()  # the rationale is public once published; these are not
    if len(internal_notes) > RATIONALE_MAX:
        raise ValidationError({"internal_notes": f"Keep the internal notes under {RATIONALE_MAX} characters."})
    plan.status, plan.rationale, plan.internal_notes = status, rationale, internal_notes


def _judge_independence(plan: Plan, stored: list[Evidence]) -> None:
    """The independence rule, once, on the links and claimant the save leaves."""
    claim = plan.claim
    claimant = claim.claimant
    if "claimant_id" in plan.values and plan.values["claimant_id"] != claim.claimant_id:
        claimant = Claimant.objects.get(pk=plan.values["claimant_id"])
    after = _links_after(plan, stored)
    if plan.status is not None:
        problem = independence_error(claimant, plan.status, after)
        if problem:
            raise ValidationError({"status": problem})
        return
    if not (plan.links_change or claimant != claim.claimant):
        return
    before = [LinkView(role=e.role, publisher_id=e.source.publisher_id) for e in stored]
    # Only a save that breaks a status that held is refused; an older inconsistency does not block edits.
    if independence_error(claim.claimant, claim.status, before) is None and independence_error(
        claimant, claim.status, after
    ):
        label = claim.get_status_display().lower()
        raise ValidationError(
            {
                "claimant" if not plan.links_change else "source": (
                    f"The claim is {label} on the strength of the evidence or claimant you are changing; "
                    f"change its status first (or in the same save)."
                )
            }
        )


def _require_rights(plan: Plan, user: AbstractBaseUser | None, fields: Mapping[str, Any]) -> None:
    """The field-rights table for the claim's fields and its links (status and removals: the faces' gate)."""
    require_field_rights(user=user, resource="claim", action=UPDATE, fields=fields)
    for _evidence, values in plan.edits:
        names = ["source" if name == "source_id" else name for name in values]
        require_field_rights(user=user, resource="evidence", action=UPDATE, fields=names)
    for link in plan.additions:
        names = ["source", "role", *(name for name in ("quote", "note") if getattr(link, name))]
        require_field_rights(user=user, resource="evidence", action=CREATE, fields=names)


def _judge(
    claim: Claim,
    *,
    fields: Mapping[str, Any],
    evidence_add: Iterable[NewLink],
    evidence_update: Iterable[LinkChange],
    evidence_remove: Iterable[int],
    status: str | None,
    rationale: str,
    internal_notes: str,
    user: AbstractBaseUser | None,
) -> Plan:
    plan = Plan(claim=claim, values=_clean_fields(fields))
    stored = list(Evidence.objects.filter(claim=claim).select_related("source").order_by("pk"))
    by_id = {evidence.pk: evidence for evidence in stored}
    for evidence_id in evidence_remove:
        if evidence_id not in by_id:
            raise Evidence.DoesNotExist(f"Claim {claim.pk} has no evidence {evidence_id}.")
        plan.removals.append(by_id[evidence_id])
    for change in evidence_update:
        if change.evidence_id not in by_id:
            raise Evidence.DoesNotExist(f"Claim {claim.pk} has no evidence {change.evidence_id}.")
        values = _clean_edit(by_id[change.evidence_id], change.fields)
        if values:
            plan.edits.append((by_id[change.evidence_id], values))
    for link in evidence_add:
        _check_role_and_quote(link.role, link.quote)
        plan.additions.append(NewLink(link.source_id, link.role, link.quote.strip(), link.note.strip()))
    if status is not None:
        _judge_status(plan, status, rationale, internal_notes)
    _require_rights(plan, user, fields)
    _judge_independence(plan, stored)
    return plan


def _write_links(plan: Plan, user: AbstractBaseUser | None) -> list[Evidence]:
    """Removals first, then edits, then additions, so a save may move a link without a clash."""
    for evidence in plan.removals:
        evidence.delete()
    for evidence, values in plan.edits:
        for name, value in values.items():
            setattr(evidence, name, value)
        if {"quote", "source_id"} & set(values):
            # A re-check's verdict was about the old words or the old page.
            evidence.quote_state, evidence.quote_change = Evidence.QuoteState.UNCHECKED, ""
        evidence.save(update_fields=[*values, "quote_state", "quote_change"])
    added = [
        Evidence.objects.create(
            claim_id=plan.claim.pk,
            source_id=link.source_id,
            role=link.role,
            quote=link.quote,
            note=link.note,
            added_by=user if user is not None and user.is_authenticated else None,
        )
        for link in plan.additions
    ]
    # New or corrected quotes are checked at the next sweep, not on the source's regular schedule.
    due = {e.source_id for e in added if e.quote} | {
        e.source_id for e, v in plan.edits if e.quote and v.keys() & {"quote", "source_id"}
    }
    for source_id in sorted(due):
        source_check_soon(source_id=source_id)
    return added


def _write(plan: Plan, *, user: AbstractBaseUser | None, via: str) -> Applied:
    claim, now = plan.claim, timezone.now()
    try:
        with transaction.atomic():
            added = _write_links(plan, user)
    except IntegrityError:  # a link saved meanwhile by someone else
        raise ValidationError({"source": DUPLICATE_LINK}) from None
    values = dict(plan.values)
    if plan.links_change:
        values["last_check"] = latest_check_of_claim(claim.pk)
    if plan.status is not None:
        # A person has now looked at the claim: the review flag goes with the change.
        values.update(status=plan.status, status_changed_at=now, needs_review=False, review_reason="")
        values.update(review_flagged_at=None, review_check=None)
    updated = Claim.objects.filter(pk=claim.pk, version=claim.version).update(
        version=F("version") + 1, updated_at=now, **values
    )
    if updated != 1:  # only possible without row locks (SQLite): treat as stale
        raise StaleEdit(Claim.objects.get(pk=claim.pk), claim.version)
    if plan.status is not None:
        StatusChange.objects.create(
            claim=claim,
            from_status=claim.status,
            to_status=plan.status,
            rationale=plan.rationale,
            internal_notes=plan.internal_notes,
            changed_by=user if user is not None and user.is_authenticated else None,
            changed_at=now,
            via=via,
            version=claim.version + 1,
        )
        alert_record(
            kind=AlertEvent.Kind.STATUS_CHANGED,
            claim_id=claim.pk,
            from_status=claim.status,
            to_status=plan.status,
            rationale=plan.rationale,
        )
    return Applied(claim=Claim.objects.get(pk=claim.pk), added=added, status_changed=plan.status is not None)


def _nothing_to_do(plan: Plan) -> bool:
    return not (plan.values or plan.links_change or plan.status is not None)


@transaction.atomic
def claim_apply_changes(
    *,
    claim_id: int,
    expected_version: int | None,
    fields: Mapping[str, Any] | None = None,
    evidence_add: Iterable[NewLink] = (),
    evidence_update: Iterable[LinkChange] = (),
    evidence_remove: Iterable[int] = (),
    status: str | None = None,
    rationale: str = "",
    internal_notes: str = "",
    user: AbstractBaseUser | None,
    via: str = StatusChange.Via.ADMIN,
) -> Applied:
    """Judge and write one save of a claim; nothing is written if any part is refused.

    ``expected_version`` is the version the caller saw (``StaleEdit`` if it
    moved); ``None`` only for callers that act on the current state by design.
    Raises ``ValidationError`` keyed by field (``status``, ``rationale``,
    ``evidence``, ``source``, ``text``...), ``FieldsNotPermitted`` for a part
    the user may not make, ``Evidence.DoesNotExist`` for a link not on this claim.
    """
    claim = lock_claim(claim_id, expected_version=expected_version)
    plan = _judge(
        claim,
        fields=fields or {},
        evidence_add=list(evidence_add),
        evidence_update=list(evidence_update),
        evidence_remove=list(evidence_remove),
        status=status,
        rationale=rationale,
        internal_notes=internal_notes,
        user=user,
    )
    if _nothing_to_do(plan):
        return Applied(claim=claim, added=[], status_changed=False)
    return _write(plan, user=user, via=via)


def claim_check_changes(
    *,
    claim_id: int,
    fields: Mapping[str, Any] | None = None,
    evidence_add: Iterable[NewLink] = (),
    evidence_update: Iterable[LinkChange] = (),
    evidence_remove: Iterable[int] = (),
    status: str | None = None,
    rationale: str = "",
    internal_notes: str = "",
    user: AbstractBaseUser | None,
) -> None:
    """The same judgement as ``claim_apply_changes``, without writing (a form shows the refusal first)."""
    _judge(
        lock_claim(claim_id),
        fields=fields or {},
        evidence_add=list(evidence_add),
        evidence_update=list(evidence_update),
        evidence_remove=list(evidence_remove),
        status=status,
        rationale=rationale,
        internal_notes=internal_notes,
        user=user,
    )
