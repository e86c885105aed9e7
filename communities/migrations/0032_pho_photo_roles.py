"""Community photos in the staff roles (as 0028_con_staff_roles does for inspections): district
staff keep their districts' photos, the city administrator has them all, the viewer reads them."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

ACTIONS = ["view", "add", "change", "delete"]
ROLES = {
    "city_admin": [f"{a}_photo" for a in ACTIONS],
    "district_staff": [f"{a}_photo" for a in ACTIONS],
    "viewer": ["view_photo"],
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
    dependencies = [("communities", "0031_pho_photos")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
