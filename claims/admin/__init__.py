"""The Django admin for newsroom editors; one module per page family, registered on import."""

from claims.admin import (
    alerts,
    articles,
    claimants,
    claims,
    intake,
    intake_links,
    people,
    rechecks,
    schedules,
    sources,
    tokens,
)

__all__ = [
    "alerts",
    "articles",
    "claimants",
    "claims",
    "intake",
    "intake_links",
    "people",
    "rechecks",
    "schedules",
    "sources",
    "tokens",
]
