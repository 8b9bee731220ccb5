"""The desk's groups and what each may do. Nobody may delete status history."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["claimant", "article", "source", "claim", "evidence", "statuschange", "sourcesnapshot", "sourcecheck"]

GROUPS = {
    # Editors: everything in the admin except deleting history.
    "editors": [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")
                if not (model == "statuschange" and action in ("change", "delete"))]
    + ["change_claim_status", "recheck_claim",
       "view_periodictask", "change_periodictask", "add_periodictask",
       "view_intervalschedule", "add_intervalschedule", "change_intervalschedule",
       "view_crontabschedule"],
    # Fact-checkers: read claims, add evidence, change status, start re-checks; no deletes.
    "fact-checkers": [f"view_{model}" for model in MODELS]
    + ["add_evidence", "change_evidence", "add_source", "change_claim_status", "recheck_claim"],
    # Viewers: read only.
    "viewers": [f"view_{model}" for model in MODELS],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = list(Permission.objects.filter(codename__in=codenames))
        missing = set(codenames) - {p.codename for p in perms}
        if missing:
            raise RuntimeError(f"Missing permissions for group {name}: {sorted(missing)}")
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_search_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
