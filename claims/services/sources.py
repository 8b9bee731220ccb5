"""Recording and editing sources: one service each, for the admin and the API alike.

Only the fields that change are written, so a save never writes back the
re-check columns (lease, counters, validators) as they were loaded, over a
worker that took the source meanwhile.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, Evidence, Source
from claims.services.catalog import validate_changed
from claims.services.review import claim_flag_for_review
from claims.services.rights import CREATE, UPDATE, require_field_rights
from claims.services.scheduling import source_url_changed

SOURCE_EDITABLE = ("name", "kind", "url", "publisher", "notes", "is_archived", "is_monitored", "check_interval")
_DUPLICATE = "This conflicts with a source saved meanwhile (same URL); reload and retry."


def _check_known(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(SOURCE_EDITABLE))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set here."))


def _save(source: Source, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            source.save(**kwargs)
    except IntegrityError:  # a concurrent save took the same URL
        raise ValidationError({"url": _DUPLICATE}) from None


@transaction.atomic
def source_create(*, user: AbstractBaseUser | None, **fields: Any) -> Source:
    """Record a source; ``fields`` are among ``SOURCE_EDITABLE`` and checked against the user's field rights."""
    _check_known(fields)
    # A value equal to the field's default sets nothing (clients may send the whole form).
    being_set = [name for name, value in fields.items() if value != Source._meta.get_field(name).get_default()]
    require_field_rights(user=user, resource="source", action=CREATE, fields=being_set)
    source = Source(**fields)
    validate_changed(source, set(fields))
    _save(source)
    return source


@transaction.atomic
def source_update(*, source_id: int, user: AbstractBaseUser | None, **fields: Any) -> Source:
    """Change a source's own fields; only those that differ are written.

    A new URL forgets what the old one answered (``source_url_changed``); a
    new publisher flags the confirmed claims this source supports, since
    their independence from the claimant may have changed.
    """
    _check_known(fields)
    source = Source.objects.select_for_update().get(pk=source_id)
    old_publisher = source.publisher
    changed = {name for name, value in fields.items() if getattr(source, name) != value}
    require_field_rights(user=user, resource="source", action=UPDATE, fields=changed)
    if not changed:
        return source
    for name in changed:
        setattr(source, name, fields[name])
    validate_changed(source, changed)
    _save(source, update_fields=sorted(changed))
    if "url" in changed:
        source_url_changed(source_id=source.pk)
    if "publisher" in changed:
        _flag_claims_resting_on(source, old_publisher=str(old_publisher or "none"))
    return Source.objects.get(pk=source.pk)


def _flag_claims_resting_on(source: Source, *, old_publisher: str) -> None:
    new_publisher = str(source.publisher or "none")
    reason = (
        f'The publisher of source "{source.name}" changed from {old_publisher} to {new_publisher}: '
        f"check that the claim is still confirmed by a source independent of its claimant."
    )
    claim_ids = (
        Evidence.objects.filter(source=source, role=Evidence.Role.SUPPORTS, claim__status=Claim.Status.CONFIRMED)
        .values_list("claim_id", flat=True)
        .distinct()
    )
    for claim_id in sorted(claim_ids):
        claim_flag_for_review(claim_id=claim_id, reason=reason)
