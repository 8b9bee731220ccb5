"""Recording and editing claimants and articles: the model's rules and the field-rights table, then a save.

These rows have no workflow of their own; what they share with sources is
that only the fields being set are judged and written.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from claims.models import Article, Claimant
from claims.services.rights import CREATE, FIELD_RIGHTS, UPDATE, require_field_rights

_MODELS: dict[str, type[models.Model]] = {"claimant": Claimant, "article": Article}
_CLASH = "This conflicts with a row saved meanwhile (same name or URL); reload and retry."


def validate_changed(instance: models.Model, changed: set[str]) -> None:
    """The model's rules for the fields being set, and every constraint.

    Fields left as they are are not re-judged, so a row stored under older
    rules can still be edited in its other fields.
    """
    unchanged = {field.name for field in instance._meta.fields} - changed
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=unchanged, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude=set(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def save_checked(instance: models.Model, **kwargs: Any) -> None:
    """Save; a unique value taken meanwhile by a concurrent save is a ValidationError, not a 500."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError:
        raise ValidationError({"__all__": _CLASH}) from None


def _check_known(resource: str, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(FIELD_RIGHTS[resource]))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set here."))


@transaction.atomic
def catalog_create(*, resource: str, user: AbstractBaseUser | None, **fields: Any) -> models.Model:
    """Record a claimant or an article (``resource``) with ``fields`` the user may set."""
    _check_known(resource, fields)
    model = _MODELS[resource]
    being_set = [name for name, value in fields.items() if value != model._meta.get_field(name).get_default()]
    require_field_rights(user=user, resource=resource, action=CREATE, fields=being_set)
    instance = model(**fields)
    validate_changed(instance, set(fields))
    save_checked(instance)
    return instance


@transaction.atomic
def catalog_update(*, resource: str, pk: int, user: AbstractBaseUser | None, **fields: Any) -> models.Model:
    """Change a claimant's or an article's fields; only those that differ are judged and written."""
    _check_known(resource, fields)
    instance = _MODELS[resource].objects.select_for_update().get(pk=pk)
    changed = {name for name, value in fields.items() if getattr(instance, name) != value}
    require_field_rights(user=user, resource=resource, action=UPDATE, fields=changed)
    if changed:
        for name in changed:
            setattr(instance, name, fields[name])
        validate_changed(instance, changed)
        save_checked(instance, update_fields=sorted(changed))
    return instance
