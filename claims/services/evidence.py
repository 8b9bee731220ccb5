"""Adding and removing the links between claims and sources."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import QUOTE_MAX, Claim, Evidence, Source
from claims.services.editing import claim_touch
from claims.services.errors import StaleEdit
from claims.services.scheduling import source_check_soon
from claims.services.status import lock_claim

EVIDENCE_EDITABLE = {"source", "role", "quote", "note"}


@transaction.atomic
def evidence_add(
    *,
    claim_id: int,
    source_id: int,
    role: str,
    quote: str = "",
    note: str = "",
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Evidence:
    """Link a source to a claim with its role and quoted passage."""
    if role not in Evidence.Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; use one of: {', '.join(Evidence.Role.values)}."})
    if len(quote) > QUOTE_MAX:
        raise ValidationError({"quote": f"Keep the quote under {QUOTE_MAX} characters."})
    claim = lock_claim(claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleEdit(claim, expected_version)
    if not Source.objects.filter(pk=source_id).exists():
        raise ValidationError({"source": f"No source with id {source_id}."})
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                claim=claim,
                source_id=source_id,
                role=role,
                quote=quote.strip(),
                note=note.strip(),
                added_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:
        raise ValidationError({"source": "This source is already linked to the claim in that role."}) from None
    claim_touch(claim.pk)
    if evidence.quote:
        # Otherwise the quote waits for the source's regular schedule (hours).
        source_check_soon(source_id=evidence.source_id)
    return evidence


@transaction.atomic
def evidence_update(*, evidence_id: int, user: AbstractBaseUser | None, **fields: object) -> Evidence:
    """Change a link's source, role, quote or note.

    A re-check's verdict was about the old words or the old page, so a new
    quote or source resets it to unchecked and makes the source due now.
    The independence rule is the caller's to judge against the claim's
    whole set of links (the admin's evidence formset does).
    """
    unknown = set(fields) - EVIDENCE_EDITABLE
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if "role" in fields and fields["role"] not in Evidence.Role.values:
        raise ValidationError(
            {"role": f"Unknown role {fields['role']!r}; use one of: {', '.join(Evidence.Role.values)}."}
        )
    if len(str(fields.get("quote", ""))) > QUOTE_MAX:
        raise ValidationError({"quote": f"Keep the quote under {QUOTE_MAX} characters."})
    evidence = Evidence.objects.select_for_update().get(pk=evidence_id)
    for name, value in fields.items():
        setattr(evidence, name, value.strip() if isinstance(value, str) else value)
    if {"quote", "source"} & set(fields):
        evidence.quote_state, evidence.quote_change = Evidence.QuoteState.UNCHECKED, ""
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        raise ValidationError({"source": "This source is already linked to the claim in that role."}) from None
    claim_touch(evidence.claim_id)
    if evidence.quote and {"quote", "source"} & set(fields):
        source_check_soon(source_id=evidence.source_id)
    return evidence


@transaction.atomic
def evidence_remove(
    *,
    evidence_id: int,
    user: AbstractBaseUser | None,
    claim_id: int | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Unlink a source from a claim, unless the claim's status rests on it.

    ``claim_id`` scopes the lookup to one claim (``Evidence.DoesNotExist``
    otherwise); ``expected_version`` refuses a stale removal with ``StaleEdit``.
    """
    from claims.services.status import LinkView, independence_error

    links = Evidence.objects.all() if claim_id is None else Evidence.objects.filter(claim_id=claim_id)
    evidence = links.get(pk=evidence_id)
    claim = lock_claim(evidence.claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleEdit(claim, expected_version)
    remaining = [
        LinkView(role=role, publisher_id=pub)
        for role, pub in Evidence.objects.filter(claim=claim)
        .exclude(pk=evidence_id)
        .values_list("role", "source__publisher_id")
    ]
    problem = independence_error(claim.claimant, claim.status, remaining)
    if problem:
        raise ValidationError(
            {
                "source": f"The claim is {claim.get_status_display().lower()} on the strength of this source; "
                f"change its status before removing it."
            }
        )
    evidence.delete()
    claim_touch(claim.pk)
    return Claim.objects.get(pk=claim.pk)
