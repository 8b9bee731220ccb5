"""The Django admin for newsroom editors; one module per page family, registered on import."""

from claims.admin import articles, claimants, claims, intake, intake_links, rechecks, schedules, sources, tokens

__all__ = ["articles", "claimants", "claims", "intake", "intake_links", "rechecks", "schedules", "sources", "tokens"]
