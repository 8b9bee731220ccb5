from __future__ import annotations

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from claims.append_only import recreate_history_triggers, register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="claims_history_maintenance")
        post_migrate.connect(recreate_history_triggers, sender=self, dispatch_uid="claims_history_triggers")
