"""Residents' objections to a notice in the staff roles (migration 0010 seeded the roles): the
city's administrators and a district's staff moderate and answer them, viewers read them."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

MODELS = ["elevatorobjection", "designplanobjection"]
ACTIONS = ["view", "add", "change", "delete"]
ROLES = {
    "city_admin": ACTIONS,
    "district_staff": ACTIONS,
    "viewer": ["view"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("communities")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        codenames = [f"{action}_{model}" for model in MODELS for action in actions]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="communities", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="communities",
        content_type__model__in=MODELS,
    ):
        permission.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0022_obj_objections"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
