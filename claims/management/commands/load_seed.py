from django.core.management.base import BaseCommand

from claims.services.seed import seed_load


class Command(BaseCommand):
    help = "Load the seed article and its 13 claims (idempotent)."

    def handle(self, *args, **options) -> None:
        result = seed_load()
        self.stdout.write(
            f"Seed loaded: {result.claims_created} claims created, {result.claims_existing} already present."
        )
