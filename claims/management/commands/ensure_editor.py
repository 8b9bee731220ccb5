"""Create (or reset) an editor login for the admin; prints the password it set."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Ensure an editor account exists (staff, in the 'editors' group). Password from --password or generated."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="editor")
        parser.add_argument("--password", default="", help="Default: keep an existing password, or generate one.")

    def handle(self, *args, username: str, password: str, **options) -> None:
        if not username.strip():
            raise CommandError("--username must not be empty")
        try:
            group = Group.objects.get(name="editors")
        except Group.DoesNotExist:
            raise CommandError("The 'editors' group is missing: run `manage.py migrate` first") from None
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created or password:
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.add(group)
        if created or password:
            self.stdout.write(f"Editor login: {username} / {password}")
        else:
            self.stdout.write(f"Editor login: {username} (existing password kept)")
