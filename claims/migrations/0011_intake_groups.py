"""Who may use article intake: editors review proposals and link twins; everyone who reads may see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["articleintake", "claimproposal", "claimtwin", "externalfactcheck"]
GRANTS = {
    "editors": [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change")]
    + ["delete_claimtwin", "review_proposal"],
    "fact-checkers": [f"view_{model}" for model in MODELS] + ["add_articleintake"],
    "viewers": [f"view_{model}" for model in MODELS],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        perms = list(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in perms}
        if missing:
            raise RuntimeError(f"Missing permissions for group {name}: {sorted(missing)}")
        Group.objects.get(name=name).permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        perms = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        Group.objects.get(name=name).permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_intake")]
    operations = [migrations.RunPython(grant, revoke)]
