"""Create people in a role, change their role, disable them: for scripts and first setup."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.accounts import ROLE_GROUPS, user_create, user_set_active, user_set_role


class Command(BaseCommand):
    help = "Manage logins: create NAME --role ROLE, set-role NAME --role ROLE, disable NAME, enable NAME."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "set-role", "disable", "enable"])
        parser.add_argument("username")
        parser.add_argument("--role", choices=list(ROLE_GROUPS), help="viewer, fact-checker or editor")
        parser.add_argument("--password", default="", help="create: default a generated one, printed once")
        parser.add_argument("--email", default="")

    def handle(self, *args: object, action: str, username: str, role: str | None, **options: str) -> None:
        if action in {"create", "set-role"} and not role:
            raise CommandError(f"{action} needs --role (one of: {', '.join(ROLE_GROUPS)})")
        try:
            if action == "create":
                password = options["password"] or secrets.token_urlsafe(12)
                user_create(username=username, role=role, password=password, email=options["email"])
                self.stdout.write(f"Created {username} ({role}); password: {password}")
            elif action == "set-role":
                user_set_role(username=username, role=role)
                self.stdout.write(f"{username} is now a {role}")
            else:
                user_set_active(username=username, active=action == "enable")
                self.stdout.write(f"{username} {'enabled' if action == 'enable' else 'disabled'}")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
