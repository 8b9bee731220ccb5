"""Small display helpers shared by the admin pages."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from claims.models import Claim

# Background colours chosen to read at a glance and keep white text legible.
STATUS_COLOURS = {
    Claim.Status.UNVERIFIED: "#6b7280",
    Claim.Status.UNCONFIRMED: "#b45309",
    Claim.Status.CONFIRMED: "#15803d",
    Claim.Status.DISPUTED: "#7c3aed",
    Claim.Status.FALSE: "#b91c1c",
}


def status_badge(status: str) -> SafeString:
    label = Claim.Status(status).label if status in Claim.Status.values else status
    return format_html(
        '<span class="status-badge status-{}" style="background:{};color:#fff;padding:2px 8px;'
        'border-radius:10px;font-size:11px;font-weight:600;white-space:nowrap">{}</span>',
        status,
        STATUS_COLOURS.get(status, "#374151"),
        label,
    )


def person(user: AbstractBaseUser | None) -> str:
    """A user's name as the history shows it; imports and jobs have none."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def short(text: str, chars: int = 80) -> str:
    return Truncator(text or "").chars(chars)
