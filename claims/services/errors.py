"""Exceptions the services raise besides Django's ValidationError."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from claims.models import Claim


class StaleEdit(Exception):
    """The claim changed since the caller loaded it; nothing was written."""

    def __init__(self, claim: Claim, expected_version: int) -> None:
        self.claim = claim
        self.expected_version = expected_version
        super().__init__(
            f"This claim was changed by someone else since you loaded it "
            f"(you had version {expected_version}, it is now version {claim.version}). "
            f"Reload it, check their change, and try again; nothing was saved."
        )


class FieldsNotPermitted(PermissionDenied):
    """The user may make this kind of change but not set these fields (``claims.services.rights``)."""

    def __init__(self, messages: dict[str, str]) -> None:
        self.message_dict = messages
        super().__init__(" ".join(messages.values()))
