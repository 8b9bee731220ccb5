"""ETags for claims, built from the version counter, and the If-Match rule for writes.

A claim's ETag is strong, ``"claim-<id>-v<version>"``: every write bumps the
version, so equal tags mean the same representation of the claim's state.
"""

from __future__ import annotations

import re

from rest_framework.request import Request

from claims.api.exceptions import PreconditionFailed, PreconditionRequired
from claims.models import Claim

_TAG = re.compile(r'^"claim-(?P<id>\d{1,19})-v(?P<version>\d{1,10})"$')


def claim_etag(claim: Claim) -> str:
    return f'"claim-{claim.pk}-v{claim.version}"'


def expected_version(request: Request, claim_id: int) -> int:
    """The version the client last saw, from If-Match; 428 when absent, 412 when it names no version of this claim.

    The service compares it with the stored version under a row lock, so a
    well-formed but old tag becomes a 412 there, with the current state.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired("If-Match: * would overwrite any change; send the claim's ETag instead.")
    for candidate in (part.strip() for part in header.split(",")):
        match = _TAG.match(candidate)
        if match and int(match["id"]) == int(claim_id):
            return int(match["version"])
    raise PreconditionFailed(
        f'If-Match {header[:100]!r} is not an ETag of this claim; its tags look like "claim-{claim_id}-v<version>".'
    )


def if_none_match_hits(request: Request, claim: Claim) -> bool:
    """Whether a conditional GET may answer 304 Not Modified."""
    header = request.headers.get("If-None-Match", "")
    tags = {part.strip().removeprefix("W/") for part in header.split(",")}
    return claim_etag(claim) in tags or "*" in tags
