"""Issue or revoke API tokens from the command line.

manage.py api_token --user alice [--ttl-days 7]   # prints the token once
manage.py api_token --user alice --revoke-all
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.tokens import token_create, token_revoke_all


class Command(BaseCommand):
    help = "Create an API token for a user (printed once), or revoke all of a user's tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username the token is for.")
        parser.add_argument("--ttl-days", type=int, help="Lifetime in days (default: REST_KNOX TOKEN_TTL).")
        parser.add_argument("--revoke-all", action="store_true", help="Revoke every token of the user instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["user"]})
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['user']!r}.") from None
        if options["revoke_all"]:
            if options["ttl_days"] is not None:
                raise CommandError("--ttl-days makes no sense with --revoke-all.")
            count = token_revoke_all(user=user)
            self.stdout.write(f"Revoked {count} token(s) of {user.get_username()}.")
            return
        if not user.is_active:
            raise CommandError(f"User {user.get_username()!r} is inactive; activate them first.")
        ttl_days = options["ttl_days"]
        if ttl_days is not None and not 1 <= ttl_days <= 3650:
            raise CommandError("--ttl-days must be between 1 and 3650.")
        instance, token = token_create(user=user, ttl=timedelta(days=ttl_days) if ttl_days else None)
        expiry = instance.expiry.isoformat(timespec="seconds") if instance.expiry else "never"
        # The token alone on stdout, so scripts can capture it; the note on stderr.
        self.stderr.write(f"Token for {user.get_username()}, expires {expiry}. It is not stored; keep it now.")
        self.stdout.write(token)
