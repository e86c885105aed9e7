"""Acceptance (竣工验收) and settlement (结算审计) in the staff roles, as
0028_con_staff_roles: district staff keep their districts' acceptances (with their attendees,
documents and conditions) and settlements; the city administrator has everything; the viewer
reads everything."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

DISTRICT_MODELS = [
    "acceptance",
    "acceptanceparty",
    "acceptanceresident",
    "acceptancedocument",
    "acceptancecondition",
    "settlement",
]
CITY_MODELS: list[str] = []
ACTIONS = ["view", "add", "change", "delete"]
ROLES = {
    "city_admin": [f"{a}_{m}" for m in DISTRICT_MODELS + CITY_MODELS for a in ACTIONS],
    "district_staff": [
        *(f"{a}_{m}" for m in DISTRICT_MODELS for a in ACTIONS),
        *(f"view_{m}" for m in CITY_MODELS),
    ],
    "viewer": [f"view_{m}" for m in DISTRICT_MODELS + CITY_MODELS],
}


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("communities")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="communities")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*ours.filter(codename__in=codenames))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="communities", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("communities", "0033_acc_acceptance_settlement")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
