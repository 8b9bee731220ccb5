"""Editors issue and revoke API tokens in the admin (claims/admin/tokens.py limits how)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_authtoken", "add_authtoken", "delete_authtoken"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="knox", codename__in=CODENAMES)
    Group.objects.get(name="editors").permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="knox", codename__in=CODENAMES)
    Group.objects.get(name="editors").permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_groups"),
        ("knox", "0009_extend_authtoken_field"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
