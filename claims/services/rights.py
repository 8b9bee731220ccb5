"""Which fields each role may set on each writable resource: one table, enforced by the services.

A model permission lets a person create or change a row at all (the API's
and the admin's gate); this table says which of its fields they may set.
A fact-checker may record a source, but archiving it and its re-check
schedule (monitoring, interval) are an editor's call. ``docs/api.md`` shows
the table by role and a test checks the services against it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser

from claims.services.errors import FieldsNotPermitted

CREATE, UPDATE = "create", "update"


def _plain(model: str, fields: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """Fields that need only the permission to add (create) or change (update) the row."""
    return {name: {CREATE: f"claims.add_{model}", UPDATE: f"claims.change_{model}"} for name in fields}


# resource -> field -> action -> the permission needed (None: never set by that action).
FIELD_RIGHTS: dict[str, dict[str, dict[str, str | None]]] = {
    "source": {
        **_plain("source", ["name", "kind", "url", "publisher", "notes"]),
        **{
            name: {CREATE: "claims.change_source", UPDATE: "claims.change_source"}
            for name in ["is_archived", "is_monitored", "check_interval"]
        },
    },
    "claim": {
        **_plain("claim", ["text", "claimant", "article", "language"]),
        "is_archived": {CREATE: None, UPDATE: "claims.change_claim"},
    },
    "evidence": _plain("evidence", ["source", "role", "quote", "note"]),
    "claimant": _plain("claimant", ["name", "kind", "organisation", "description", "same_as", "is_archived"]),
    "article": _plain("article", ["title", "publisher", "url", "published_on", "text", "is_archived"]),
}


def may_set(*, user: AbstractBaseUser | None, resource: str, action: str, field: str) -> bool:
    """Whether ``user`` may set ``field`` of ``resource`` when it does ``action`` (create or update).

    ``user=None`` is the system itself (seed, imports, commands): it may set anything.
    """
    permission = FIELD_RIGHTS[resource].get(field, {}).get(action)
    if user is None:
        return permission is not None
    return permission is not None and user.has_perm(permission)


def require_field_rights(*, user: AbstractBaseUser | None, resource: str, action: str, fields: Iterable[str]) -> None:
    """Raise ``FieldsNotPermitted`` naming every field of ``fields`` that ``user`` may not set."""
    refused = sorted(name for name in fields if not may_set(user=user, resource=resource, action=action, field=name))
    if refused:
        when = " when recording it" if action == CREATE else ""
        raise FieldsNotPermitted(
            {name: f"You may not set a {resource}'s {name}{when}: ask an editor." for name in refused}
        )


def rights_note(resource: str, field: str) -> str:
    """One line for the API schema: the permission needed to set ``field`` on create and on change."""
    rule = FIELD_RIGHTS[resource][field]
    on_create = f"`{rule[CREATE]}`" if rule.get(CREATE) else "not settable"
    on_update = f"`{rule[UPDATE]}`" if rule.get(UPDATE) else "not settable"
    return f"Who may set it: on create {on_create}, on change {on_update} (roles: docs/api.md, field rights)."
