"""Editors create people, disable them and set their role in the admin (claims/admin/people.py limits how).

View, add and change users; never delete them (their history names them:
disable instead), never change a superuser, never grant a permission or
group other than the three roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_user", "add_user", "change_user"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="auth", codename__in=CODENAMES)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    apps.get_model("auth", "Group").objects.get(name="editors").permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get(name="editors").permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_alerts")]
    operations = [migrations.RunPython(grant, revoke)]
