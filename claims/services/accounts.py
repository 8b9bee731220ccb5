"""People and their roles: one role group each (viewers, fact-checkers, editors)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

# Role name (as people say it) -> the group that carries its permissions.
ROLE_GROUPS: dict[str, str] = {"viewer": "viewers", "fact-checker": "fact-checkers", "editor": "editors"}


def _role_group(role: str) -> Group:
    if role not in ROLE_GROUPS:
        raise ValidationError({"role": f"Unknown role {role!r}; use one of: {', '.join(ROLE_GROUPS)}."})
    try:
        return Group.objects.get(name=ROLE_GROUPS[role])
    except Group.DoesNotExist:
        raise ValidationError(
            {"role": f"The {ROLE_GROUPS[role]!r} group is missing: run `manage.py migrate`."}
        ) from None


@transaction.atomic
def user_create(*, username: str, role: str, password: str, email: str = "") -> AbstractUser:
    """A new person in exactly one role, with staff access to the admin (which shows only what the role allows)."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": "A username is required."})
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user named {username!r} already exists."})
    group = _role_group(role)
    user = User(username=username, email=email, is_staff=True)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.add(group)
    return user


@transaction.atomic
def user_set_role(*, username: str, role: str) -> AbstractUser:
    """Move a person to one role: the other role groups are removed in the same transaction."""
    user = _existing(username)
    group = _role_group(role)
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()).exclude(pk=group.pk))
    user.groups.add(group)
    return user


def user_set_active(*, username: str, active: bool) -> AbstractUser:
    """Disable (or enable again) a login; the account and everything it recorded stay."""
    user = _existing(username)
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # API tokens of a disabled person stop working at once, not when they expire.
        user.auth_token_set.all().delete()
    return user


def _existing(username: str) -> AbstractUser:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise ValidationError({"username": f"No user named {username!r}."}) from None
